#pragma once
// The account-level sending settings a user changed (PutAccount*). Only what was set is
// stored; production access and the quota come from --sandbox, not from here.
#include <optional>
#include <vector>

#include "server/core/sending_model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

struct StoredAccountSettings {
  std::optional<bool> sending_enabled;
  std::optional<std::vector<SuppressionReason>> suppressed_reasons;
};

class AccountStore {
 public:
  explicit AccountStore(Database& db) : db_(db) {}

  StoredAccountSettings get(const Partition& p);
  void set_sending_enabled(const Partition& p, bool enabled);
  void set_suppressed_reasons(const Partition& p, const std::vector<SuppressionReason>& reasons);
  void erase_all(const Partition* p);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
