#pragma once
// The web inspector: the embedded page and its assets under /_mock/ui/. Every path below
// /_mock/ui/ that is not an asset answers the page (its client-side router shows the view
// the URL names), so deep links work on reload. The page reads only the /_mock JSON API.
#include <map>
#include <string>

#include "server/api/api.hpp"

namespace sesv2mock::api {

// What the pages may load: their own scripts, styles and frames (the HTML preview of a
// message comes from /_mock/messages/{id}/html, under its own stricter policy).
inline constexpr const char* kUiContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'";

class UiApi {
 public:
  UiApi();
  RouteTable routes();

 private:
  struct Asset {
    std::string body;
    std::string content_type;
    std::string etag;
  };
  ApiResponse page(const ApiRequest& r);
  ApiResponse any_path(const ApiRequest& r);
  ApiResponse serve(const Asset& asset, const ApiRequest& r) const;

  std::map<std::string, Asset, std::less<>> assets_;  // "assets/app.js" -> file
};

}  // namespace sesv2mock::api
