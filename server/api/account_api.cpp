#include "server/api/account_api.hpp"

#include "server/api/sending_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

ApiResponse AccountApi::get(const ApiRequest& r) {
  return json_response(account_to_json(account_.get(r.context)));
}

// SuppressedReasons absent or [] : nothing is added to the suppression list automatically.
ApiResponse AccountApi::put_suppression(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  account_.put_suppression_attributes(
      r.context,
      parse_suppressed_reasons(JsonFields(body)).value_or(std::vector<SuppressionReason>{}));
  return empty_response();
}

// SendingEnabled absent is false (SDKs such as Go's leave a false boolean out).
ApiResponse AccountApi::put_sending(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  account_.put_sending_attributes(r.context,
                                  JsonFields(body).boolean("SendingEnabled").value_or(false));
  return empty_response();
}

RouteTable AccountApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  return {
      {"GET", "/v2/email/account", "GetAccount", bind(&AccountApi::get)},
      {"PUT", "/v2/email/account/suppression", "PutAccountSuppressionAttributes",
       bind(&AccountApi::put_suppression)},
      {"PUT", "/v2/email/account/sending", "PutAccountSendingAttributes",
       bind(&AccountApi::put_sending)},
  };
}

}  // namespace sesv2mock::api
