#include "server/core/sending_model.hpp"

#include <array>
#include <utility>

#include "server/core/enum_names.hpp"

namespace sesv2mock {
namespace {

constexpr std::array<std::pair<IdentityType, std::string_view>, 2> kIdentityTypes{
    {{IdentityType::EmailAddress, "EMAIL_ADDRESS"}, {IdentityType::Domain, "DOMAIN"}}};
constexpr std::array<std::pair<VerificationStatus, std::string_view>, 5> kVerification{
    {{VerificationStatus::Pending, "PENDING"},
     {VerificationStatus::Success, "SUCCESS"},
     {VerificationStatus::Failed, "FAILED"},
     {VerificationStatus::TemporaryFailure, "TEMPORARY_FAILURE"},
     {VerificationStatus::NotStarted, "NOT_STARTED"}}};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view to_string(IdentityType v) {
  return enum_name(kIdentityTypes, v);
}
std::string_view to_string(VerificationStatus v) {
  return enum_name(kVerification, v);
}
std::optional<IdentityType> parse_identity_type(std::string_view s) {
  return enum_value(kIdentityTypes, s);
}
std::optional<VerificationStatus> parse_verification_status(std::string_view s) {
  return enum_value(kVerification, s);
}

std::string identity_key(std::string_view identity_name) {
  auto at = identity_name.rfind('@');
  std::string key(identity_name);
  for (std::size_t i = (at == std::string_view::npos ? 0 : at + 1); i < key.size(); ++i) {
    key[i] = lower(key[i]);
  }
  return key;
}

}  // namespace sesv2mock
