#include "server/http/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sesv2mock::http {

namespace {

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

}  // namespace

std::string plain_decimal_numbers(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out.push_back(c);
      continue;
    }
    if (c != '-' && !(c >= '0' && c <= '9')) {
      out.push_back(c);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_number_char(text[end]))
      ++end;
    std::string_view token = text.substr(i, end - i);
    if (token.find_first_of("eE") == std::string_view::npos) {
      out.append(token);
    } else {
      double value = std::strtod(std::string(token).c_str(), nullptr);
      char buffer[64];
      auto [ptr, ec] =
          std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
      if (ec == std::errc()) {
        out.append(buffer, ptr);
      } else {
        out.append(token);
      }
    }
    i = end - 1;
  }
  return out;
}

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

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
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
  out.reserve(256);
  append_value(out, value);
  return out;
}

}  // namespace sesv2mock::http
