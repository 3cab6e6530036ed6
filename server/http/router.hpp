#pragma once
// HTTP requests and responses as plain values, and the router that maps method + path
// template to the API layer's handlers. Knows nothing of sockets (the Beast server in
// http_server.cpp feeds it), nothing of storage and no domain module: it consumes the
// route entries of server/api, so every route can be exercised from a unit test.
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/api/api.hpp"

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
  std::string if_none_match;
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

HttpResponse json_response(const boost::json::value& body, unsigned status = 200);
HttpResponse error_response(const ApiError& error);

class Router {
 public:
  // Routes are tried in the order added: add literal paths before templates that could
  // also match them.
  void add(api::RouteTable routes);
  // Runs before every SES v2 operation's handler (not before control routes).
  void set_guard(api::OperationGuard guard) { guard_ = std::move(guard); }

  // Never throws: every error becomes an AWS-style error response with a request id.
  HttpResponse handle(const HttpRequest& request);

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string operation;
    api::ApiHandler handler;
  };
  HttpResponse dispatch(const HttpRequest& request, const std::string& request_id);

  std::vector<Route> routes_;
  api::OperationGuard guard_;
};

// A fresh UUID for x-amzn-RequestId.
std::string new_request_id();

// Partition from an `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/...`
// header (defaults when absent or unreadable).
Partition partition_from_authorization(std::string_view authorization);

}  // namespace sesv2mock::http
