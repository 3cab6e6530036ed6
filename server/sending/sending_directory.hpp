#pragma once
// What the send path asks about identities, configuration sets and the account: a read-only
// view over their stores. Concrete (no virtuals); tests build it over a ":memory:" database.
#include <optional>
#include <string_view>

#include "server/core/sending_model.hpp"
#include "server/core/settings.hpp"
#include "storage/account_store.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/identity_store.hpp"

namespace sesv2mock {

class SendingDirectory {
 public:
  SendingDirectory(storage::IdentityStore& identities, storage::ConfigurationSetStore& sets,
                   storage::AccountStore& account, const Settings& settings)
      : identities_(identities), sets_(sets), account_(account), settings_(settings) {}

  // True when `address` (already normalised: domain lower-case) is covered by a verified
  // identity: the address itself, or its domain, with status Success.
  bool is_verified(const Partition& p, std::string_view address) const;
  // Defaults when never set; production access false (and the sandbox quota) under --sandbox.
  AccountSettings account(const Partition& p) const;
  std::optional<ConfigurationSet> configuration_set(const Partition& p,
                                                    std::string_view name) const;

 private:
  storage::IdentityStore& identities_;
  storage::ConfigurationSetStore& sets_;
  storage::AccountStore& account_;
  const Settings& settings_;
};

}  // namespace sesv2mock
