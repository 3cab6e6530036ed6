#pragma once
// What the send path asks about identities, configuration sets and the account: a read-only
// view over their stores. Concrete (no virtuals); tests build it over a ":memory:" database.
#include <optional>
#include <string_view>

#include "server/core/sending_model.hpp"
#include "server/core/settings.hpp"
#include "storage/read_cache.hpp"

namespace sesv2mock::storage {
class AccountStore;
class ConfigurationSetStore;
class IdentityStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

class SendingDirectory {
 public:
  SendingDirectory(storage::IdentityStore& identities, storage::ConfigurationSetStore& sets,
                   storage::AccountStore& account, const Settings& settings)
      : identities_(identities), sets_(sets), account_(account), settings_(settings) {}

  // Keeps what is read in caches that `db` (the stores' database) invalidates on every write
  // (read_cache.hpp); without this call every question reads the stores.
  void use_cache(const storage::Database& db) { cache_db_ = &db; }

  // True when `address` (already normalised: domain lower-case) is covered by a verified
  // identity: the address itself, or its domain, with status Success.
  bool is_verified(const Partition& p, std::string_view address) const;
  // Defaults when never set; production access false (and the sandbox quota) under --sandbox.
  AccountSettings account(const Partition& p) const;
  std::optional<ConfigurationSet> configuration_set(const Partition& p,
                                                    std::string_view name) const;
  // The identity of that name (an address or a domain; the domain compared
  // case-insensitively), whatever its status.
  std::optional<EmailIdentity> identity(const Partition& p, std::string_view name) const;
  // The configuration set a send from `address` uses when the request names none: that of
  // the address's own identity, else that of its domain's identity (CreateEmailIdentity's
  // ConfigurationSetName). nullopt when neither has one.
  std::optional<std::string> default_configuration_set(const Partition& p,
                                                       std::string_view address) const;

 private:
  AccountSettings load_account(const Partition& p) const;

  storage::IdentityStore& identities_;
  storage::ConfigurationSetStore& sets_;
  storage::AccountStore& account_;
  const Settings& settings_;
  const storage::Database* cache_db_ = nullptr;
  mutable storage::ReadCache<bool> verified_cache_;
  mutable storage::ReadCache<AccountSettings> account_cache_;
  mutable storage::ReadCache<std::optional<ConfigurationSet>> set_cache_;
};

}  // namespace sesv2mock
