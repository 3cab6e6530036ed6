#include "server/api/suppression_api.hpp"

#include "server/api/suppression_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

ApiResponse SuppressionApi::put(const ApiRequest& r) {
  auto [email, reason] = parse_put_suppressed_destination(parse_json_body(r.body));
  suppression_.put(r.context, email, reason);
  return empty_response();
}

ApiResponse SuppressionApi::get(const ApiRequest& r) {
  auto d = suppression_.get(r.context, r.label("EmailAddress"));
  return json_response(json::object{{"SuppressedDestination", suppressed_destination_to_json(d)}});
}

ApiResponse SuppressionApi::erase(const ApiRequest& r) {
  suppression_.erase(r.context, r.label("EmailAddress"));
  return empty_response();
}

ApiResponse SuppressionApi::list(const ApiRequest& r) {
  auto result = suppression_.list(r.context, parse_list_suppressed_destinations(r.query));
  return json_response(list_suppressed_destinations_to_json(result));
}

RouteTable SuppressionApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string addresses = "/v2/email/suppression/addresses";
  const std::string address = addresses + "/{EmailAddress}";
  return {
      {"PUT", addresses, "PutSuppressedDestination", bind(&SuppressionApi::put)},
      {"GET", addresses, "ListSuppressedDestinations", bind(&SuppressionApi::list)},
      {"GET", address, "GetSuppressedDestination", bind(&SuppressionApi::get)},
      {"DELETE", address, "DeleteSuppressedDestination", bind(&SuppressionApi::erase)},
  };
}

}  // namespace sesv2mock::api
