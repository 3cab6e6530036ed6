#pragma once
// The mock's one-click unsubscribe links (list management). A link carries the partition,
// contact list, optional topic and address, signed with the NextToken key (so a forged link
// is refused; a full reset makes old links stale). Following it unsubscribes the contact
// from the topic when the send named one, else from everything, as the SES developer guide
// describes (https://docs.aws.amazon.com/ses/latest/dg/sending-email-subscription-management.html).
#include <optional>
#include <string>

#include "server/core/model.hpp"
#include "server/core/page_token.hpp"

namespace sesv2mock::storage {
class ContactStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct UnsubscribeTarget {
  Partition partition;
  std::string list_name;
  std::optional<std::string> topic;
  std::string email;
};

inline constexpr const char* kUnsubscribePath = "/_mock/unsubscribe/";

class UnsubscribeLinks {
 public:
  UnsubscribeLinks(const PageTokenCodec& tokens, storage::ContactStore& contacts)
      : tokens_(tokens), contacts_(contacts) {}

  // "http://<host>/_mock/unsubscribe/<token>"
  std::string url(const std::string& host, const UnsubscribeTarget& target) const;
  std::optional<UnsubscribeTarget> decode(const std::string& token) const;
  // Applies the unsubscribe; false when the list or contact no longer exists.
  bool unsubscribe(const UnsubscribeTarget& target);

 private:
  const PageTokenCodec& tokens_;
  storage::ContactStore& contacts_;
};

}  // namespace sesv2mock
