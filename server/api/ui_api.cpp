#include "server/api/ui_api.hpp"

#include <cstdint>
#include <cstdio>

#include "server/ui/ui_assets.hpp"

namespace sesv2mock::api {

namespace {

constexpr const char* kIndex = "index.html";
constexpr std::string_view kAssetPrefix = "assets/";

std::string content_type_of(std::string_view path) {
  auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
  if (ends(".html"))
    return "text/html; charset=utf-8";
  if (ends(".css"))
    return "text/css; charset=utf-8";
  if (ends(".js") || ends(".mjs"))
    return "text/javascript; charset=utf-8";
  if (ends(".svg"))
    return "image/svg+xml";
  if (ends(".png"))
    return "image/png";
  if (ends(".ico"))
    return "image/x-icon";
  return "application/octet-stream";
}

// FNV-1a: a stable content hash, so the ETag changes exactly when the embedded file does.
std::string etag_of(std::string_view body) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

UiApi::UiApi() {
  for (const auto& a : ui::embedded_assets()) {
    std::string body(a.body);
    std::string etag = etag_of(body);
    assets_[std::string(a.path)] = Asset{std::move(body), content_type_of(a.path), std::move(etag)};
  }
}

ApiResponse UiApi::serve(const Asset& asset, const ApiRequest& r) const {
  ApiResponse out;
  out.content_type = asset.content_type;
  // no-cache: the browser may keep the file but asks each time (a rebuilt binary may carry
  // new pages); the ETag makes that question cheap.
  out.headers = {{"ETag", asset.etag},
                 {"Cache-Control", "no-cache"},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"}};
  if (asset.content_type.starts_with("text/html")) {
    out.headers.emplace_back("Content-Security-Policy", kUiContentSecurityPolicy);
  }
  if (!r.if_none_match.empty() && r.if_none_match == asset.etag) {
    out.status = 304;
    return out;
  }
  out.body = asset.body;
  return out;
}

ApiResponse UiApi::page(const ApiRequest& r) {
  auto it = assets_.find(kIndex);
  if (it == assets_.end())
    throw ApiError::internal("The web inspector was built without its page.");
  return serve(it->second, r);
}

ApiResponse UiApi::any_path(const ApiRequest& r) {
  const std::string& path = r.label("Path");
  if (path.starts_with(kAssetPrefix)) {
    auto it = assets_.find(path.substr(kAssetPrefix.size()));
    if (it == assets_.end())
      throw ApiError::not_found("The web inspector has no file " + path + ".");
    return serve(it->second, r);
  }
  return page(r);
}

RouteTable UiApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const char* op = kControlOperation;
  return {
      {"GET", "/_mock/ui", op, bind(&UiApi::page)},
      {"GET", "/_mock/ui/", op, bind(&UiApi::page)},
      {"GET", "/_mock/ui/{Path+}", op, bind(&UiApi::any_path)},
  };
}

}  // namespace sesv2mock::api
