#include "server/http/router.hpp"

#include <boost/json/object.hpp>
#include <boost/url/parse.hpp>

#include "server/api/sesv2_operations.hpp"
#include "server/core/log.hpp"
#include "server/http/json_text.hpp"
#include "server/http/request_id.hpp"

namespace sesv2mock::http {

namespace json = boost::json;

namespace {

std::vector<std::string> split_template(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos)
      slash = path.size();
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_label(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches decoded path segments against a template; fills labels on success.
bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
           std::vector<std::pair<std::string, std::string>>* labels) {
  const bool greedy = !pattern.empty() && is_label(pattern.back()) &&
                      pattern.back()[pattern.back().size() - 2] == '+';
  if (greedy ? segments.size() < pattern.size() : pattern.size() != segments.size())
    return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_label(pattern[i])) {
      std::string value = segments[i];
      if (greedy && i + 1 == pattern.size()) {
        for (std::size_t j = i + 1; j < segments.size(); ++j)
          value += "/" + segments[j];
      }
      if (value.empty())
        return false;
      std::string name = pattern[i].substr(1, pattern[i].size() - 2);
      if (!name.empty() && name.back() == '+')
        name.pop_back();
      if (labels)
        labels->emplace_back(name, value);
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

const char* known_operation(const std::string& method, const std::vector<std::string>& segments) {
  for (const auto& op : api::sesv2_operations()) {
    if (method == op.method && match(split_template(op.path), segments, nullptr))
      return op.name;
  }
  return nullptr;
}

}  // namespace

std::string new_request_id() {
  return next_request_id();
}

HttpResponse json_response(const json::value& body, unsigned status) {
  HttpResponse r;
  r.status = status;
  r.body = to_json_text(body);
  return r;
}

HttpResponse error_response(const ApiError& error) {
  HttpResponse r = json_response(json::object{{"message", error.message()}}, error.status());
  r.headers.emplace_back("x-amzn-ErrorType", error.code());
  return r;
}

void Router::add(api::RouteTable routes) {
  for (auto& r : routes) {
    routes_.push_back({std::move(r.method), split_template(r.path), std::move(r.operation),
                       std::move(r.handler)});
  }
}

namespace {

HttpResponse to_http(api::ApiResponse response) {
  if (response.json) {
    HttpResponse r = json_response(*response.json, response.status);
    r.headers = std::move(response.headers);
    return r;
  }
  HttpResponse r;
  r.status = response.status;
  r.content_type = std::move(response.content_type);
  r.body = std::move(response.body);
  r.body_stream = std::move(response.body_stream);
  r.headers = std::move(response.headers);
  return r;
}

}  // namespace

HttpResponse Router::handle(const HttpRequest& request) {
  std::string request_id = new_request_id();
  HttpResponse response;
  try {
    response = dispatch(request, request_id);
  } catch (const ApiError& e) {
    response = error_response(e);
  } catch (const std::exception& e) {
    log::write(log::Level::Error, "internal error on %s %s: %s", request.method.c_str(),
               request.target.c_str(), e.what());
    response = error_response(ApiError::internal("Internal error: " + std::string(e.what())));
  }
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  if (log::enabled(log::Level::Debug)) {
    log::write(log::Level::Debug, "%s %s -> %u (%s)", request.method.c_str(),
               request.target.c_str(), response.status, request_id.c_str());
  }
  return response;
}

HttpResponse Router::dispatch(const HttpRequest& request, const std::string& request_id) {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url)
    throw ApiError::bad_request("The request target " + request.target + " is not valid.");
  // Split on '/' first, then decode each segment, so %2F stays inside its label.
  std::vector<std::string> segments;
  for (auto seg : url->encoded_segments())
    segments.push_back(seg.decode());
  if (segments.empty())
    segments.emplace_back();

  for (const auto& route : routes_) {
    std::vector<std::pair<std::string, std::string>> labels;
    if (route.method != request.method || !match(route.segments, segments, &labels))
      continue;
    api::ApiRequest call{request.body, {}, std::move(labels), {}, request.if_none_match};
    call.context.partition = partition_from_authorization(request.authorization);
    if (!request.verified_account.empty())
      call.context.partition.account = request.verified_account;
    call.context.host = request.host;
    call.context.request_id = request_id;
    for (auto param : url->params())
      call.query.emplace_back(param.key, param.value);
    if (guard_ && route.operation != api::kControlOperation)
      guard_(route.operation);
    return to_http(route.handler(call));
  }
  if (const char* name = known_operation(request.method, segments)) {
    throw ApiError::not_implemented("The SES v2 operation " + std::string(name) +
                                    " is not implemented by sesv2-mock.");
  }
  throw ApiError::unknown_operation("No route for " + request.method + " " +
                                    std::string(url->encoded_path()) + ".");
}

}  // namespace sesv2mock::http
