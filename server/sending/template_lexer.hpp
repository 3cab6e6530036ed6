#pragma once
// Lexing of Handlebars templates (internal to the template renderer): the text becomes
// content runs and tags, following handlebars.js 4.x's lexer rules (escaped mustaches,
// comments, `~`, else/else-if, triple-stash).
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/sending/template_ast.hpp"
#include "server/sending/template_renderer.hpp"

namespace sesv2mock::template_ast {

enum class TagKind {
  mustache,
  unescaped,
  comment,
  open_block,
  open_inverse,
  inverse,
  else_chain,
  close,
  partial,         // {{> name}}
  open_decorator,  // {{#*inline "name"}}
};

struct Tag {
  TagKind kind;
  StripFlags strip;
  std::string expression;  // between the tag's markers
  std::size_t line;
};

using Item = std::variant<Content, Tag>;

// Throws TemplateError (syntax, unsupported).
std::vector<Item> lex(std::string_view text);

// Handlebars' \s, ASCII part (other Unicode spaces are not treated as whitespace here).
bool is_space(char c);
std::string_view trim(std::string_view s);
[[noreturn]] void fail(TemplateError::Kind kind, const std::string& message);

}  // namespace sesv2mock::template_ast
