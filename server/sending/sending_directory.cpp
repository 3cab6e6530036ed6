#include "server/sending/sending_directory.hpp"
#include "storage/account_store.hpp"
#include "storage/configuration_set_store.hpp"
#include "storage/identity_store.hpp"

namespace sesv2mock {

bool SendingDirectory::is_verified(const Partition& p, std::string_view address) const {
  const std::string key = identity_key(address);
  if (identities_.is_verified_key(p, key))
    return true;
  auto at = key.rfind('@');
  if (at == std::string::npos)
    return false;
  // A verified domain identity covers every address at that domain.
  return identities_.is_verified_key(p, std::string_view(key).substr(at + 1));
}

AccountSettings SendingDirectory::account(const Partition& p) const {
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
  return sets_.find(p, name);
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
