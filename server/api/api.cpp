#include "server/api/api.hpp"

#include <boost/json/object.hpp>

namespace sesv2mock::api {

const std::string& ApiRequest::label(const std::string& name) const {
  for (const auto& [key, value] : labels) {
    if (key == name)
      return value;
  }
  throw ApiError::bad_request("Missing path label " + name + ".");
}

ApiResponse json_response(boost::json::value body, unsigned status) {
  ApiResponse r;
  r.status = status;
  r.json = std::move(body);
  return r;
}

ApiResponse empty_response() {
  return json_response(boost::json::object{});
}

}  // namespace sesv2mock::api
