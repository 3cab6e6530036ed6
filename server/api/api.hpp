#pragma once
// The contract between the HTTP layer and the API layer: a request as an operation sees
// it, the response it gives back, and the route entries (method + path template ->
// handler) each resource family's API object contributes. The HTTP layer consumes these
// types; it knows no domain module and no storage.
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/core/errors.hpp"
#include "server/core/request_context.hpp"

namespace sesv2mock::api {

struct ApiRequest {
  std::string_view body;
  RequestContext context;
  std::vector<std::pair<std::string, std::string>> labels;  // {"JobId", "..."}
  QueryParams query;
  std::string if_none_match;  // the request's If-None-Match header (static assets)

  // The decoded path label `name` (BadRequestException when the template has none).
  const std::string& label(const std::string& name) const;
};

// A JSON document (written as wire text by the HTTP layer), or another body as is.
struct ApiResponse {
  unsigned status = 200;
  std::optional<boost::json::value> json;
  std::string content_type;  // of `body`, when json is empty
  std::string body;
  // When set, the body is produced piece by piece and sent chunked instead of `body`: each
  // call appends the next piece and returns false once there is no more.
  std::function<bool(std::string& chunk)> body_stream;
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

// The operation name SES clients and fault injection know a route by; control routes use
// kControlOperation and are never fault-injected.
inline constexpr const char* kControlOperation = "_mock";

struct RouteEntry {
  std::string method;
  // A template such as "/v2/email/import-jobs/{JobId}"; a last label written {Name+} takes
  // the rest of the path, slashes included.
  std::string path;
  std::string operation;
  ApiHandler handler;
};

using RouteTable = std::vector<RouteEntry>;

// A handler that calls `api->*method` (the API objects' member functions).
template <typename Api>
ApiHandler bind_handler(Api* api, ApiResponse (Api::*method)(const ApiRequest&)) {
  return [api, method](const ApiRequest& r) { return (api->*method)(r); };
}

ApiResponse json_response(boost::json::value body, unsigned status = 200);
ApiResponse empty_response();  // {}

// Called with a route's operation before its handler runs; throws to answer with an error
// instead (fault injection).
using OperationGuard = std::function<void(const std::string& operation)>;

}  // namespace sesv2mock::api
