#pragma once
// What the send path asks about identities, configuration sets and the account: a read-only
// view over their stores. Concrete (no virtuals); tests build it over a ":memory:" database.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/sending_model.hpp"
#include "server/core/settings.hpp"

namespace sesv2mock::storage {
class AccountStore;
class ConfigurationSetStore;
class Database;
class IdentityStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

class SendingDirectory {
 public:
  SendingDirectory(storage::IdentityStore& identities, storage::ConfigurationSetStore& sets,
                   storage::AccountStore& account, const Settings& settings);
  ~SendingDirectory();

  // Keeps what is read in caches that `db` (the stores' database) invalidates on every write
  // (read_cache.hpp); without this call every question reads the stores.
  void use_cache(const storage::Database& db);

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
  // The identity a send from `address` (normalised) is counted under in VDM metrics
  // (EMAIL_IDENTITY): the address itself when it is a verified identity, else its domain, as
  // is_verified matches them.
  std::string sending_identity(const Partition& p, std::string_view address) const;

 private:
  AccountSettings load_account(const Partition& p) const;

  storage::IdentityStore& identities_;
  storage::ConfigurationSetStore& sets_;
  storage::AccountStore& account_;
  const Settings& settings_;
  struct Caches;  // sending_directory.cpp (the API layer sees no storage header)
  std::unique_ptr<Caches> caches_;
};

}  // namespace sesv2mock
