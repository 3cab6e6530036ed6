#include "server/http/json_text.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
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
    while (end < text.size() && is_number_char(text[end])) ++end;
    std::string_view token = text.substr(i, end - i);
    if (token.find_first_of("eE") == std::string_view::npos) {
      out.append(token);
    } else {
      double value = std::strtod(std::string(token).c_str(), nullptr);
      char buffer[64];
      auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
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

std::string to_json_text(const boost::json::value& value) {
  return plain_decimal_numbers(boost::json::serialize(value));
}

}  // namespace sesv2mock::http
