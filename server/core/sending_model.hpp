#pragma once
// Domain types of SES v2 sending resources: email identities, configuration sets and the
// account's sending settings, named the way the API names them. Shared by the identity /
// configuration-set / account modules and the send path.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

enum class IdentityType { EmailAddress, Domain };  // wire EMAIL_ADDRESS, DOMAIN
enum class VerificationStatus { Pending, Success, Failed, TemporaryFailure, NotStarted };

// Wire names ("EMAIL_ADDRESS", "TEMPORARY_FAILURE", ...) and back; parse_* return nullopt for
// a name outside the enum.
std::string_view to_string(IdentityType v);
std::string_view to_string(VerificationStatus v);
std::optional<IdentityType> parse_identity_type(std::string_view s);
std::optional<VerificationStatus> parse_verification_status(std::string_view s);

// Sending quotas of an account (SES developer guide, request-production-access: a sandbox
// account may send 200 messages per 24 hours at 1 message per second; production values are
// the ones commonly seen on new production accounts).
struct SendQuotaLimits {
  static constexpr double kProductionMax24HourSend = 50'000;
  static constexpr double kProductionMaxSendRate = 14;
  static constexpr double kSandboxMax24HourSend = 200;
  static constexpr double kSandboxMaxSendRate = 1;
};

struct EmailIdentity {
  std::string identity_name;  // as created (an email address or a domain)
  IdentityType type = IdentityType::EmailAddress;
  VerificationStatus status = VerificationStatus::Success;
  double created_timestamp = 0;
  std::optional<std::string> configuration_set_name;
  std::vector<Tag> tags;
};

struct ConfigurationSet {
  std::string name;
  // nullopt = no override (the account's reasons apply); empty vector = override with none.
  std::optional<std::vector<SuppressionReason>> suppressed_reasons;
  bool sending_enabled = true;
  std::vector<Tag> tags;
  double created_timestamp = 0;
  // TrackingOptions, DeliveryOptions, ReputationOptions, VdmOptions and ArchivingOptions as
  // given at creation: a JSON object text, echoed by GetConfigurationSet, no effect on sends.
  std::string echoed_options_json = "{}";
};

struct AccountSettings {
  bool sending_enabled = true;
  bool production_access_enabled = true;  // false under --sandbox
  std::vector<SuppressionReason> suppressed_reasons{SuppressionReason::Bounce,
                                                    SuppressionReason::Complaint};
  // The quota of the account's mode (SendQuotaLimits); not stored, derived from --sandbox.
  double max_24_hour_send = SendQuotaLimits::kProductionMax24HourSend;
  double max_send_rate = SendQuotaLimits::kProductionMaxSendRate;
};

// The key an identity is stored and looked up by: a domain lower-cased; an address with its
// local part as written and its domain lower-cased (SES compares domains case-insensitively).
std::string identity_key(std::string_view identity_name);

}  // namespace sesv2mock
