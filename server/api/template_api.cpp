#include "server/api/template_api.hpp"

#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

TemplateContent parse_template_content(const JsonFields& fields, std::string_view name) {
  const json::object* o = fields.object(name);
  if (!o)
    throw ApiError::missing_field(fields.path(name));
  JsonFields c = fields.nested(name, *o);
  return {c.string("Subject"), c.string("Text"), c.string("Html")};
}

json::object template_content_to_json(const TemplateContent& c) {
  json::object o;
  if (c.subject)
    o["Subject"] = *c.subject;
  if (c.text)
    o["Text"] = *c.text;
  if (c.html)
    o["Html"] = *c.html;
  return o;
}

namespace {

std::vector<Tag> parse_tags(const JsonFields& f) {
  std::vector<Tag> tags;
  if (const json::array* a = f.array("Tags")) {
    for (const auto& item : *a) {
      if (!item.is_object())
        throw ApiError::validation(f.path("Tags"), "Member must be a Tag");
      JsonFields t = f.nested("Tags", item.as_object());
      tags.push_back({t.required_string("Key"), t.required_string("Value")});
    }
  }
  return tags;
}

}  // namespace

ApiResponse TemplateApi::create(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  JsonFields f(body);
  templates_.create(r.context, f.required_string("TemplateName"),
                    parse_template_content(f, "TemplateContent"), parse_tags(f));
  return empty_response();
}

ApiResponse TemplateApi::get(const ApiRequest& r) {
  auto t = templates_.get(r.context, r.label("TemplateName"));
  json::array tags;
  for (const auto& tag : t.tags)
    tags.push_back(json::object{{"Key", tag.key}, {"Value", tag.value}});
  return json_response(
      json::object{{"TemplateName", t.name},
                   {"TemplateContent", template_content_to_json({t.subject, t.text, t.html})},
                   {"Tags", std::move(tags)}});
}

ApiResponse TemplateApi::update(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  JsonFields f(body);
  templates_.update(r.context, r.label("TemplateName"),
                    parse_template_content(f, "TemplateContent"));
  return empty_response();
}

ApiResponse TemplateApi::erase(const ApiRequest& r) {
  templates_.erase(r.context, r.label("TemplateName"));
  return empty_response();
}

ApiResponse TemplateApi::list(const ApiRequest& r) {
  PageRequest paging;
  apply_paging_query(r.query, paging.page_size, paging.next_token);
  auto page = templates_.list(r.context, paging);
  json::array items;
  for (const auto& t : page.rows)
    items.push_back(
        json::object{{"TemplateName", t.name}, {"CreatedTimestamp", t.created_timestamp}});
  json::object out{{"TemplatesMetadata", std::move(items)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return json_response(std::move(out));
}

ApiResponse TemplateApi::render(const ApiRequest& r) {
  auto body = parse_json_body(r.body);
  JsonFields f(body);
  auto data = f.required_string("TemplateData");
  return json_response(json::object{
      {"RenderedTemplate", templates_.test_render(r.context, r.label("TemplateName"), data)}});
}

RouteTable TemplateApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string all = "/v2/email/templates";
  const std::string one = all + "/{TemplateName}";
  return {
      {"POST", all, "CreateEmailTemplate", bind(&TemplateApi::create)},
      {"GET", all, "ListEmailTemplates", bind(&TemplateApi::list)},
      {"GET", one, "GetEmailTemplate", bind(&TemplateApi::get)},
      {"PUT", one, "UpdateEmailTemplate", bind(&TemplateApi::update)},
      {"DELETE", one, "DeleteEmailTemplate", bind(&TemplateApi::erase)},
      {"POST", one + "/render", "TestRenderEmailTemplate", bind(&TemplateApi::render)},
  };
}

}  // namespace sesv2mock::api
