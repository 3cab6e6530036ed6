// The HTTP router over route entries of the API layer (no storage, no domain module).
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <stdexcept>

#include "server/http/router.hpp"

using namespace sesv2mock;
using namespace sesv2mock::http;

namespace {

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name)
      return value;
  }
  return "";
}

HttpResponse call(Router& router, std::string method, std::string target, std::string body = "") {
  return router.handle({std::move(method), std::move(target), std::move(body), "h:1", ""});
}

}  // namespace

TEST_CASE("Router") {
  Router router;
  std::vector<std::string> guarded;
  api::ApiRequest seen{"", {}, {}, {}};
  router.add({
      {"GET", "/v2/email/contact-lists/{ContactListName}", "GetContactList",
       [&](const api::ApiRequest& r) {
         seen = r;
         return api::json_response(boost::json::object{{"name", r.label("ContactListName")}});
       }},
      {"GET", "/_mock/file", api::kControlOperation,
       [](const api::ApiRequest&) {
         api::ApiResponse r;
         r.content_type = "text/csv";
         r.body = "a,b\n";
         return r;
       }},
      {"GET", "/v2/email/import-jobs/{JobId}", "GetImportJob",
       [](const api::ApiRequest&) -> api::ApiResponse { throw std::runtime_error("boom"); }},
  });
  router.set_guard([&](const std::string& operation) {
    guarded.push_back(operation);
    if (operation == "GetImportJob")
      throw ApiError("TooManyRequestsException", "slow down");
  });

  SUBCASE("labels are decoded per segment; query and host reach the handler") {
    auto r = call(router, "GET", "/v2/email/contact-lists/a%2Fb?PageSize=2&x=%20y");
    CHECK(r.status == 200);
    CHECK(r.content_type == "application/json");
    CHECK(boost::json::parse(r.body).at("name") == "a/b");
    CHECK(seen.query == QueryParams{{"PageSize", "2"}, {"x", " y"}});
    CHECK(seen.context.host == "h:1");
    CHECK(seen.context.request_id == header(r, "x-amzn-RequestId"));
    CHECK(guarded == std::vector<std::string>{"GetContactList"});
  }
  SUBCASE("control routes are not guarded and may answer other content") {
    auto r = call(router, "GET", "/_mock/file");
    CHECK(r.status == 200);
    CHECK(r.content_type == "text/csv");
    CHECK(r.body == "a,b\n");
    CHECK(guarded.empty());
  }
  SUBCASE("the guard's error is the answer, with its status from the error table") {
    auto r = call(router, "GET", "/v2/email/import-jobs/j1");
    CHECK(r.status == 429);
    CHECK(header(r, "x-amzn-ErrorType") == "TooManyRequestsException");
    CHECK(boost::json::parse(r.body).at("message") == "slow down");
  }
  SUBCASE("an unexpected exception is a 500, never a crash") {
    router.set_guard({});
    auto r = call(router, "GET", "/v2/email/import-jobs/j1");
    CHECK(r.status == 500);
    CHECK(header(r, "x-amzn-ErrorType") == "InternalServiceErrorException");
    CHECK(boost::json::parse(r.body).at("message") == "Internal error: boom");
  }
  SUBCASE("a known SES operation without a route is 501, anything else 404") {
    auto r = call(router, "POST", "/v2/email/outbound-emails");
    CHECK(r.status == 501);
    CHECK(boost::json::parse(r.body).at("message") ==
          "The SES v2 operation SendEmail is not implemented by sesv2-mock.");
    r = call(router, "GET", "/nowhere");
    CHECK(r.status == 404);
    CHECK(header(r, "x-amzn-ErrorType") == "UnknownOperationException");
  }
}
