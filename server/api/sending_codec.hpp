#pragma once
// JSON <-> typed shapes of the identity, configuration-set and account operations (member
// names as in the sesv2 service model; timestamps in epoch seconds).
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "server/core/json_fields.hpp"
#include "server/core/request_context.hpp"
#include "server/sending/account_service.hpp"
#include "server/sending/configuration_set_service.hpp"
#include "server/sending/identity_service.hpp"

namespace sesv2mock {

// Shared members.
std::vector<Tag> parse_tag_list(const JsonFields& f, std::string_view name);
boost::json::array tag_list_to_json(const std::vector<Tag>& tags);
// nullopt when the member is absent; duplicates count once.
std::optional<std::vector<SuppressionReason>> parse_suppressed_reasons(const JsonFields& f);
boost::json::array reasons_to_json(const std::vector<SuppressionReason>& reasons);
PageRequest parse_paging_query(const QueryParams& query);

// Identities.
CreateEmailIdentityRequest parse_create_email_identity(const boost::json::object& body);
boost::json::object created_identity_to_json(const IdentityView& v);
boost::json::object identity_to_json(const IdentityView& v);
boost::json::object list_identities_to_json(const Page<IdentityView>& page);
// Easy DKIM tokens of a domain: three stable 32-character strings derived from its name.
std::vector<std::string> dkim_tokens(const std::string& domain);

// Configuration sets.
ConfigurationSet parse_create_configuration_set(const boost::json::object& body);
boost::json::object configuration_set_to_json(const ConfigurationSet& set);
boost::json::object list_configuration_sets_to_json(const Page<std::string>& page);

// Account.
boost::json::object account_to_json(const AccountView& v);

}  // namespace sesv2mock
