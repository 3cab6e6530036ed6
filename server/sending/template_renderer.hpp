#pragma once
// Renders SES email templates: the Handlebars subset the SES developer guide documents
// (https://docs.aws.amazon.com/ses/latest/dg/send-personalized-email-advanced.html):
// variables and dotted paths, {{#if}}/{{else}}/{{else if}}, {{#unless}}, {{#each}} over
// arrays and objects ({{this}}, {{@index}}, {{@key}}, {{@first}}, {{@last}}), {{#with}},
// sections {{#x}}/{{^x}}, ../ and @root paths, comments, {{{x}}} and {{&x}}, inline
// partials ({{#*inline "name"}}...{{/inline}} and {{> name}}), `~` and Handlebars'
// standalone-line rules. Like SES, values are never HTML-escaped.
// Not implemented (a TemplateError of kind `unsupported`): other decorators, partial
// blocks, helpers other than the built-in block helpers, hash arguments, sub-expressions,
// block parameters.
#include <boost/json/value.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sesv2mock {

namespace template_ast {
struct Program;
}

class TemplateError : public std::runtime_error {
 public:
  enum class Kind {
    syntax,             // malformed template (unclosed block, bad tag, ...)
    unsupported,        // valid Handlebars that this renderer does not implement
    missing_attribute,  // strict rendering: a {{variable}} has no value in the data
    render,             // rendering failed: an unknown partial, runaway nesting or output
    invalid_data,       // TemplateData is not JSON (SES: InvalidRenderingParameter)
  };
  TemplateError(Kind kind, std::string message);
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct RenderOptions {
  // Handlebars prints a missing (or null) variable as "". SES instead fails the message (a
  // Rendering Failure event) and TestRenderEmailTemplate answers an error; set this for
  // those paths. Only `{{variable}}` output counts: block parameters ({{#if x}}) may be
  // missing.
  bool fail_on_missing_attribute = false;
};

// A template parsed once and rendered for many recipients (SendBulkEmail). Immutable and
// safe to share between threads.
class EmailTemplate {
 public:
  // Throws TemplateError (syntax or unsupported).
  static EmailTemplate parse(std::string_view text);

  // Throws TemplateError (missing_attribute) only with fail_on_missing_attribute.
  std::string render(const boost::json::value& data, const RenderOptions& options = {}) const;

 private:
  explicit EmailTemplate(std::shared_ptr<const template_ast::Program> program);
  std::shared_ptr<const template_ast::Program> program_;
};

// Parses TemplateData text, reading numbers exactly as JavaScript does (see
// template_data.cpp). Throws TemplateError (invalid_data).
boost::json::value parse_template_data(std::string_view text);

// parse + render in one call.
std::string render_template(std::string_view text, const boost::json::value& data,
                            const RenderOptions& options = {});

}  // namespace sesv2mock
