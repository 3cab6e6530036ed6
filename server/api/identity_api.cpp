#include "server/api/identity_api.hpp"

#include "server/api/sending_codec.hpp"
#include "server/core/json_fields.hpp"
#include "server/core/sending_messages.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

ApiResponse IdentityApi::create(const ApiRequest& r) {
  auto view = identities_.create(r.context, parse_create_email_identity(parse_json_body(r.body)));
  return json_response(created_identity_to_json(view));
}

ApiResponse IdentityApi::get(const ApiRequest& r) {
  return json_response(identity_to_json(identities_.get(r.context, r.label("EmailIdentity"))));
}

ApiResponse IdentityApi::list(const ApiRequest& r) {
  return json_response(
      list_identities_to_json(identities_.list(r.context, parse_paging_query(r.query))));
}

ApiResponse IdentityApi::erase(const ApiRequest& r) {
  identities_.erase(r.context, r.label("EmailIdentity"));
  return empty_response();
}

// Body {"VerificationStatus": "...", "Account"?: "...", "Region"?: "..."}; the partition is
// the request's (SigV4 scope, else the default) unless the body names one.
ApiResponse IdentityApi::set_verification(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  JsonFields f(body, "", /*exact_names=*/true);
  auto status = parse_verification_status(f.required_string("VerificationStatus"));
  if (!status)
    throw errors::verification_status_invalid();
  Partition p = r.context.partition;
  if (auto account = f.string("Account"))
    p.account = *account;
  if (auto region = f.string("Region"))
    p.region = *region;
  auto view = identities_.set_status(p, r.label("EmailIdentity"), *status);
  json::object out = identity_to_json(view);
  out["IdentityName"] = view.identity.identity_name;
  return json_response(std::move(out));
}

RouteTable IdentityApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string identities = "/v2/email/identities";
  const std::string identity = identities + "/{EmailIdentity}";
  return {
      {"POST", identities, "CreateEmailIdentity", bind(&IdentityApi::create)},
      {"GET", identities, "ListEmailIdentities", bind(&IdentityApi::list)},
      {"GET", identity, "GetEmailIdentity", bind(&IdentityApi::get)},
      {"DELETE", identity, "DeleteEmailIdentity", bind(&IdentityApi::erase)},
      {"POST", "/_mock/identities/{EmailIdentity}/verification", kControlOperation,
       bind(&IdentityApi::set_verification)},
  };
}

}  // namespace sesv2mock::api
