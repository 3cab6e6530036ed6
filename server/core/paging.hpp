#pragma once
// The one way to list: page-size rules, signed NextTokens and the "fetch size + 1" query.
// A List operation names its listing (scope: operation, partition, filter), says how to
// fetch rows after a position and how to turn a row into a position; `Pager::page` does
// the rest, so every listing validates and continues the same way.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/core/messages.hpp"
#include "server/core/page_token.hpp"

namespace sesv2mock {

struct PageRule {
  std::int64_t default_size;
  std::int64_t max_size;
  // ListSuppressedDestinations is the one listing whose model has InvalidNextTokenException;
  // the others answer BadRequestException.
  bool invalid_token_exception = false;
};

struct PageRules {
  static constexpr std::int64_t kMinSize = 1;
  static constexpr PageRule kImportJobs{100, 100};
  static constexpr PageRule kSuppressedDestinations{100, 1000, true};
  static constexpr PageRule kContactLists{100, 1000};
  static constexpr PageRule kContacts{100, 1000};
};

// What the caller asked for.
struct PageRequest {
  std::optional<std::int64_t> page_size;
  std::optional<std::string> next_token;
};

template <typename Row>
struct Page {
  std::vector<Row> rows;
  std::optional<std::string> next_token;
};

class Pager {
 public:
  explicit Pager(const PageTokenCodec& tokens) : tokens_(tokens) {}

  // `fetch(after, limit)` returns up to `limit` rows following the position `after` (nullopt:
  // from the start); `position_of(row)` is the position a later page continues after.
  // Throws the rule's errors for a page size out of range or a token not handed out for
  // `scope` (fetch may throw invalid_token(rule) for a position it cannot read).
  template <typename Fetch, typename PositionOf>
  auto page(const std::string& scope, const PageRule& rule, const PageRequest& request, Fetch fetch,
            PositionOf position_of) const {
    const std::int64_t size = checked_size(rule, request.page_size);
    std::optional<std::string> after;
    if (request.next_token) {
      after = tokens_.decode(scope, *request.next_token);
      if (!after)
        throw invalid_token(rule);
    }
    Page<typename decltype(fetch(after, 0))::value_type> out;
    out.rows = fetch(after, static_cast<int>(size) + 1);
    if (static_cast<std::int64_t>(out.rows.size()) > size) {
      out.rows.resize(static_cast<std::size_t>(size));
      out.next_token = tokens_.encode(scope, position_of(out.rows.back()));
    }
    return out;
  }

  // The page size asked for, or the rule's default; throws when out of the rule's range.
  static std::int64_t checked_size(const PageRule& rule, const std::optional<std::int64_t>& asked);

  static ApiError invalid_token(const PageRule& rule) {
    return errors::invalid_next_token(rule.invalid_token_exception);
  }

 private:
  const PageTokenCodec& tokens_;
};

}  // namespace sesv2mock
