#include "server/sending/sending_directory.hpp"

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

}  // namespace sesv2mock
