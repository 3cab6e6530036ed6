#include "server/http/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sesv2mock::http {

namespace {

constexpr std::size_t kNumberBuffer = 64;

void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buffer[kNumberBuffer];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
  if (result.ec != std::errc()) {  // too long in fixed form (beyond any timestamp): shortest
    result = std::to_chars(buffer, buffer + sizeof buffer, v);
  }
  out.append(buffer, result.ptr);
}

bool needs_escape(unsigned char u) {
  return u < 0x20 || u == '"' || u == '\\';
}

void append_escaped(std::string& out, unsigned char u) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (u) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
  }
}

// Runs of characters that need no escape (nearly all) are appended whole: character by
// character this was the server's busiest function of its own under GetImportJob load.
void append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (!needs_escape(u))
      continue;
    out.append(s.data() + run, i - run);
    append_escaped(out, u);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_value(std::string& out, const boost::json::value& v) {
  char buffer[kNumberBuffer];
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64: {
      auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.get_int64());
      out.append(buffer, ptr);
      return;
    }
    case boost::json::kind::uint64: {
      auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.get_uint64());
      out.append(buffer, ptr);
      return;
    }
    case boost::json::kind::double_:
      append_double(out, v.get_double());
      return;
    case boost::json::kind::string:
      append_string(out, v.get_string());
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first)
          out += ',';
        first = false;
        append_value(out, item);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : v.get_object()) {
        if (!first)
          out += ',';
        first = false;
        append_string(out, member.key());
        out += ':';
        append_value(out, member.value());
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string to_json_text(const boost::json::value& value) {
  std::string out;
  out.reserve(512);
  append_value(out, value);
  return out;
}

}  // namespace sesv2mock::http
