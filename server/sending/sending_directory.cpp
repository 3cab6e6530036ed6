#include "server/sending/sending_directory.hpp"
#include "storage/account_store.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/identity_store.hpp"
#include "storage/read_cache.hpp"

namespace sesv2mock {

struct SendingDirectory::Caches {
  const storage::Database* db = nullptr;
  storage::ReadCache<bool> verified;
  storage::ReadCache<AccountSettings> account;
  storage::ReadCache<std::optional<ConfigurationSet>> sets;
};

SendingDirectory::SendingDirectory(storage::IdentityStore& identities,
                                   storage::ConfigurationSetStore& sets,
                                   storage::AccountStore& account, const Settings& settings)
    : identities_(identities), sets_(sets), account_(account), settings_(settings) {}

SendingDirectory::~SendingDirectory() = default;

void SendingDirectory::use_cache(const storage::Database& db) {
  caches_ = std::make_unique<Caches>();
  caches_->db = &db;
}

bool SendingDirectory::is_verified(const Partition& p, std::string_view address) const {
  const std::string key = identity_key(address);
  auto verified = [&](std::string_view k) {
    auto load = [&] { return identities_.is_verified_key(p, k); };
    return caches_ ? caches_->verified.get(caches_->db, p, k, load) : load();
  };
  if (verified(key))
    return true;
  auto at = key.rfind('@');
  if (at == std::string::npos)
    return false;
  // A verified domain identity covers every address at that domain.
  return verified(std::string_view(key).substr(at + 1));
}

AccountSettings SendingDirectory::account(const Partition& p) const {
  // Keyed by --sandbox too: the settings are no database write that would empty the cache.
  auto load = [&] { return load_account(p); };
  return caches_ ? caches_->account.get(caches_->db, p, settings_.sandbox ? "sandbox" : "", load)
                 : load();
}

AccountSettings SendingDirectory::load_account(const Partition& p) const {
  AccountSettings a;
  if (settings_.sandbox) {
    a.production_access_enabled = false;
    a.max_24_hour_send = SendQuotaLimits::kSandboxMax24HourSend;
    a.max_send_rate = SendQuotaLimits::kSandboxMaxSendRate;
  }
  auto stored = account_.get(p);
  if (stored.sending_enabled)
    a.sending_enabled = *stored.sending_enabled;
  if (stored.suppressed_reasons)
    a.suppressed_reasons = *stored.suppressed_reasons;
  return a;
}

std::optional<ConfigurationSet> SendingDirectory::configuration_set(const Partition& p,
                                                                    std::string_view name) const {
  auto load = [&] { return sets_.find(p, name); };
  return caches_ ? caches_->sets.get(caches_->db, p, name, load) : load();
}

std::optional<EmailIdentity> SendingDirectory::identity(const Partition& p,
                                                        std::string_view name) const {
  return identities_.find(p, name);
}

std::optional<std::string> SendingDirectory::default_configuration_set(
    const Partition& p, std::string_view address) const {
  if (auto own = identities_.find(p, address); own && own->configuration_set_name) {
    return own->configuration_set_name;
  }
  auto at = address.rfind('@');
  if (at == std::string_view::npos)
    return std::nullopt;
  if (auto domain = identities_.find(p, address.substr(at + 1))) {
    return domain->configuration_set_name;
  }
  return std::nullopt;
}

std::string SendingDirectory::sending_identity(const Partition& p, std::string_view address) const {
  if (identities_.is_verified_key(p, identity_key(address)))
    return std::string(address);
  auto at = address.rfind('@');
  return std::string(at == std::string_view::npos ? address : address.substr(at + 1));
}

}  // namespace sesv2mock
