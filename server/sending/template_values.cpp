#include "server/sending/template_values.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace sesv2mock::template_values {
namespace json = boost::json;

namespace {

// JavaScript prints numbers in plain notation for exponents in [-7, 21) (ECMA-262
// Number::toString); beyond that in "1e+21" form.
constexpr int kPlainNotationMaxExponent = 21;
constexpr int kPlainNotationMinExponent = -6;
// Array indexes are the integers below 2^32 - 1.
constexpr std::uint64_t kMaxArrayIndex = 4294967294ull;

double as_double(const json::value& v) {
  if (v.is_int64())
    return static_cast<double>(v.get_int64());
  if (v.is_uint64())
    return static_cast<double>(v.get_uint64());
  return v.get_double();
}

bool is_js_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// ToNumber(string): surrounding whitespace ignored, "" is 0, otherwise a decimal literal or
// NaN (hex/octal/binary literals and Infinity are rare in template data; they give NaN here).
double string_to_number(std::string_view s) {
  while (!s.empty() && is_js_whitespace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_js_whitespace(s.back()))
    s.remove_suffix(1);
  if (s.empty())
    return 0;
  double d = 0;
  const char* first = s.data();
  if (*first == '+')
    ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), d);
  if (ec != std::errc() || ptr != s.data() + s.size())
    return std::numeric_limits<double>::quiet_NaN();
  return d;
}

// A JSON value reduced to a JavaScript primitive for `==`.
struct Primitive {
  enum class Kind { null, boolean, number, string } kind;
  double number = 0;
  std::string string;
};

Primitive to_primitive(const json::value& v) {
  if (v.is_null())
    return {Primitive::Kind::null, 0, {}};
  if (v.is_bool())
    return {Primitive::Kind::boolean, v.get_bool() ? 1.0 : 0.0, {}};
  if (v.is_number())
    return {Primitive::Kind::number, as_double(v), {}};
  if (v.is_string())
    return {Primitive::Kind::string, 0, std::string(v.get_string())};
  return {Primitive::Kind::string, 0, text_of(v)};  // arrays and objects: ToPrimitive
}

bool primitives_loose_equal(const Primitive& a, const Primitive& b) {
  using K = Primitive::Kind;
  if (a.kind == K::null || b.kind == K::null)
    return a.kind == b.kind;
  if (a.kind == K::string && b.kind == K::string)
    return a.string == b.string;
  double x = a.kind == K::string ? string_to_number(a.string) : a.number;
  double y = b.kind == K::string ? string_to_number(b.string) : b.number;
  return x == y;
}

std::string join_array(const json::array& a) {
  std::string out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i)
      out += ',';
    if (!a[i].is_null())
      out += text_of(a[i]);
  }
  return out;
}

bool is_array_index(std::string_view s, std::uint64_t* index) {
  if (s.empty() || (s.size() > 1 && s[0] == '0'))
    return false;
  std::uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size() || n > kMaxArrayIndex)
    return false;
  *index = n;
  return true;
}

// JavaScript strings count UTF-16 code units.
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80)
      continue;                // continuation byte
    n += (c >= 0xF0) ? 2 : 1;  // 4-byte sequences are surrogate pairs
  }
  return n;
}

}  // namespace

std::string number_text(double d) {
  if (std::isnan(d))
    return "NaN";
  if (std::isinf(d))
    return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0)
    return "0";
  std::string sign = d < 0 ? "-" : "";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);  // "d.ddde+XX": shortest round-trip digits
  auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.')
      digits += c;
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;  // the decimal point sits after n digits
  std::string out;
  if (k <= n && n <= kPlainNotationMaxExponent) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= kPlainNotationMaxExponent) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (kPlainNotationMinExponent < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a known false positive) on
    // `const char* + std::string&&` here.
    out = digits.substr(0, 1);
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return sign + out;
}

std::string text_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return number_text(as_double(v));
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::array:
      return join_array(v.get_array());
    case json::kind::object:
      return "[object Object]";
  }
  return "";
}

bool is_truthy(const json::value* v) {
  if (!v || v->is_null())
    return false;
  if (v->is_bool())
    return v->get_bool();
  if (v->is_number()) {
    double d = as_double(*v);
    return d != 0 && !std::isnan(d);
  }
  if (v->is_string())
    return !v->get_string().empty();
  if (v->is_array())
    return !v->get_array().empty();
  return true;
}

bool is_empty(const json::value* v) {
  if (v && v->is_number() && as_double(*v) == 0)
    return false;
  return !is_truthy(v);
}

bool loose_equal(const json::value* a, const json::value* b) {
  if (!a || !b)
    return (!a || a->is_null()) && (!b || b->is_null());  // undefined == null
  bool a_composite = a->is_array() || a->is_object();
  bool b_composite = b->is_array() || b->is_object();
  if (a_composite && b_composite)
    return a == b;  // objects: identity
  return primitives_loose_equal(to_primitive(*a), to_primitive(*b));
}

const json::value* member(const json::value* parent, std::string_view name, Scratch& scratch) {
  if (!parent)
    return nullptr;
  if (parent->is_object()) {
    const auto& o = parent->get_object();
    auto it = o.find(name);
    return it == o.end() ? nullptr : &it->value();
  }
  if (parent->is_array()) {
    const auto& a = parent->get_array();
    if (name == "length")
      return scratch.keep(static_cast<std::int64_t>(a.size()));
    std::uint64_t i = 0;
    if (is_array_index(name, &i) && i < a.size())
      return &a[i];
    return nullptr;
  }
  if (parent->is_string() && name == "length")
    return scratch.keep(static_cast<std::int64_t>(utf16_length(parent->get_string())));
  return nullptr;
}

std::vector<std::string_view> keys_in_js_order(const json::object& o) {
  std::vector<std::pair<std::uint64_t, std::string_view>> indexes;
  std::vector<std::string_view> others;
  for (const auto& kv : o) {
    std::uint64_t i = 0;
    if (is_array_index(kv.key(), &i))
      indexes.emplace_back(i, kv.key());
    else
      others.push_back(kv.key());
  }
  std::sort(indexes.begin(), indexes.end());
  std::vector<std::string_view> keys;
  for (auto& [i, k] : indexes)
    keys.push_back(k);
  keys.insert(keys.end(), others.begin(), others.end());
  return keys;
}

const json::value* Scratch::keep(json::value v) {
  values_.push_back(std::make_unique<json::value>(std::move(v)));
  return values_.back().get();
}

}  // namespace sesv2mock::template_values
