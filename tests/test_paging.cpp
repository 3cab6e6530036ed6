// The one paging helper every List operation uses: size rules, size + 1 fetch, tokens.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/core/paging.hpp"

using namespace sesv2mock;

namespace {

// Rows are the numbers 1..total; a position is the last number handed out.
struct Numbers {
  int total;
  std::vector<int> limits_asked;

  std::vector<int> operator()(const std::optional<std::string>& after, int limit) {
    limits_asked.push_back(limit);
    std::vector<int> out;
    for (int n = after ? std::stoi(*after) + 1 : 1; n <= total && (int)out.size() < limit; ++n) {
      out.push_back(n);
    }
    return out;
  }
};

std::string position(int n) {
  return std::to_string(n);
}

template <typename Fn>
std::pair<std::string, std::string> error_of(Fn fn) {
  try {
    fn();
  } catch (const ApiError& e) {
    return {e.code(), e.message()};
  }
  return {"(none)", ""};
}

}  // namespace

TEST_CASE("Pager: pages, fetch size + 1, tokens bound to their scope") {
  PageTokenCodec tokens("key");
  Pager pager(tokens);
  Numbers numbers{5, {}};
  const PageRule rule{3, 4};

  auto first = pager.page("scope", rule, {}, std::ref(numbers), position);
  CHECK(first.rows == std::vector<int>{1, 2, 3});  // the default size
  CHECK(numbers.limits_asked.back() == 4);         // one more than the page
  REQUIRE(first.next_token);

  auto second = pager.page("scope", rule, {2, first.next_token}, std::ref(numbers), position);
  CHECK(second.rows == std::vector<int>{4, 5});
  CHECK(numbers.limits_asked.back() == 3);
  CHECK_FALSE(second.next_token);  // nothing beyond: no token

  auto exact = pager.page("scope", rule, {5 - 1, std::nullopt}, std::ref(numbers), position);
  CHECK(exact.rows.size() == 4);
  CHECK(exact.next_token);

  CHECK(error_of([&] {
          pager.page("other", rule, {2, first.next_token}, numbers, position);
        }) == std::pair<std::string, std::string>{"BadRequestException",
                                                  "The NextToken is not valid for this listing."});
  const PageRule suppression = PageRules::kSuppressedDestinations;
  CHECK(error_of([&] {
          pager.page("other", suppression, {2, first.next_token}, numbers, position);
        }).first == "InvalidNextTokenException");
}

TEST_CASE("Pager: page size out of the rule's range") {
  PageTokenCodec tokens("key");
  Pager pager(tokens);
  Numbers numbers{5, {}};
  for (std::int64_t size : {0, -1, 101}) {
    CHECK(error_of([&] {
            pager.page("s", PageRules::kImportJobs, {size, std::nullopt}, numbers, position);
          }) == std::pair<std::string, std::string>{
                    "BadRequestException",
                    "1 validation error detected: Value at 'pageSize' failed to satisfy "
                    "constraint: Member must be between 1 and 100"});
  }
  CHECK(numbers.limits_asked.empty());  // nothing fetched for a bad request
  CHECK(
      pager.page("s", PageRules::kContacts, {1000, std::nullopt}, numbers, position).rows.size() ==
      5);
}

TEST_CASE("Pager: a stale token after the key changes") {
  PageTokenCodec tokens("key-1");
  Pager pager(tokens);
  Numbers numbers{5, {}};
  auto first = pager.page("s", PageRules::kContacts, {2, std::nullopt}, numbers, position);
  tokens.set_key("key-2");
  CHECK(error_of([&] {
          pager.page("s", PageRules::kContacts, {2, first.next_token}, numbers, position);
        }).first == "BadRequestException");
}
