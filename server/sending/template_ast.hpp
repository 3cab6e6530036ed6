#pragma once
// The parsed form of a Handlebars template (internal to the template renderer).
// Node kinds and the whitespace fields mirror Handlebars' own AST, so its rules for
// "standalone" lines and `~` apply the same way.
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sesv2mock::template_ast {

struct StripFlags {
  bool open = false;   // `{{~`: strip whitespace before the tag
  bool close = false;  // `~}}`: strip whitespace after the tag
};

// `a.b`, `this`, `../x`, `@index`, `@root.x`, `a.[b c]`.
struct Path {
  bool data = false;   // starts with '@'
  unsigned depth = 0;  // number of leading `..`
  std::vector<std::string> parts;
  std::string original;  // as written, for messages and `{{/close}}` matching
  bool simple() const { return !data && depth == 0 && parts.size() == 1 && !scoped; }
  bool scoped = false;  // starts with `this` or `.`
};

struct Literal {
  boost::json::value value;  // null when `undefined` (never rendered)
  std::string original;
};

using Expression = std::variant<Path, Literal>;

struct Program;

struct Content {
  std::string original;
  std::string value;  // after whitespace control
  bool left_stripped = false;
  bool right_stripped = false;
};

struct Mustache {
  Expression head;
  StripFlags strip;
};

struct Comment {
  StripFlags strip;
};

struct Block {
  // `{{#*inline "name"}}...{{/inline}}`: defines a partial for the enclosing program and
  // prints nothing (the only decorator Handlebars has built in; SES documents it).
  bool inline_partial = false;
  std::string partial_name;
  Expression head;
  std::vector<Expression> params;
  std::unique_ptr<Program> program;  // null for `{{^x}}...{{/x}}` without an else
  std::unique_ptr<Program> inverse;  // the `{{else}}` part, or the body of `{{^x}}`
  StripFlags open_strip, inverse_strip, close_strip;
};

// `{{> name}}` or `{{> name context}}`.
struct PartialCall {
  std::string name;
  std::optional<Expression> context;
  StripFlags strip;
  std::string indent;  // a standalone call indents every line of the partial by this
};

using Node = std::variant<Content, Mustache, Comment, Block, PartialCall>;

struct Program {
  std::vector<Node> body;
  bool chained = false;  // the inverse holding an `{{else if ...}}` block
};

// Parses and applies Handlebars' whitespace control. Throws TemplateError (syntax) on
// malformed templates and on features the renderer does not implement.
std::unique_ptr<Program> parse(std::string_view text);

// Handlebars' whitespace control (`~`, standalone lines), applied by parse().
void apply_whitespace_control(Program& root);

// Names of the helpers Handlebars has built in; a mustache can't use them as data names.
bool is_builtin_helper(std::string_view name);

}  // namespace sesv2mock::template_ast
