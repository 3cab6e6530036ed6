// TemplateData arrives as JSON text. Boost.JSON 1.81 parses some doubles with more than
// 15 significant digits one unit off (it has no "precise" mode before 1.83), while SES
// and JavaScript read the nearest double; numbers are re-read here with std::from_chars,
// which rounds correctly.
#include <boost/json/parse.hpp>

#include <charconv>
#include <cstring>
#include <vector>

#include "server/sending/template_renderer.hpp"

namespace sesv2mock {
namespace json = boost::json;
namespace {

// The number tokens of JSON text, in document order (string contents skipped).
std::vector<std::string_view> number_tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\')
          ++i;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t j = i;
      while (j < s.size() && std::strchr("+-0123456789.eE", s[j]) && s[j] != '\0')
        ++j;
      out.push_back(s.substr(i, j - i));
      i = j;
    } else {
      ++i;
    }
  }
  return out;
}

// The numbers of a value in document order (objects keep their insertion order).
void collect_numbers(json::value& v, std::vector<json::value*>& out) {
  if (v.is_number()) {
    out.push_back(&v);
  } else if (v.is_array()) {
    for (auto& item : v.get_array())
      collect_numbers(item, out);
  } else if (v.is_object()) {
    for (auto& kv : v.get_object())
      collect_numbers(kv.value(), out);
  }
}

}  // namespace

json::value parse_template_data(std::string_view text) {
  boost::system::error_code ec;
  json::value data = json::parse(text, ec);
  if (ec)
    throw TemplateError(TemplateError::Kind::invalid_data, "TemplateData is not valid JSON.");
  std::vector<json::value*> numbers;
  collect_numbers(data, numbers);
  auto tokens = number_tokens(text);
  // Duplicate keys make the two lists differ; those documents keep Boost's reading.
  if (tokens.size() != numbers.size())
    return data;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (!numbers[i]->is_double())
      continue;
    double d = 0;
    auto [ptr, err] = std::from_chars(tokens[i].data(), tokens[i].data() + tokens[i].size(), d);
    if (err == std::errc() && ptr == tokens[i].data() + tokens[i].size())
      *numbers[i] = d;
  }
  return data;
}

}  // namespace sesv2mock
