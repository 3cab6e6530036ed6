#include "server/core/sending_messages.hpp"

namespace sesv2mock::errors {

ApiError identity_exists(const std::string& name) {
  return ApiError::already_exists("Email identity " + name + " already exist.");
}
ApiError identity_not_found(const std::string& name) {
  return ApiError::not_found("Email identity " + name + " does not exist.");
}
ApiError identity_invalid(const std::string& name) {
  return ApiError::bad_request("Invalid email identity: " + name +
                               ". It must be an email address or a domain name.");
}
ApiError dkim_for_address() {
  return ApiError::bad_request(
      "DkimSigningAttributes can only be specified for a domain identity, not an email "
      "address.");
}

ApiError configuration_set_not_found(const std::string& name) {
  return ApiError::not_found("Configuration set <" + name + "> does not exist.");
}
ApiError configuration_set_exists(const std::string& name) {
  return ApiError::already_exists("Configuration set <" + name + "> already exists.");
}
ApiError configuration_set_name_rules() {
  return ApiError::bad_request(
      "ConfigurationSetName can contain up to 64 characters. Only alphanumeric characters, "
      "underscores(_) and hyphens(-) are allowed.");
}

ApiError verification_status_invalid() {
  return ApiError::validation(
      "VerificationStatus",
      "Member must satisfy enum value set: [PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE, "
      "NOT_STARTED]");
}

}  // namespace sesv2mock::errors
