// The web inspector's server side: embedded assets behind /_mock/ui/ (deep links answer the
// page, headers, ETag revalidation), the router's greedy {Path+} label, and the partition
// the /_mock listings read from ?account=&region=.
#include <doctest/doctest.h>

#include "server/api/attachment_download.hpp"
#include "server/api/inspector_api.hpp"
#include "server/api/ui_api.hpp"
#include "server/http/router.hpp"
#include "server/ui/ui_assets.hpp"
#include "storage/database.hpp"
#include "storage/suppression_store.hpp"

namespace {

using sesv2mock::http::HttpRequest;
using sesv2mock::http::HttpResponse;

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return "";
}

HttpResponse get(sesv2mock::http::Router& router, const std::string& target,
                 const std::string& if_none_match = "") {
  HttpRequest request;
  request.method = "GET";
  request.target = target;
  request.if_none_match = if_none_match;
  return router.handle(request);
}

}  // namespace

TEST_CASE("every page path under /_mock/ui answers the inspector page with a CSP") {
  sesv2mock::api::UiApi ui;
  sesv2mock::http::Router router;
  router.add(ui.routes());
  for (std::string path :
       {"/_mock/ui", "/_mock/ui/", "/_mock/ui/suppression", "/_mock/ui/messages/0100-abc",
        "/_mock/ui/contact-lists?list=x", "/_mock/ui/a/b/c/d"}) {
    CAPTURE(path);
    auto r = get(router, path);
    CHECK(r.status == 200);
    CHECK(r.content_type == "text/html; charset=utf-8");
    CHECK(r.body.find("<script type=\"module\" src=\"/_mock/ui/assets/app.js\">") !=
          std::string::npos);
    CHECK(header(r, "Content-Security-Policy") == sesv2mock::api::kUiContentSecurityPolicy);
    CHECK(header(r, "Cache-Control") == "no-cache");
    CHECK(header(r, "ETag").size() == 18);  // "…16 hex digits…"
  }
}

TEST_CASE("assets have their content type; an unknown asset is a 404, not the page") {
  sesv2mock::api::UiApi ui;
  sesv2mock::http::Router router;
  router.add(ui.routes());
  auto js = get(router, "/_mock/ui/assets/app.js");
  CHECK(js.status == 200);
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(js.body.find("innerHTML") == std::string::npos);
  CHECK(header(js, "X-Content-Type-Options") == "nosniff");
  CHECK(header(js, "Content-Security-Policy").empty());
  auto css = get(router, "/_mock/ui/assets/app.css");
  CHECK(css.status == 200);
  CHECK(css.content_type == "text/css; charset=utf-8");
  auto missing = get(router, "/_mock/ui/assets/nope.js");
  CHECK(missing.status == 404);
  CHECK(header(missing, "x-amzn-ErrorType") == "NotFoundException");
}

TEST_CASE("no asset of the inspector writes HTML from strings") {
  for (const auto& a : sesv2mock::ui::embedded_assets()) {
    CAPTURE(a.path);
    CHECK(a.body.find("innerHTML") == std::string::npos);
    CHECK(a.body.find("outerHTML") == std::string::npos);
    CHECK(a.body.find("insertAdjacentHTML") == std::string::npos);
    CHECK(a.body.find("document.write") == std::string::npos);
  }
}

TEST_CASE("a matching If-None-Match gets 304 without a body; another ETag the file") {
  sesv2mock::api::UiApi ui;
  sesv2mock::http::Router router;
  router.add(ui.routes());
  auto first = get(router, "/_mock/ui/assets/app.js");
  auto again = get(router, "/_mock/ui/assets/app.js", header(first, "ETag"));
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(header(again, "ETag") == header(first, "ETag"));
  auto stale = get(router, "/_mock/ui/assets/app.js", "\"0000000000000000\"");
  CHECK(stale.status == 200);
  CHECK(stale.body == first.body);
  CHECK(header(get(router, "/_mock/ui/assets/app.css"), "ETag") != header(first, "ETag"));
}

TEST_CASE("a greedy {Path+} label takes the rest of the path; other templates stay exact") {
  sesv2mock::http::Router router;
  sesv2mock::api::RouteTable routes;
  routes.push_back({"GET", "/x/{Id}", "_mock", [](const sesv2mock::api::ApiRequest& r) {
                      return sesv2mock::api::json_response(boost::json::value(r.label("Id")));
                    }});
  routes.push_back({"GET", "/y/{Rest+}", "_mock", [](const sesv2mock::api::ApiRequest& r) {
                      return sesv2mock::api::json_response(boost::json::value(r.label("Rest")));
                    }});
  router.add(std::move(routes));
  CHECK(get(router, "/x/a").body == "\"a\"");
  CHECK(get(router, "/x/a/b").status == 404);
  CHECK(get(router, "/y/a").body == "\"a\"");
  CHECK(get(router, "/y/a/b%2Fc/d").body == "\"a/b/c/d\"");
  CHECK(get(router, "/y").status == 404);
  CHECK(get(router, "/y/").status == 404);  // an empty label never matches
}

TEST_CASE("the inspector's partition comes from ?account=&region= and is checked") {
  using sesv2mock::api::partition_of_query;
  CHECK(partition_of_query({}).account == "000000000000");
  CHECK(partition_of_query({}).region == "us-east-1");
  auto p = partition_of_query({{"account", "123456789012"}, {"region", "eu-west-2"}});
  CHECK(p.account == "123456789012");
  CHECK(p.region == "eu-west-2");
  CHECK_FALSE(sesv2mock::api::optional_partition_of_query({{"PageSize", "5"}}));
  CHECK(sesv2mock::api::optional_partition_of_query({{"region", "eu-west-2"}})->account ==
        "000000000000");
  auto error_of = [](sesv2mock::QueryParams q) {
    try {
      partition_of_query(q);
    } catch (const sesv2mock::ApiError& e) {
      return std::to_string(e.status()) + " " + e.code() + " " + e.message();
    }
    return std::string("no error");
  };
  CHECK(error_of({{"account", "12345"}}) ==
        "400 BadRequestException 1 validation error detected: Value at 'account' failed to "
        "satisfy constraint: Member must be a 12-digit AWS account id");
  CHECK(error_of({{"region", "<script>"}}).starts_with("400 BadRequestException"));
  CHECK(error_of({{"region", ""}}).starts_with("400 BadRequestException"));
}

TEST_CASE("the suppression search matches a part of the address, any case, % and _ literally") {
  sesv2mock::storage::Database db(":memory:");
  sesv2mock::storage::SuppressionStore store(db);
  sesv2mock::Partition p;
  for (std::string email : {"ann@shop.example", "bob@shop.example", "a_b@x.example",
                            "axb@x.example", "100%@x.example"}) {
    store.put(p, {email, sesv2mock::SuppressionReason::Bounce, 1.0});
  }
  auto search = [&](std::string text) {
    sesv2mock::storage::SuppressionQuery q;
    q.contains = std::move(text);
    std::string out;
    for (const auto& d : store.list(p, q))
      out += d.email_address + " ";
    return out;
  };
  CHECK(search("SHOP") == "ann@shop.example bob@shop.example ");
  CHECK(search("a_b") == "a_b@x.example ");  // not axb
  CHECK(search("0%@") == "100%@x.example ");
  CHECK(search("") ==
        "100%@x.example a_b@x.example ann@shop.example axb@x.example bob@shop.example ");
  CHECK(search("nobody") == "");
  sesv2mock::Partition other{"111111111111", "us-east-1"};
  CHECK(store.list(other, {}).empty());
}

TEST_CASE("an attachment download gets an inert content type or application/octet-stream") {
  using sesv2mock::api::safe_attachment_content_type;
  CHECK(safe_attachment_content_type("text/plain") == "text/plain; charset=utf-8");
  CHECK(safe_attachment_content_type("Image/PNG; name=x.png") == "image/png");
  CHECK(safe_attachment_content_type("application/pdf") == "application/pdf");
  for (const char* active :
       {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/javascript",
        "text/html; charset=utf-8", "", "nonsense", "text/plain\r\nX-Evil: 1"}) {
    CAPTURE(active);
    CHECK(safe_attachment_content_type(active) == "application/octet-stream");
  }
}

TEST_CASE("an attachment's file name is cleaned for Content-Disposition") {
  using sesv2mock::api::attachment_disposition;
  CHECK(attachment_disposition("report.pdf", "fb") ==
        "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  // Quotes, header breaks and path parts never reach the header.
  CHECK(attachment_disposition("../../etc/x\"\r\nSet-Cookie: a=b.txt", "fb") ==
        "attachment; filename=\"x_Set-Cookie_ a_b.txt\"; "
        "filename*=UTF-8''x%22Set-Cookie%3A%20a%3Db.txt");
  CHECK(attachment_disposition("C:\\Users\\me\\<img src=x onerror=1>.html", "fb") ==
        "attachment; filename=\"_img src_x onerror_1_.html\"; "
        "filename*=UTF-8''%3Cimg%20src%3Dx%20onerror%3D1%3E.html");
  // UTF-8 survives in the extended form; the ASCII fallback has '_' for each byte.
  CHECK(attachment_disposition("r\xC3\xA9sum\xC3\xA9.txt", "fb") ==
        "attachment; filename=\"r__sum__.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt");
  CHECK(attachment_disposition("", "m-attachment-0") ==
        "attachment; filename=\"m-attachment-0\"; filename*=UTF-8''m-attachment-0");
  CHECK(attachment_disposition("..", "fb") == "attachment; filename=\"fb\"; filename*=UTF-8''fb");
  CHECK(attachment_disposition(".hidden", "fb") ==
        "attachment; filename=\"hidden\"; filename*=UTF-8''hidden");
  // Cut to kMaxFileNameBytes, never inside a UTF-8 character.
  std::string long_name(sesv2mock::api::kMaxFileNameBytes - 1, 'a');
  long_name += "\xC3\xA9\xC3\xA9";
  auto header = attachment_disposition(long_name, "fb");
  CHECK(header.find("%C3") == std::string::npos);
  CHECK(header.ends_with(std::string(sesv2mock::api::kMaxFileNameBytes - 1, 'a')));
}
