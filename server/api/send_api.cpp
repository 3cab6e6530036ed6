#include "server/api/send_api.hpp"

#include "server/api/send_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

ApiResponse SendApi::send_email(const ApiRequest& r) {
  auto id = sending_.send_email(r.context, parse_send_email(parse_json_body(r.body)));
  return json_response(json::object{{"MessageId", id}});
}

ApiResponse SendApi::send_bulk_email(const ApiRequest& r) {
  auto results =
      sending_.send_bulk_email(r.context, parse_send_bulk_email(parse_json_body(r.body)));
  return json_response(bulk_results_to_json(results));
}

ApiResponse SendApi::insights(const ApiRequest& r) {
  return json_response(message_insights_to_json(sending_.message(r.context, r.label("MessageId"))));
}

RouteTable SendApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  return {
      {"POST", "/v2/email/outbound-emails", "SendEmail", bind(&SendApi::send_email)},
      {"POST", "/v2/email/outbound-bulk-emails", "SendBulkEmail", bind(&SendApi::send_bulk_email)},
      // The model's URI ends in a slash; clients that drop it are served too.
      {"GET", "/v2/email/insights/{MessageId}/", "GetMessageInsights", bind(&SendApi::insights)},
      {"GET", "/v2/email/insights/{MessageId}", "GetMessageInsights", bind(&SendApi::insights)},
  };
}

}  // namespace sesv2mock::api
