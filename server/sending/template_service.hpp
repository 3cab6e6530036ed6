#pragma once
// Email templates (CreateEmailTemplate ... TestRenderEmailTemplate). Templates are rendered
// by server/sending/template_renderer (the Handlebars subset SES documents); the MIME text
// TestRenderEmailTemplate returns is built by server/sending/mime_message.
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"
#include "server/core/stored_template.hpp"

namespace sesv2mock::storage {
class TemplateStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct TemplateContent {
  std::optional<std::string> subject, text, html;
};

struct TemplateLimits {
  static constexpr std::size_t kMaxNameLength = 64;  // SES: letters, digits, _ and -
  static constexpr PageRule kPageRule{10, 100};      // ListEmailTemplates: PageSize 1..100
};

// A template's parts rendered with its data.
struct RenderedContent {
  std::string subject;
  std::optional<std::string> text, html;
};

class TemplateService {
 public:
  TemplateService(storage::TemplateStore& store, const Pager& pager)
      : store_(store), pager_(pager) {}

  void create(const RequestContext& ctx, const std::string& name, const TemplateContent& content,
              const std::vector<Tag>& tags);
  StoredTemplate get(const RequestContext& ctx, const std::string& name) const;
  void update(const RequestContext& ctx, const std::string& name, const TemplateContent& content);
  void erase(const RequestContext& ctx, const std::string& name);
  Page<StoredTemplate> list(const RequestContext& ctx, const PageRequest& paging) const;
  // The rendered message as MIME text. Missing data -> BadRequestException (SES:
  // "Attribute 'x' is not present in the rendering data.").
  std::string test_render(const RequestContext& ctx, const std::string& name,
                          const std::string& template_data) const;

  // For sends: the template or NotFoundException.
  StoredTemplate find_or_throw(const Partition& p, const std::string& name) const;

 private:
  storage::TemplateStore& store_;
  const Pager& pager_;
};

// Renders subject/text/html strictly (missing attribute -> TemplateError). `data` is parsed
// TemplateData.
RenderedContent render_content(const TemplateContent& content, const boost::json::value& data);

// SES's messages for templates.
namespace template_errors {
ApiError not_found(const std::string& name);
ApiError exists(const std::string& name);
}  // namespace template_errors

}  // namespace sesv2mock
