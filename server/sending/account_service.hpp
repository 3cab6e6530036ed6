#pragma once
// The account's sending settings: GetAccount, PutAccountSuppressionAttributes,
// PutAccountSendingAttributes.
#include <cstdint>
#include <functional>
#include <vector>

#include "server/core/request_context.hpp"
#include "server/core/sending_model.hpp"
#include "server/sending/sending_directory.hpp"

namespace sesv2mock::storage {
class AccountStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

// Messages the partition sent in the last 24 hours (the send path's message store).
using SentLast24Hours = std::function<std::int64_t(const Partition&)>;

struct AccountView {
  AccountSettings settings;
  std::int64_t sent_last_24_hours = 0;
};

class AccountService {
 public:
  AccountService(const SendingDirectory& directory, storage::AccountStore& store,
                 SentLast24Hours sent_last_24_hours)
      : directory_(directory), store_(store), sent_(std::move(sent_last_24_hours)) {}

  AccountView get(const RequestContext& ctx) const;
  void put_suppression_attributes(const RequestContext& ctx,
                                  const std::vector<SuppressionReason>& reasons);
  void put_sending_attributes(const RequestContext& ctx, bool enabled);

 private:
  const SendingDirectory& directory_;
  storage::AccountStore& store_;
  SentLast24Hours sent_;
};

}  // namespace sesv2mock
