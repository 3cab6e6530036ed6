#include "server/core/json_fields.hpp"

#include <boost/json/parse.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

#include "server/core/errors.hpp"

namespace sesv2mock {

namespace json = boost::json;

json::object parse_json_body(std::string_view body) {
  bool blank = true;
  for (char c : body) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      blank = false;
      break;
    }
  }
  if (blank)
    return {};
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec)
    throw ApiError::bad_request("The request body is not valid JSON: " + ec.message() + ".");
  if (!value.is_object())
    throw ApiError::bad_request("The request body must be a JSON object.");
  return std::move(value.as_object());
}

JsonFields::JsonFields(const json::object& object, std::string prefix, bool exact_names)
    : object_(object), prefix_(std::move(prefix)), exact_names_(exact_names) {}

std::string JsonFields::path(std::string_view name) const {
  std::string out = prefix_;
  if (!out.empty())
    out.push_back('.');
  std::string member(name);
  if (!member.empty() && !exact_names_)
    member[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(member[0])));
  return out + member;
}

const json::value* JsonFields::member(std::string_view name) const {
  const json::value* v = object_.if_contains(name);
  if (v && v->is_null())
    return nullptr;
  return v;
}

std::optional<std::string> JsonFields::string(std::string_view name) const {
  const json::value* v = member(name);
  if (!v)
    return std::nullopt;
  if (!v->is_string())
    throw ApiError::validation(path(name), "Member must be a string");
  return std::string(v->get_string());
}

std::string JsonFields::required_string(std::string_view name) const {
  auto s = string(name);
  if (!s)
    throw ApiError::missing_field(path(name));
  return *s;
}

std::optional<std::int64_t> JsonFields::integer(std::string_view name) const {
  const json::value* v = member(name);
  if (!v)
    return std::nullopt;
  if (v->is_int64())
    return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= INT64_MAX)
    return static_cast<std::int64_t>(v->get_uint64());
  throw ApiError::validation(path(name), "Member must be an integer");
}

std::optional<bool> JsonFields::boolean(std::string_view name) const {
  const json::value* v = member(name);
  if (!v)
    return std::nullopt;
  if (!v->is_bool())
    throw ApiError::validation(path(name), "Member must be a boolean");
  return v->get_bool();
}

std::optional<double> JsonFields::timestamp(std::string_view name) const {
  const json::value* v = member(name);
  if (!v)
    return std::nullopt;
  if (auto t = timestamp_of(*v))
    return t;
  throw ApiError::validation(path(name), "Member must be a timestamp");
}

double JsonFields::required_timestamp(std::string_view name) const {
  auto t = timestamp(name);
  if (!t)
    throw ApiError::missing_field(path(name));
  return *t;
}

void check_length(const std::string& path, std::size_t n, std::size_t min, std::size_t max) {
  if (n < min)
    throw ApiError::validation(
        path, "Member must have length greater than or equal to " + std::to_string(min));
  if (n > max)
    throw ApiError::validation(
        path, "Member must have length less than or equal to " + std::to_string(max));
}

std::optional<double> timestamp_of(const json::value& v) {
  if (v.is_number() && is_valid_timestamp(v.to_number<double>()))
    return v.to_number<double>();
  if (v.is_string())
    return parse_timestamp_text(v.get_string());
  return std::nullopt;
}

const json::object* JsonFields::object(std::string_view name) const {
  const json::value* v = member(name);
  if (!v)
    return nullptr;
  if (!v->is_object())
    throw ApiError::validation(path(name), "Member must be a structure");
  return &v->get_object();
}

const json::array* JsonFields::array(std::string_view name) const {
  const json::value* v = member(name);
  if (!v)
    return nullptr;
  if (!v->is_array())
    throw ApiError::validation(path(name), "Member must be a list");
  return &v->get_array();
}

JsonFields JsonFields::nested(std::string_view name, const json::object& child) const {
  return JsonFields(child, path(name), exact_names_);
}

void apply_paging_query(const std::vector<std::pair<std::string, std::string>>& query,
                        std::optional<std::int64_t>& page_size,
                        std::optional<std::string>& next_token) {
  for (const auto& [name, value] : query) {
    if (name == "NextToken") {
      next_token = value;
    } else if (name == "PageSize") {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) {
        throw ApiError::validation("pageSize", "Member must be an integer");
      }
      page_size = n;
    }
  }
}

bool is_valid_timestamp(double epoch_seconds) {
  constexpr double kEndOfYear9999 = 253402300800.0;
  return std::isfinite(epoch_seconds) && epoch_seconds >= 0 && epoch_seconds < kEndOfYear9999;
}

std::optional<double> parse_timestamp_text(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  // Epoch seconds, as query strings and some SDKs send them.
  {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return is_valid_timestamp(value) ? std::optional<double>(value) : std::nullopt;
    }
  }
  std::tm tm{};
  int year, month, day, hour, minute;
  double second = 0;
  char tail[16] = {0};
  std::string s(text);
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%15s", &year, &month, &day, &hour, &minute,
                      &second, tail);
  if (n < 6)
    return std::nullopt;
  // timegm would roll 2025-13-45 over into another date: refuse fields out of range.
  auto days_in = [](int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
  };
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in(year, month) ||
      hour > 23 || minute > 59 || second < 0 || second >= 61) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  double epoch = static_cast<double>(timegm(&tm)) + second;
  std::string_view zone = tail;
  if (zone.empty() || zone == "Z")
    return epoch;
  if ((zone[0] == '+' || zone[0] == '-') && zone.size() >= 5) {
    int hh = std::atoi(std::string(zone.substr(1, 2)).c_str());
    int mm = std::atoi(std::string(zone.substr(zone.size() - 2)).c_str());
    double offset = hh * 3600.0 + mm * 60.0;
    return zone[0] == '+' ? epoch - offset : epoch + offset;
  }
  return std::nullopt;
}

}  // namespace sesv2mock
