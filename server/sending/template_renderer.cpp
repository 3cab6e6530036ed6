#include "server/sending/template_renderer.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "server/sending/template_ast.hpp"
#include "server/sending/template_values.hpp"

namespace sesv2mock {
namespace json = boost::json;
using namespace template_ast;
using template_values::Scratch;

TemplateError::TemplateError(Kind kind, std::string message)
    : std::runtime_error(std::move(message)), kind_(kind) {}

namespace {

// handlebars.js calls its built-in helpers with `this` set to the context or, when that
// is null (an {{#each}} item), to an empty object: {{#if}}, {{#unless}}, {{#with}}'s and
// {{#each}}'s {{else}} hand that object to their body, where {{this}} prints
// "[object Object]".
const json::value kNullContext = json::object();

const json::value* helper_this(const json::value* context) {
  return !context || context->is_null() ? &kNullContext : context;
}

// A partial calling itself would recurse forever (handlebars.js ends with a stack
// overflow); real templates call partials a few levels deep.
constexpr int kMaxPartialDepth = 32;
// Rendering stops past this size: SES's largest message is 40 MB, and nested partials or
// loops could otherwise grow the output without bound.
constexpr std::size_t kMaxRenderedBytes = 40u * 1024 * 1024;
// Nested loops and partials that print little can still take exponential time; rendering
// stops after this many template nodes (a large real template with big lists needs far
// fewer).
constexpr std::size_t kMaxRenderSteps = 20'000'000;

// The @-variables of the innermost {{#each}}; `parent` serves `@../index`.
struct DataFrame {
  const DataFrame* parent = nullptr;
  const json::value* root = nullptr;
  const json::value* index = nullptr;
  const json::value* key = nullptr;
  const json::value* first = nullptr;
  const json::value* last = nullptr;
};

// The contexts `../` can reach: depths[0] is the innermost. Handlebars adds a level only
// when a block's new context differs (JavaScript `!=`) from the current one, so {{#if}}
// adds none.
struct Depths {
  const json::value* context;
  const Depths* parent;
};

class Renderer {
 public:
  Renderer(const RenderOptions& options, std::string& out) : options_(options), out_(out) {}

  void run(const Program& program, const json::value& root) {
    DataFrame data;
    data.root = &root;
    Depths depths{&root, nullptr};
    render(&program, &root, &depths, &data);
  }

 private:
  void render(const Program* program, const json::value* context, const Depths* depths,
              const DataFrame* data) {
    if (!program)
      return;
    // Inline partials belong to the program that defines them, wherever in it they stand
    // (Handlebars runs decorators before the program's body).
    std::size_t scope = partials_.size();
    for (const Node& node : program->body)
      if (auto* b = std::get_if<Block>(&node); b && b->inline_partial)
        partials_.emplace_back(b->partial_name, b->program.get());
    for (const Node& node : program->body) {
      if (++steps_ > kMaxRenderSteps)
        throw TemplateError(TemplateError::Kind::render, "The template takes too long to render.");
      if (auto* c = std::get_if<Content>(&node)) {
        out_ += c->value;
      } else if (auto* m = std::get_if<Mustache>(&node)) {
        mustache(*m, context, depths, data);
      } else if (auto* b = std::get_if<Block>(&node)) {
        if (!b->inline_partial)
          block(*b, context, depths, data);
      } else if (auto* p = std::get_if<PartialCall>(&node)) {
        partial(*p, context, depths, data);
      }
      if (out_.size() > kMaxRenderedBytes)
        throw TemplateError(
            TemplateError::Kind::render,
            "The rendered template exceeds " + std::to_string(kMaxRenderedBytes) + " bytes.");
    }
    partials_.resize(scope);
  }

  void partial(const PartialCall& call, const json::value* context, const Depths* depths,
               const DataFrame* data) {
    const Program* body = nullptr;
    for (auto it = partials_.rbegin(); it != partials_.rend() && !body; ++it)
      if (it->first == call.name)
        body = it->second;
    if (!body)
      throw TemplateError(TemplateError::Kind::render,
                          "The partial " + call.name + " could not be found");
    if (partial_depth_ >= kMaxPartialDepth)
      throw TemplateError(
          TemplateError::Kind::render,
          "Partials nest deeper than " + std::to_string(kMaxPartialDepth) + " levels.");
    const json::value* inner =
        call.context ? evaluate(*call.context, context, depths, data) : context;
    Depths fresh{inner, nullptr};  // `../` does not reach past a partial, as in Handlebars
    ++partial_depth_;
    std::size_t start = out_.size();
    render(body, inner, &fresh, data);
    if (!call.indent.empty())
      indent_lines(start, call.indent);
    --partial_depth_;
  }

  // Prefixes every line written since `start` (but not an empty last line) with `indent`.
  void indent_lines(std::size_t start, const std::string& indent) {
    std::string text = out_.substr(start);
    out_.resize(start);
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      std::size_t next = end == std::string::npos ? text.size() : end + 1;
      out_ += indent;
      out_.append(text, pos, next - pos);
      pos = next;
    }
  }

  // Runs a block's program with a new context (Handlebars' wrapProgram).
  void enter(const Program* program, const json::value* context, const Depths* depths,
             const DataFrame* data) {
    if (!program)
      return;
    bool from_null = context == &kNullContext && (!depths->context || depths->context->is_null());
    if (from_null || template_values::loose_equal(context, depths->context)) {
      render(program, context, depths, data);
    } else {
      Depths deeper{context, depths};
      render(program, context, &deeper, data);
    }
  }

  const json::value* evaluate(const Expression& e, const json::value* context, const Depths* depths,
                              const DataFrame* data) {
    if (auto* literal = std::get_if<Literal>(&e))
      return literal->original == "undefined" ? nullptr : &literal->value;
    const Path& path = std::get<Path>(e);
    std::size_t first_part = 0;
    const json::value* value = nullptr;
    if (path.data) {
      const DataFrame* frame = data;
      for (unsigned d = 0; d < path.depth && frame; ++d)
        frame = frame->parent;
      if (!frame || path.parts.empty())
        return nullptr;
      const std::string& name = path.parts[0];
      value = name == "root"    ? frame->root
              : name == "index" ? frame->index
              : name == "key"   ? frame->key
              : name == "first" ? frame->first
              : name == "last"  ? frame->last
                                : nullptr;
      first_part = 1;
    } else if (path.depth == 0) {
      value = context;
    } else {
      const Depths* level = depths;
      for (unsigned d = 0; d < path.depth && level; ++d)
        level = level->parent;
      value = level ? level->context : nullptr;
    }
    for (std::size_t i = first_part; i < path.parts.size() && value; ++i)
      value = template_values::member(value, path.parts[i], scratch_);
    return value;
  }

  void mustache(const Mustache& m, const json::value* context, const Depths* depths,
                const DataFrame* data) {
    // A literal in head position names a helper to Handlebars; none exists, so it prints "".
    if (std::holds_alternative<Literal>(m.head))
      return;
    const json::value* v = evaluate(m.head, context, depths, data);
    if (!v || v->is_null()) {
      // SES fails the message for a missing or null variable (aws/aws-sdk-js#2239); the
      // wording is SES's MissingRenderingAttribute / Rendering Failure message.
      if (options_.fail_on_missing_attribute)
        throw TemplateError(TemplateError::Kind::missing_attribute,
                            "Attribute '" + std::get<Path>(m.head).original +
                                "' is not present in the rendering data.");
      return;
    }
    if (!v->is_null())
      out_ += template_values::text_of(*v);
  }

  void block(const Block& b, const json::value* context, const Depths* depths,
             const DataFrame* data) {
    const Path* head = std::get_if<Path>(&b.head);
    const std::string* helper = head && head->simple() ? &head->parts[0] : nullptr;
    if (helper && (*helper == "if" || *helper == "unless")) {
      bool truthy = template_values::is_truthy(evaluate(b.params[0], context, depths, data));
      if (*helper == "unless")
        truthy = !truthy;
      enter(truthy ? b.program.get() : b.inverse.get(), helper_this(context), depths, data);
    } else if (helper && *helper == "with") {
      const json::value* v = evaluate(b.params[0], context, depths, data);
      if (!template_values::is_empty(v))
        enter(b.program.get(), v, depths, data);
      else
        enter(b.inverse.get(), helper_this(context), depths, data);
    } else if (helper && *helper == "each") {
      each(b, evaluate(b.params[0], context, depths, data), helper_this(context), depths, data);
    } else {
      // handlebars.js calls blockHelperMissing with the raw context (null stays null).
      section(b, evaluate(b.head, context, depths, data), context, depths, data);
    }
  }

  // Handlebars' blockHelperMissing: {{#name}} on data that is not a helper.
  void section(const Block& b, const json::value* v, const json::value* context,
               const Depths* depths, const DataFrame* data) {
    if (v && v->is_bool() && v->get_bool()) {
      enter(b.program.get(), context, depths, data);
    } else if (!v || v->is_null() || (v->is_bool() && !v->get_bool())) {
      enter(b.inverse.get(), context, depths, data);
    } else if (v->is_array()) {
      if (v->get_array().empty())
        enter(b.inverse.get(), context, depths, data);
      else
        each(b, v, context, depths, data);
    } else {
      enter(b.program.get(), v, depths, data);
    }
  }

  void each(const Block& b, const json::value* v, const json::value* context, const Depths* depths,
            const DataFrame* data) {
    std::size_t count = 0;
    auto iterate = [&](const json::value* item, json::value key, std::size_t index, bool last) {
      DataFrame frame = *data;
      frame.parent = data;
      frame.key = scratch_.keep(std::move(key));
      frame.index = scratch_.keep(static_cast<std::int64_t>(index));
      frame.first = scratch_.keep(index == 0);
      frame.last = scratch_.keep(last);
      enter(b.program.get(), item, depths, &frame);
      ++count;
    };
    if (v && v->is_array()) {
      const auto& a = v->get_array();
      for (std::size_t i = 0; i < a.size(); ++i)
        iterate(&a[i], static_cast<std::int64_t>(i), i, i + 1 == a.size());
    } else if (v && v->is_object()) {
      const auto& o = v->get_object();
      auto keys = template_values::keys_in_js_order(o);
      for (std::size_t i = 0; i < keys.size(); ++i)
        iterate(&o.at(keys[i]), json::string(keys[i]), i, i + 1 == keys.size());
    }
    if (count == 0)
      enter(b.inverse.get(), context, depths, data);
  }

  const RenderOptions& options_;
  std::string& out_;
  Scratch scratch_;
  std::vector<std::pair<std::string_view, const Program*>> partials_;  // innermost last
  int partial_depth_ = 0;
  std::size_t steps_ = 0;
};

}  // namespace

EmailTemplate::EmailTemplate(std::shared_ptr<const Program> program)
    : program_(std::move(program)) {}

EmailTemplate EmailTemplate::parse(std::string_view text) {
  return EmailTemplate(std::shared_ptr<const Program>(template_ast::parse(text)));
}

std::string EmailTemplate::render(const json::value& data, const RenderOptions& options) const {
  std::string out;
  Renderer(options, out).run(*program_, data);
  return out;
}

std::string render_template(std::string_view text, const json::value& data,
                            const RenderOptions& options) {
  return EmailTemplate::parse(text).render(data, options);
}

}  // namespace sesv2mock
