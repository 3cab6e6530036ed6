// Lexes and parses Handlebars templates the way handlebars.js 4.x does (its lexer rules,
// its grammar's block/else-chain shapes and its WhitespaceControl pass), so a template
// renders here exactly as SES's Handlebars would render it. Written from the documented
// behaviour and checked against the npm package by tests/e2e/js/template_oracle.test.mjs.
#include <boost/json/string.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <regex>

#include "server/sending/template_ast.hpp"
#include "server/sending/template_lexer.hpp"
#include "server/sending/template_renderer.hpp"

namespace sesv2mock::template_ast {
namespace {

using Kind = TemplateError::Kind;

// The parser and the renderer recurse per block level; a bound keeps hostile templates
// (SES allows 500 KB) from exhausting the stack. Real templates nest a handful of levels.
constexpr int kMaxBlockNesting = 100;

// ---------------------------------------------------------------------------------------
// Expressions: a head and parameters, each a path or a literal.

// Characters Handlebars' ID token refuses.
bool is_id_char(char c) {
  static constexpr std::string_view kRefused = "!\"#%&'()*+,./;<=>@[\\]^`{|}~";
  return !is_space(c) && kRefused.find(c) == std::string_view::npos;
}

bool is_number_literal(std::string_view s) {
  static const std::regex kNumber("-?[0-9]+(\\.[0-9]+)?");
  return std::regex_match(s.begin(), s.end(), kNumber);
}

bool is_keyword_literal(std::string_view s) {
  return s == "true" || s == "false" || s == "null" || s == "undefined";
}

Path parse_path(std::string_view token, std::size_t line) {
  auto bad = [&]() -> Path {
    fail(Kind::syntax,
         "Invalid expression '" + std::string(token) + "' on line " + std::to_string(line) + ".");
  };
  Path path;
  path.original = std::string(token);
  std::string_view s = token;
  if (s.starts_with("@")) {
    path.data = true;
    s.remove_prefix(1);
  }
  struct Segment {
    std::string text;
    bool bracketed;
  };
  std::vector<Segment> segments;
  while (true) {
    if (s.empty())
      bad();
    if (s.starts_with("[")) {
      std::size_t close = s.find(']');
      if (close == std::string_view::npos)
        bad();
      segments.push_back({std::string(s.substr(1, close - 1)), true});
      s.remove_prefix(close + 1);
    } else if (s.starts_with("..") && (s.size() == 2 || s[2] == '/' || s[2] == '.')) {
      segments.push_back({"..", false});
      s.remove_prefix(2);
    } else if (s.starts_with(".") && (s.size() == 1 || s[1] == '/')) {
      segments.push_back({".", false});
      s.remove_prefix(1);
    } else {
      std::size_t n = 0;
      while (n < s.size() && s[n] != '.' && s[n] != '/') {
        if (!is_id_char(s[n]))
          bad();
        ++n;
      }
      if (n == 0)
        bad();
      segments.push_back({std::string(s.substr(0, n)), false});
      s.remove_prefix(n);
    }
    if (s.empty())
      break;
    if (s[0] != '.' && s[0] != '/')
      bad();
    s.remove_prefix(1);
  }
  // After a separator, Handlebars lexes a final number or keyword as a literal, which its
  // grammar then refuses ("{{items.0}}" is a parse error; "{{items.[0]}}" is fine).
  const Segment& last = segments.back();
  if (segments.size() > 1 && !last.bracketed &&
      (is_number_literal(last.text) || is_keyword_literal(last.text)))
    bad();
  for (const Segment& seg : segments) {
    bool special = !seg.bracketed && (seg.text == ".." || seg.text == "." || seg.text == "this");
    if (special) {
      if (!path.parts.empty())
        bad();  // "a/../b" and "a.this" are invalid paths
      if (seg.text == "..")
        ++path.depth;
      else
        path.scoped = true;
    } else {
      path.parts.push_back(seg.text);
    }
  }
  return path;
}

Literal parse_string_literal(std::string_view token) {
  char quote = token.front();
  std::string value;
  for (std::size_t i = 1; i + 1 < token.size(); ++i) {
    if (token[i] == '\\' && i + 2 < token.size() && token[i + 1] == quote)
      ++i;
    value += token[i];
  }
  return Literal{boost::json::string(value), std::string(token)};
}

Expression parse_operand(std::string_view token, std::size_t line) {
  if (token.front() == '"' || token.front() == '\'') {
    if (token.size() < 2 || token.back() != token.front())
      fail(Kind::syntax, "Unclosed string literal on line " + std::to_string(line) + ".");
    return parse_string_literal(token);
  }
  if (is_number_literal(token)) {
    double d = 0;
    std::from_chars(token.data(), token.data() + token.size(), d);
    return Literal{d, std::string(token)};
  }
  if (token == "true" || token == "false")
    return Literal{token == "true", std::string(token)};
  if (token == "null" || token == "undefined")
    return Literal{nullptr, std::string(token)};
  return parse_path(token, line);
}

std::vector<std::string_view> split_operands(std::string_view expr, std::size_t line) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < expr.size()) {
    if (is_space(expr[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < expr.size() && !is_space(expr[i])) {
      char c = expr[i];
      if (c == '(' || c == ')' || c == '=' || c == '|')
        fail(Kind::unsupported,
             "Sub-expressions, hash arguments and block parameters are not "
             "supported (line " +
                 std::to_string(line) + ").");
      if (c == '"' || c == '\'' || c == '[') {
        char stop = c == '[' ? ']' : c;
        std::size_t k = expr.find(stop, i + 1);
        i = k == std::string_view::npos ? expr.size() : k + 1;
        continue;
      }
      ++i;
    }
    tokens.push_back(expr.substr(start, i - start));
  }
  return tokens;
}

struct Call {
  Expression head;
  std::vector<Expression> params;
};

Call parse_call(const Tag& tag) {
  auto tokens = split_operands(tag.expression, tag.line);
  if (tokens.empty())
    fail(Kind::syntax, "Empty tag on line " + std::to_string(tag.line) + ".");
  Call call{parse_operand(tokens[0], tag.line), {}};
  for (std::size_t i = 1; i < tokens.size(); ++i)
    call.params.push_back(parse_operand(tokens[i], tag.line));
  return call;
}

const std::string* simple_name(const Expression& e) {
  auto* p = std::get_if<Path>(&e);
  return p && p->simple() ? &p->parts[0] : nullptr;
}

std::string original_of(const Expression& e) {
  return std::visit([](const auto& x) { return x.original; }, e);
}

// The checks Handlebars makes when a helper runs, made once at parse time.
void check_block_call(const Call& call, std::size_t line) {
  std::string at = " (line " + std::to_string(line) + ")";
  const std::string* name = simple_name(call.head);
  if (name && (*name == "if" || *name == "unless" || *name == "with")) {
    if (call.params.size() != 1)
      fail(Kind::syntax, "#" + *name + " requires exactly one argument" + at + ".");
  } else if (name && *name == "each") {
    if (call.params.empty())
      fail(Kind::syntax, "Must pass iterator to #each" + at + ".");
    if (call.params.size() > 1)
      fail(Kind::unsupported, "#each takes one argument here" + at + ".");
  } else if (name && is_builtin_helper(*name)) {
    fail(Kind::unsupported, "The helper " + *name + " is not supported" + at + ".");
  } else if (!call.params.empty()) {
    fail(Kind::unsupported, "Missing helper: \"" + original_of(call.head) + "\"" + at + ".");
  } else if (std::holds_alternative<Literal>(call.head)) {
    fail(Kind::unsupported, "A block needs a name" + at + ".");
  }
}

void check_mustache_call(const Call& call, std::size_t line) {
  std::string at = " (line " + std::to_string(line) + ")";
  const std::string* name = simple_name(call.head);
  if (name && is_builtin_helper(*name))
    fail(Kind::unsupported, "The helper " + *name + " can't be used as a value" + at + ".");
  if (!call.params.empty())
    fail(Kind::unsupported, "Missing helper: \"" + original_of(call.head) + "\"" + at + ".");
}

// ---------------------------------------------------------------------------------------
// Parser: items to the AST, with Handlebars' block and else-chain shapes.

class Parser {
 public:
  explicit Parser(std::vector<Item> items) : items_(std::move(items)) {}

  std::unique_ptr<Program> run() {
    auto program = parse_program();
    if (pos_ < items_.size()) {
      const Tag& tag = std::get<Tag>(items_[pos_]);
      fail(Kind::syntax, std::string(tag.kind == TagKind::close ? "Unexpected closing tag"
                                                                : "Unexpected {{else}}") +
                             " on line " + std::to_string(tag.line) + ".");
    }
    return program;
  }

 private:
  // Stops before {{else}}, {{else x}}, {{^}} and {{/x}} (the caller's business).
  std::unique_ptr<Program> parse_program() {
    auto program = std::make_unique<Program>();
    while (pos_ < items_.size()) {
      Item& item = items_[pos_];
      if (auto* content = std::get_if<Content>(&item)) {
        program->body.emplace_back(std::move(*content));
        ++pos_;
        continue;
      }
      const Tag& tag = std::get<Tag>(item);
      switch (tag.kind) {
        case TagKind::comment:
          program->body.emplace_back(Comment{tag.strip});
          ++pos_;
          break;
        case TagKind::mustache:
        case TagKind::unescaped: {
          Call call = parse_call(tag);
          check_mustache_call(call, tag.line);
          program->body.emplace_back(Mustache{std::move(call.head), tag.strip});
          ++pos_;
          break;
        }
        case TagKind::partial:
          program->body.emplace_back(parse_partial(tag));
          ++pos_;
          break;
        case TagKind::open_block:
        case TagKind::open_inverse:
        case TagKind::open_decorator:
          program->body.emplace_back(parse_block());
          break;
        default:
          return program;
      }
    }
    return program;
  }

  const Tag* current_tag() const {
    return pos_ < items_.size() ? std::get_if<Tag>(&items_[pos_]) : nullptr;
  }

  static PartialCall parse_partial(const Tag& tag) {
    auto tokens = split_operands(tag.expression, tag.line);
    if (tokens.empty() || tokens.size() > 2)
      fail(Kind::syntax, "A partial call names one partial and at most one context (line " +
                             std::to_string(tag.line) + ").");
    PartialCall call;
    Expression name = parse_operand(tokens[0], tag.line);
    auto* literal = std::get_if<Literal>(&name);
    call.name = literal && literal->value.is_string() ? std::string(literal->value.get_string())
                                                      : original_of(name);
    if (tokens.size() == 2)
      call.context = parse_operand(tokens[1], tag.line);
    call.strip = tag.strip;
    return call;
  }

  void enter_block(std::size_t line) {
    if (++depth_ > kMaxBlockNesting)
      fail(Kind::syntax, "Blocks nest deeper than " + std::to_string(kMaxBlockNesting) +
                             " levels (line " + std::to_string(line) + ").");
  }

  Block parse_block() {
    const Tag open = std::get<Tag>(items_[pos_++]);
    enter_block(open.line);
    Call call = parse_call(open);
    Block block;
    if (open.kind == TagKind::open_decorator) {
      const std::string* name = simple_name(call.head);
      auto* partial_name =
          call.params.size() == 1 ? std::get_if<Literal>(&call.params[0]) : nullptr;
      if (!name || *name != "inline" || !partial_name || !partial_name->value.is_string())
        fail(Kind::unsupported, "Only {{#*inline \"name\"}} decorators are supported (line " +
                                    std::to_string(open.line) + ").");
      block.inline_partial = true;
      block.partial_name = std::string(partial_name->value.get_string());
    } else {
      check_block_call(call, open.line);
    }
    block.head = std::move(call.head);
    block.params = std::move(call.params);
    block.open_strip = open.strip;
    auto body = parse_program();
    const Tag* next = current_tag();
    std::unique_ptr<Program> inverse;
    if (next && next->kind == TagKind::inverse) {
      block.inverse_strip = next->strip;
      ++pos_;
      inverse = parse_program();
    } else if (next && next->kind == TagKind::else_chain) {
      if (open.kind != TagKind::open_block)
        fail(Kind::syntax, "Unexpected {{else ...}} in an inverse section on line " +
                               std::to_string(next->line) + ".");
      block.inverse_strip = next->strip;
      inverse = parse_chain();
    }
    const Tag* close = current_tag();
    if (!close || close->kind != TagKind::close)
      fail(Kind::syntax, "Unclosed block {{#" + original_of(block.head) + "}} opened on line " +
                             std::to_string(open.line) + ".");
    if (trim(close->expression) != original_of(block.head))
      fail(Kind::syntax, original_of(block.head) + " doesn't match " +
                             std::string(trim(close->expression)) + " on line " +
                             std::to_string(close->line) + ".");
    if (block.inline_partial && inverse)
      fail(Kind::syntax,
           "An inline partial has no {{else}} (line " + std::to_string(open.line) + ").");
    block.close_strip = close->strip;
    ++pos_;
    --depth_;
    if (inverse && inverse->chained)
      std::get<Block>(inverse->body[0]).close_strip = close->strip;
    if (open.kind == TagKind::open_inverse) {
      // {{^x}}a{{else}}b{{/x}}: Handlebars swaps the two programs.
      block.program = std::move(inverse);
      block.inverse = std::move(body);
    } else {
      block.program = std::move(body);
      block.inverse = std::move(inverse);
    }
    return block;
  }

  // `{{else if x}}...` up to (not including) the outer block's close tag: a chained program
  // holding one block, whose own inverse may chain again.
  std::unique_ptr<Program> parse_chain() {
    const Tag open = std::get<Tag>(items_[pos_++]);
    enter_block(open.line);
    Tag as_block = open;
    as_block.kind = TagKind::open_block;
    Call call = parse_call(as_block);
    check_block_call(call, open.line);
    Block block;
    block.head = std::move(call.head);
    block.params = std::move(call.params);
    block.open_strip = open.strip;
    block.program = parse_program();
    const Tag* next = current_tag();
    if (next && next->kind == TagKind::inverse) {
      block.inverse_strip = next->strip;
      ++pos_;
      block.inverse = parse_program();
    } else if (next && next->kind == TagKind::else_chain) {
      StripFlags chain_strip = next->strip;
      block.inverse_strip = chain_strip;
      block.inverse = parse_chain();
      // Handlebars gives a deeper chained block its own opening tag's flags as close flags.
      std::get<Block>(block.inverse->body[0]).close_strip = chain_strip;
    }
    auto program = std::make_unique<Program>();
    program->chained = true;
    program->body.emplace_back(std::move(block));
    --depth_;
    return program;
  }

  std::vector<Item> items_;
  std::size_t pos_ = 0;
  int depth_ = 0;  // open blocks, including else-if chains
};

}  // namespace

bool is_builtin_helper(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kBuiltins = {
      "if", "unless", "each", "with", "lookup", "log", "helperMissing", "blockHelperMissing"};
  return std::find(kBuiltins.begin(), kBuiltins.end(), name) != kBuiltins.end();
}

std::unique_ptr<Program> parse(std::string_view text) {
  auto program = Parser(lex(text)).run();
  apply_whitespace_control(*program);
  return program;
}

}  // namespace sesv2mock::template_ast
