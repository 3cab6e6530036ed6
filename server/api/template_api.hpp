#pragma once
// Routes of the email-template operations (CreateEmailTemplate ... TestRenderEmailTemplate).
#include "server/api/api.hpp"
#include "server/core/json_fields.hpp"
#include "server/sending/template_service.hpp"

namespace sesv2mock::api {

class TemplateApi {
 public:
  explicit TemplateApi(TemplateService& templates) : templates_(templates) {}
  RouteTable routes();

 private:
  ApiResponse create(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse update(const ApiRequest& r);
  ApiResponse erase(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);
  ApiResponse render(const ApiRequest& r);

  TemplateService& templates_;
};

// EmailTemplateContent {Subject, Text, Html} at `fields`' member `name`.
TemplateContent parse_template_content(const JsonFields& fields, std::string_view name);
boost::json::object template_content_to_json(const TemplateContent& c);

}  // namespace sesv2mock::api
