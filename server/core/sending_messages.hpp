#pragma once
// Errors of the identity, configuration-set and account operations, worded in one place.
// Marked "AWS" where the text is what SES itself answers (seen in public bug reports); the
// others are our own, stable wording.
#include <string>

#include "server/core/errors.hpp"

namespace sesv2mock::errors {

// Identities.
ApiError identity_exists(const std::string& name);     // AWS: "Email identity x already exist."
ApiError identity_not_found(const std::string& name);  // "Email identity x does not exist."
ApiError identity_invalid(const std::string& name);
ApiError dkim_for_address();

// Configuration sets (AWS's SES v1 wording: "Configuration set <x> does not exist.").
ApiError configuration_set_not_found(const std::string& name);
ApiError configuration_set_exists(const std::string& name);
ApiError configuration_set_name_rules();

// Control API.
ApiError verification_status_invalid();

}  // namespace sesv2mock::errors
