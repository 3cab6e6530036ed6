#pragma once
// HTTP requests and responses as plain values, and the one route table that maps
// method + path template to an operation. Knows nothing of sockets (the Beast server in
// http_server.cpp feeds it), so every route can be exercised from a unit test.
#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/control/services.hpp"
#include "server/suppression/suppression_service.hpp"  // QueryParams

namespace sesv2mock::http {

struct HttpRequest {
  std::string method;
  std::string target;  // origin-form, still percent-encoded
  std::string body;
  std::string host;
  std::string authorization;
  // Every header as received; filled only when strict SigV4 is on (the verifier reads them).
  std::vector<std::pair<std::string, std::string>> headers;
  // Strict SigV4: the account of the verified access key (the partition's account).
  std::string verified_account;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is sent chunked instead of `body`: each call appends the next piece to
  // its argument and returns false once there is no more (large downloads stay out of memory).
  std::function<bool(std::string& chunk)> body_stream;
};

// What a handler gets: the request, who asks, the decoded path labels and query.
struct Call {
  const HttpRequest& request;
  RequestContext context;
  std::vector<std::pair<std::string, std::string>> labels;  // {"JobId", "..."}
  QueryParams query;
  Services& services;

  const std::string& label(const std::string& name) const;
};

using Handler = std::function<HttpResponse(Call&)>;

HttpResponse json_response(const boost::json::value& body, unsigned status = 200);
HttpResponse error_response(const ApiError& error);

class Router {
 public:
  explicit Router(Services& services) : services_(services) {}

  // `path` is a template such as "/v2/email/import-jobs/{JobId}". `operation` names the
  // SES operation (fault injection matches on it); control routes use "_mock".
  void add(std::string method, std::string path, std::string operation, Handler handler);

  // Never throws: every error becomes an AWS-style error response with a request id.
  HttpResponse handle(const HttpRequest& request);

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string operation;
    Handler handler;
  };
  HttpResponse dispatch(const HttpRequest& request, const std::string& request_id);

  Services& services_;
  std::vector<Route> routes_;
};

// True for the name of any SES v2 operation (implemented here or not).
bool is_sesv2_operation(std::string_view name);

// A fresh UUID for x-amzn-RequestId.
std::string new_request_id();

// Every route of the server: SES v2 operations and the /_mock control API.
void register_routes(Router& router);

// Partition from an `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/...`
// header (defaults when absent or unreadable).
Partition partition_from_authorization(std::string_view authorization);

}  // namespace sesv2mock::http
