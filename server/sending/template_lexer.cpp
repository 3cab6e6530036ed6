// The lexer half of the template parser; see template_lexer.hpp.
#include "server/sending/template_lexer.hpp"

#include <algorithm>

namespace sesv2mock::template_ast {

using Kind = TemplateError::Kind;

[[noreturn]] void fail(Kind kind, const std::string& message) {
  throw TemplateError(kind, message);
}

// Handlebars' \s (ASCII part; other Unicode spaces are not treated as whitespace here).
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

namespace {

std::size_t line_at(std::string_view text, std::size_t pos) {
  return 1 + std::count(text.begin(), text.begin() + pos, '\n');
}

std::string where(std::string_view text, std::size_t pos) {
  return " on line " + std::to_string(line_at(text, pos));
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Item> run() {
    std::size_t pos = 0;
    while (pos < text_.size()) {
      std::size_t open = text_.find("{{", pos);
      if (open == std::string_view::npos) {
        add_content(text_.substr(pos));
        break;
      }
      std::string before(text_.substr(pos, open - pos));
      // "\{{" is a literal "{{" (until the next mustache); "\\{{" a backslash and a tag.
      if (before.size() >= 2 && before.ends_with("\\\\")) {
        before.pop_back();
      } else if (!before.empty() && before.back() == '\\') {
        before.pop_back();
        add_content(before);
        pos = escaped_run_end(open);
        add_content(text_.substr(open, pos - open));
        continue;
      }
      add_content(before);
      pos = lex_tag(open);
    }
    return std::move(items_);
  }

 private:
  void add_content(std::string_view s) {
    if (!s.empty())
      items_.push_back(Content{std::string(s), std::string(s)});
  }

  // The escaped run spans at least two characters and stops before the next "{{",
  // "\{{" or "\\{{".
  std::size_t escaped_run_end(std::size_t start) const {
    for (std::size_t e = start + 2; e < text_.size(); ++e) {
      std::string_view rest = text_.substr(e);
      if (rest.starts_with("{{") || rest.starts_with("\\{{") || rest.starts_with("\\\\{{"))
        return e;
    }
    return text_.size();
  }

  std::size_t lex_tag(std::size_t open) {
    std::size_t i = open + 2;
    StripFlags strip;
    if (i < text_.size() && text_[i] == '~') {
      strip.open = true;
      ++i;
    }
    std::string_view rest = text_.substr(i);
    if (rest.starts_with("!"))
      return lex_comment(open, i, strip);
    TagKind kind = TagKind::mustache;
    bool triple = false;
    if (rest.starts_with("{")) {
      triple = true;
      kind = TagKind::unescaped;
      ++i;
    } else if (rest.starts_with("&")) {
      kind = TagKind::unescaped;
      ++i;
    } else if (rest.starts_with("#>")) {
      fail(Kind::unsupported, "Partial blocks are not supported" + where(text_, open) + ".");
    } else if (rest.starts_with(">")) {
      kind = TagKind::partial;
      ++i;
    } else if (rest.starts_with("#*")) {
      kind = TagKind::open_decorator;
      i += 2;
    } else if (rest.starts_with("*")) {
      fail(Kind::unsupported,
           "Decorators and inline partials are not supported" + where(text_, open) + ".");
    } else if (rest.starts_with("#")) {
      kind = TagKind::open_block;
      ++i;
    } else if (rest.starts_with("/")) {
      kind = TagKind::close;
      ++i;
    } else if (rest.starts_with("^")) {
      kind = TagKind::open_inverse;
      ++i;
    }
    std::size_t end = find_tag_end(i, triple ? "}}}" : "}}");
    if (end == std::string_view::npos)
      fail(Kind::syntax, "Unclosed tag starting" + where(text_, open) + ".");
    std::size_t expr_end = end;
    if (expr_end > i && text_[expr_end - 1] == '~') {
      strip.close = true;
      --expr_end;
    }
    std::string expression(trim(text_.substr(i, expr_end - i)));
    if (kind == TagKind::open_inverse && expression.empty())
      kind = TagKind::inverse;  // {{^}}
    if (kind == TagKind::mustache && expression.starts_with("else") &&
        (expression.size() == 4 || is_space(expression[4]))) {
      kind = expression.size() == 4 ? TagKind::inverse : TagKind::else_chain;
      expression = std::string(trim(std::string_view(expression).substr(4)));
    }
    items_.push_back(Tag{kind, strip, std::move(expression), line_at(text_, open)});
    return end + (triple ? 3 : 2);
  }

  // `{{! ... }}` ends at the first "}}"; `{{!-- ... --}}` at the first "--}}".
  std::size_t lex_comment(std::size_t open, std::size_t bang, StripFlags strip) {
    bool long_form = text_.substr(bang).starts_with("!--");
    std::size_t end;
    std::size_t close_len = 2;
    if (long_form) {
      end = std::string_view::npos;
      for (std::size_t j = bang + 1; j + 3 < text_.size() + 1; ++j) {
        std::string_view r = text_.substr(j);
        if (r.starts_with("--}}") || r.starts_with("--~}}")) {
          end = j;
          break;
        }
      }
      if (end != std::string_view::npos) {
        close_len = text_.substr(end).starts_with("--~}}") ? 5 : 4;
        strip.close = close_len == 5;
      }
    } else {
      end = text_.find("}}", bang + 1);
      if (end != std::string_view::npos && end > bang + 1 && text_[end - 1] == '~')
        strip.close = true;
    }
    if (end == std::string_view::npos)
      fail(Kind::syntax, "Unclosed comment starting" + where(text_, open) + ".");
    items_.push_back(Tag{TagKind::comment, strip, "", line_at(text_, open)});
    return end + close_len;
  }

  // The closing "}}" of a tag, skipping string literals and [segment] literals.
  std::size_t find_tag_end(std::size_t from, std::string_view close) const {
    for (std::size_t j = from; j < text_.size(); ++j) {
      char c = text_[j];
      if (c == '"' || c == '\'' || c == '[') {
        char stop = c == '[' ? ']' : c;
        std::size_t k = text_.find(stop, j + 1);
        if (k == std::string_view::npos)
          return k;
        j = k;
        continue;
      }
      if (text_.substr(j).starts_with(close))
        return j;
    }
    return std::string_view::npos;
  }

  std::string_view text_;
  std::vector<Item> items_;
};

}  // namespace

std::vector<Item> lex(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace sesv2mock::template_ast
