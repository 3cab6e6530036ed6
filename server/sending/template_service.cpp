#include "server/sending/template_service.hpp"

#include "server/core/errors.hpp"
#include "server/core/tags.hpp"
#include "server/sending/mime_message.hpp"
#include "server/sending/template_renderer.hpp"
#include "storage/template_store.hpp"

namespace sesv2mock {

namespace template_errors {
// SES v1's wording ("Template foobar does not exist.", getmoto/moto#3783); v2 answers
// NotFoundException (model).
ApiError not_found(const std::string& name) {
  return ApiError::not_found("Template " + name + " does not exist.");
}
ApiError exists(const std::string& name) {
  return ApiError::already_exists("Template " + name + " already exists.");
}
}  // namespace template_errors

namespace {

void check_name(const std::string& name) {
  if (name.empty())
    throw ApiError::missing_field("templateName");
  if (name.size() > TemplateLimits::kMaxNameLength)
    throw ApiError::bad_request("Template name must be at most 64 characters long.");
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '_' && c != '-')
      throw ApiError::bad_request(
          "Template name can only contain alphanumeric characters, underscores and dashes.");
  }
}

void check_content(const TemplateContent& c) {
  // SES: a template needs a subject and a text or html part (CreateEmailTemplate docs).
  if (!c.subject && !c.text && !c.html)
    throw ApiError::bad_request("Template content must contain a subject and a text or html part.");
}

std::string render_part(const std::string& text, const boost::json::value& data) {
  return render_template(text, data, RenderOptions{.fail_on_missing_attribute = true});
}

}  // namespace

RenderedContent render_content(const TemplateContent& content, const boost::json::value& data) {
  RenderedContent out;
  if (content.subject)
    out.subject = render_part(*content.subject, data);
  if (content.text)
    out.text = render_part(*content.text, data);
  if (content.html)
    out.html = render_part(*content.html, data);
  return out;
}

void TemplateService::create(const RequestContext& ctx, const std::string& name,
                             const TemplateContent& content, const std::vector<Tag>& tags) {
  check_name(name);
  check_content(content);
  check_tags(tags);
  storage::StoredTemplate t{name, content.subject,    content.text, content.html,
                            tags, now_epoch_seconds()};
  if (!store_.create(ctx.partition, t))
    throw template_errors::exists(name);
}

storage::StoredTemplate TemplateService::find_or_throw(const Partition& p,
                                                       const std::string& name) const {
  auto t = store_.find(p, name);
  if (!t)
    throw template_errors::not_found(name);
  return *t;
}

storage::StoredTemplate TemplateService::get(const RequestContext& ctx,
                                             const std::string& name) const {
  return find_or_throw(ctx.partition, name);
}

void TemplateService::update(const RequestContext& ctx, const std::string& name,
                             const TemplateContent& content) {
  check_content(content);
  storage::StoredTemplate t{name, content.subject, content.text, content.html, {}, 0};
  if (!store_.update(ctx.partition, t))
    throw template_errors::not_found(name);
}

void TemplateService::erase(const RequestContext& ctx, const std::string& name) {
  if (!store_.erase(ctx.partition, name))
    throw template_errors::not_found(name);
}

Page<storage::StoredTemplate> TemplateService::list(const RequestContext& ctx,
                                                    const PageRequest& paging) const {
  const std::string scope =
      "ListEmailTemplates|" + ctx.partition.account + "|" + ctx.partition.region;
  return pager_.page(
      scope, TemplateLimits::kPageRule, paging,
      [&](const std::optional<std::string>& after, int limit) {
        return store_.list(ctx.partition, after.value_or(""), limit);
      },
      [](const storage::StoredTemplate& t) { return t.name; });
}

std::string TemplateService::test_render(const RequestContext& ctx, const std::string& name,
                                         const std::string& template_data) const {
  auto t = find_or_throw(ctx.partition, name);
  RenderedContent rendered;
  try {
    rendered = render_content({t.subject, t.text, t.html}, parse_template_data(template_data));
  } catch (const TemplateError& e) {
    throw ApiError::bad_request(e.what());
  }
  SimpleMessage m;
  m.subject = rendered.subject;
  m.text = rendered.text;
  m.html = rendered.html;
  m.date = std::chrono::system_clock::now();
  try {
    return build_mime_message(m);
  } catch (const MimeError& e) {
    throw ApiError::bad_request(e.what());
  }
}

}  // namespace sesv2mock
