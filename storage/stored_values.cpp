#include "storage/stored_values.hpp"

#include <boost/json.hpp>

namespace sesv2mock::storage {

namespace json = boost::json;

std::string tags_to_json(const std::vector<Tag>& tags) {
  json::array out;
  for (const auto& t : tags)
    out.push_back(json::object{{"Key", t.key}, {"Value", t.value}});
  return json::serialize(out);
}

std::vector<Tag> tags_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  std::vector<Tag> out;
  if (ec || !v.is_array())
    return out;
  for (const auto& item : v.get_array()) {
    const auto* o = item.if_object();
    if (!o)
      continue;
    const auto* key = o->if_contains("Key");
    const auto* value = o->if_contains("Value");
    if (key && key->is_string())
      out.push_back({std::string(key->get_string()),
                     value && value->is_string() ? std::string(value->get_string()) : ""});
  }
  return out;
}

std::string reasons_to_text(const std::vector<SuppressionReason>& reasons) {
  std::string out;
  for (auto r : reasons) {
    if (!out.empty())
      out.push_back(',');
    out += to_string(r);
  }
  return out;
}

std::vector<SuppressionReason> reasons_from_text(std::string_view text) {
  std::vector<SuppressionReason> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    if (auto r = parse_suppression_reason(text.substr(0, comma)))
      out.push_back(*r);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace sesv2mock::storage
