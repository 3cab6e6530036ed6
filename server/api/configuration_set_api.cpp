#include "server/api/configuration_set_api.hpp"

#include "server/api/sending_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace {
constexpr const char* kName = "ConfigurationSetName";
}

ApiResponse ConfigurationSetApi::create(const ApiRequest& r) {
  sets_.create(r.context, parse_create_configuration_set(parse_json_body(r.body)));
  return empty_response();
}

ApiResponse ConfigurationSetApi::get(const ApiRequest& r) {
  return json_response(configuration_set_to_json(sets_.get(r.context, r.label(kName))));
}

ApiResponse ConfigurationSetApi::list(const ApiRequest& r) {
  return json_response(
      list_configuration_sets_to_json(sets_.list(r.context, parse_paging_query(r.query))));
}

ApiResponse ConfigurationSetApi::erase(const ApiRequest& r) {
  sets_.erase(r.context, r.label(kName));
  return empty_response();
}

// SuppressedReasons absent: the set no longer overrides the account (its reasons apply);
// [] : an override that suppresses for no reason.
ApiResponse ConfigurationSetApi::put_suppression(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  sets_.put_suppression_options(r.context, r.label(kName),
                                parse_suppressed_reasons(JsonFields(body)));
  return empty_response();
}

// SendingEnabled absent is false: SDKs that leave out a false boolean (Go) must be able to
// pause a set.
ApiResponse ConfigurationSetApi::put_sending(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  sets_.put_sending_options(r.context, r.label(kName),
                            JsonFields(body).boolean("SendingEnabled").value_or(false));
  return empty_response();
}

RouteTable ConfigurationSetApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string sets = "/v2/email/configuration-sets";
  const std::string set = sets + "/{ConfigurationSetName}";
  return {
      {"POST", sets, "CreateConfigurationSet", bind(&ConfigurationSetApi::create)},
      {"GET", sets, "ListConfigurationSets", bind(&ConfigurationSetApi::list)},
      {"GET", set, "GetConfigurationSet", bind(&ConfigurationSetApi::get)},
      {"DELETE", set, "DeleteConfigurationSet", bind(&ConfigurationSetApi::erase)},
      {"PUT", set + "/suppression-options", "PutConfigurationSetSuppressionOptions",
       bind(&ConfigurationSetApi::put_suppression)},
      {"PUT", set + "/sending", "PutConfigurationSetSendingOptions",
       bind(&ConfigurationSetApi::put_sending)},
  };
}

}  // namespace sesv2mock::api
