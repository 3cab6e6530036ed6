// Handlebars' WhitespaceControl pass: `~` and standalone lines, applied to the parsed
// AST exactly as handlebars.js 4.x applies it (checked by the oracle test).
#include <optional>
#include <string>

#include "server/sending/template_ast.hpp"
#include "server/sending/template_lexer.hpp"

namespace sesv2mock::template_ast {
namespace {

Content* content_at(std::vector<Node>& body, long i) {
  if (i < 0 || i >= static_cast<long>(body.size()))
    return nullptr;
  return std::get_if<Content>(&body[i]);
}

bool trailing_run_has_newline(std::string_view s) {
  for (std::size_t i = s.size(); i > 0 && is_space(s[i - 1]); --i)
    if (s[i - 1] == '\n')
      return true;
  return false;
}

bool leading_run_has_newline(std::string_view s) {
  for (std::size_t i = 0; i < s.size() && is_space(s[i]); ++i)
    if (s[i] == '\n')
      return true;
  return false;
}

std::string trailing_blanks(std::string_view s) {
  std::size_t n = s.size();
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    --n;
  return std::string(s.substr(n));
}

bool all_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_space);
}

// Whether the node before position i ends its line (i == size: the end of the body).
bool is_prev_whitespace(std::vector<Node>& body, long i, bool is_root) {
  if (i - 1 < 0)
    return is_root;
  Content* prev = content_at(body, i - 1);
  if (!prev)
    return false;
  bool sibling = i - 2 >= 0;
  if (sibling || !is_root)
    return trailing_run_has_newline(prev->original);
  return all_space(prev->original) || trailing_run_has_newline(prev->original);
}

// Whether the node after position i starts a new line (i == -1: the start of the body).
bool is_next_whitespace(std::vector<Node>& body, long i, bool is_root) {
  if (i + 1 >= static_cast<long>(body.size()))
    return is_root;
  Content* next = content_at(body, i + 1);
  if (!next)
    return false;
  bool sibling = i + 2 < static_cast<long>(body.size());
  if (sibling || !is_root)
    return leading_run_has_newline(next->original);
  return all_space(next->original) || leading_run_has_newline(next->original);
}

// Strips the start of the content after position i (i == -1: the first node).
void omit_right(std::vector<Node>& body, long i, bool multiple = false) {
  Content* c = content_at(body, i + 1);
  if (!c || (!multiple && c->right_stripped))
    return;
  std::string before = c->value;
  std::string& v = c->value;
  std::size_t n = 0;
  if (multiple) {
    while (n < v.size() && is_space(v[n]))
      ++n;
  } else {
    while (n < v.size() && (v[n] == ' ' || v[n] == '\t'))
      ++n;
    if (n < v.size() && v[n] == '\r')
      ++n;
    if (n < v.size() && v[n] == '\n')
      ++n;
  }
  v.erase(0, n);
  c->right_stripped = v != before;
}

// Strips the end of the content before position i (i == size: the last node).
bool omit_left(std::vector<Node>& body, long i, bool multiple = false) {
  Content* c = content_at(body, i - 1);
  if (!c || (!multiple && c->left_stripped))
    return false;
  std::string before = c->value;
  std::string& v = c->value;
  while (!v.empty() && (multiple ? is_space(v.back()) : (v.back() == ' ' || v.back() == '\t')))
    v.pop_back();
  c->left_stripped = v != before;
  return c->left_stripped;
}

struct Strip {
  bool open = false, close = false;
  bool open_standalone = false, close_standalone = false, inline_standalone = false;
};

class WhitespaceControl {
 public:
  void program(Program* p) {
    if (!p)
      return;
    bool is_root = !root_seen_;
    root_seen_ = true;
    auto& body = p->body;
    for (long i = 0; i < static_cast<long>(body.size()); ++i) {
      std::optional<Strip> strip = node(body[i]);
      if (!strip)
        continue;
      bool prev_ws = is_prev_whitespace(body, i, is_root);
      bool next_ws = is_next_whitespace(body, i, is_root);
      bool open_standalone = strip->open_standalone && prev_ws;
      bool close_standalone = strip->close_standalone && next_ws;
      bool inline_standalone = strip->inline_standalone && prev_ws && next_ws;
      if (strip->close)
        omit_right(body, i, true);
      if (strip->open)
        omit_left(body, i, true);
      if (inline_standalone) {
        omit_right(body, i);
        // A standalone partial call indents the partial's lines like the call itself.
        if (omit_left(body, i))
          if (auto* partial = std::get_if<PartialCall>(&body[i]))
            partial->indent = trailing_blanks(std::get<Content>(body[i - 1]).original);
      }
      if (open_standalone || close_standalone) {
        Block& b = std::get<Block>(body[i]);
        if (open_standalone) {
          auto& inner = (b.program ? b.program : b.inverse)->body;
          omit_right(inner, -1);
          omit_left(body, i);
        }
        if (close_standalone) {
          omit_right(body, i);
          auto& inner = (b.inverse ? b.inverse : b.program)->body;
          omit_left(inner, static_cast<long>(inner.size()));
        }
      }
    }
  }

 private:
  std::optional<Strip> node(Node& n) {
    if (auto* m = std::get_if<Mustache>(&n))
      return Strip{m->strip.open, m->strip.close};
    if (auto* c = std::get_if<Comment>(&n))
      return Strip{c->strip.open, c->strip.close, false, false, true};
    if (auto* p = std::get_if<PartialCall>(&n))
      return Strip{p->strip.open, p->strip.close, false, false, true};
    if (auto* b = std::get_if<Block>(&n))
      return block(*b);
    return std::nullopt;
  }

  Strip block(Block& b) {
    program(b.program.get());
    program(b.inverse.get());
    Program* prog = b.program ? b.program.get() : b.inverse.get();
    Program* inverse = b.program ? b.inverse.get() : nullptr;
    Program* first_inverse = inverse;
    Program* last_inverse = inverse;
    if (inverse && inverse->chained) {
      first_inverse = std::get<Block>(inverse->body[0]).program.get();
      // As in Handlebars: the walk stops at the first chained block's program.
      while (last_inverse->chained)
        last_inverse = std::get<Block>(last_inverse->body.back()).program.get();
    }
    auto size_of = [](Program* p) { return static_cast<long>(p->body.size()); };
    Strip strip;
    strip.open = b.open_strip.open;
    strip.close = b.close_strip.close;
    strip.open_standalone = is_next_whitespace(prog->body, -1, false);
    Program* closing = first_inverse ? first_inverse : prog;
    strip.close_standalone = is_prev_whitespace(closing->body, size_of(closing), false);
    if (b.open_strip.close)
      omit_right(prog->body, -1, true);
    if (inverse) {
      if (b.inverse_strip.open)
        omit_left(prog->body, size_of(prog), true);
      if (b.inverse_strip.close)
        omit_right(first_inverse->body, -1, true);
      if (b.close_strip.open)
        omit_left(last_inverse->body, size_of(last_inverse), true);
      if (is_prev_whitespace(prog->body, size_of(prog), false) &&
          is_next_whitespace(first_inverse->body, -1, false)) {
        omit_left(prog->body, size_of(prog));
        omit_right(first_inverse->body, -1);
      }
    } else if (b.close_strip.open) {
      omit_left(prog->body, size_of(prog), true);
    }
    return strip;
  }

  bool root_seen_ = false;
};

}  // namespace

void apply_whitespace_control(Program& root) {
  WhitespaceControl().program(&root);
}

}  // namespace sesv2mock::template_ast
