#include "server/contacts/contact_records.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

#include "server/core/email_address.hpp"

namespace sesv2mock {
namespace {

namespace json = boost::json;

constexpr std::string_view kEmailColumn = "emailAddress";
constexpr std::string_view kUnsubscribeAllColumn = "unsubscribeAll";
constexpr std::string_view kAttributesColumn = "attributesData";
constexpr std::string_view kTopicPrefix = "topicPreferences.";
// Enough for typical attributes without touching the heap; larger ones spill over.
constexpr std::size_t kAttributesParseBuffer = 4096;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Spreadsheets write TRUE/FALSE, hand-written files true/false: both are accepted.
std::optional<bool> parse_boolean_text(std::string_view s) {
  if (iequals(s, "true"))
    return true;
  if (iequals(s, "false"))
    return false;
  return std::nullopt;
}

std::string_view cell(const std::vector<std::string>& fields, std::optional<std::size_t> column) {
  if (!column || *column >= fields.size())
    return {};
  return trim(fields[*column]);
}

}  // namespace

std::optional<ContactCsvColumns> parse_contact_csv_header(const std::vector<std::string>& fields,
                                                          std::string& why) {
  ContactCsvColumns columns;
  columns.width = fields.size();
  bool has_email = false;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view name = trim(fields[i]);
    if (name.empty())
      continue;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      why = "The CSV header names the column " + std::string(name) + " twice.";
      return std::nullopt;
    }
    seen.emplace_back(name);
    if (iequals(name, kEmailColumn)) {
      columns.email = i;
      has_email = true;
    } else if (iequals(name, kUnsubscribeAllColumn)) {
      columns.unsubscribe_all = i;
    } else if (iequals(name, kAttributesColumn)) {
      columns.attributes_data = i;
    } else if (name.size() >= kTopicPrefix.size() &&
               iequals(name.substr(0, kTopicPrefix.size()), kTopicPrefix)) {
      std::string_view topic = trim(name.substr(kTopicPrefix.size()));
      if (topic.empty()) {
        why = "The CSV header has a topicPreferences. column without a topic name.";
        return std::nullopt;
      }
      columns.topics.emplace_back(i, std::string(topic));
    }
  }
  if (!has_email) {
    why =
        "The CSV file has no emailAddress column; its first line must be a header naming the "
        "columns (emailAddress, unsubscribeAll, attributesData, topicPreferences.<TopicName>).";
    return std::nullopt;
  }
  return columns;
}

std::optional<std::string> attributes_data_error(std::string_view text) {
  unsigned char buffer[kAttributesParseBuffer];
  json::monotonic_resource resource(buffer, sizeof buffer);
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, &resource);
  if (ec)
    return "it is not valid JSON (" + ec.message() + ").";
  if (v.is_object())
    return std::nullopt;
  const char* kind = v.is_array()    ? "an array"
                     : v.is_string() ? "a string"
                     : v.is_bool()   ? "a boolean"
                     : v.is_null()   ? "null"
                                     : "a number";
  return std::string("it is ") + kind + ".";
}

ContactRecordParser::ContactRecordParser(ContactList list, ImportAction action)
    : list_(std::move(list)), action_(action) {}

bool ContactRecordParser::set_address(std::string_view raw, Contact& contact,
                                      std::string& reason) const {
  auto email = normalize_email_address(raw, &reason);
  if (!email)
    return false;
  contact.email_address = std::move(*email);
  return true;
}

bool ContactRecordParser::add_preference(Contact& contact, std::string_view topic,
                                         std::string_view status, std::string& reason) const {
  auto parsed = parse_subscription_status(status);
  if (!parsed) {
    reason = "The preference for topic " + std::string(topic) + " is '" + std::string(status) +
             "'; expected OPT_IN or OPT_OUT.";
    return false;
  }
  bool known = std::any_of(list_.topics.begin(), list_.topics.end(),
                           [&](const Topic& t) { return t.topic_name == topic; });
  if (!known) {
    reason =
        "The contact list " + list_.contact_list_name + " has no topic " + std::string(topic) + ".";
    return false;
  }
  for (const auto& p : contact.topic_preferences) {
    if (p.topic_name == topic) {
      reason = "The record gives a preference for topic " + std::string(topic) + " twice.";
      return false;
    }
  }
  contact.topic_preferences.push_back({std::string(topic), *parsed});
  return true;
}

bool ContactRecordParser::parse_csv(const std::vector<std::string>& fields,
                                    const ContactCsvColumns& columns, double now, Contact& contact,
                                    std::string& reason) const {
  contact = Contact{};
  // Fewer cells than the header is read as empty trailing cells; more is a broken row.
  if (fields.size() > columns.width) {
    reason = "The record has " + std::to_string(fields.size()) + " columns; the header has " +
             std::to_string(columns.width) + ".";
    return false;
  }
  if (!set_address(cell(fields, columns.email), contact, reason))
    return false;
  if (action_ == ImportAction::Delete)
    return true;
  if (auto text = cell(fields, columns.unsubscribe_all); !text.empty()) {
    auto value = parse_boolean_text(text);
    if (!value) {
      reason = "unsubscribeAll is '" + std::string(text) + "'; expected true or false.";
      return false;
    }
    contact.unsubscribe_all = *value;
  }
  if (auto text = cell(fields, columns.attributes_data); !text.empty()) {
    if (auto error = attributes_data_error(text)) {
      reason = "attributesData must be a JSON object; " + *error;
      return false;
    }
    contact.attributes_data = std::string(text);
  }
  for (const auto& [column, topic] : columns.topics) {
    auto status = cell(fields, column);
    if (!status.empty() && !add_preference(contact, topic, status, reason))
      return false;
  }
  contact.created_timestamp = now;
  contact.last_updated_timestamp = now;
  return true;
}

bool ContactRecordParser::parse_json(const json::object& record, double now, Contact& contact,
                                     std::string& reason) const {
  contact = Contact{};
  const json::value* email = record.if_contains("emailAddress");
  if (!email || !email->is_string()) {
    reason = "The record has no emailAddress string.";
    return false;
  }
  if (!set_address(email->get_string(), contact, reason))
    return false;
  if (action_ == ImportAction::Delete)
    return true;
  if (const json::value* v = record.if_contains("unsubscribeAll"); v && !v->is_null()) {
    if (!v->is_bool()) {
      reason = "unsubscribeAll is " + json::serialize(*v) + "; expected true or false.";
      return false;
    }
    contact.unsubscribe_all = v->get_bool();
  }
  if (const json::value* v = record.if_contains("attributesData"); v && !v->is_null()) {
    if (v->is_object()) {
      // Lenient: an object given directly, instead of as JSON text, means the same.
      contact.attributes_data = json::serialize(*v);
    } else if (v->is_string()) {
      std::string_view text = trim(v->get_string());
      if (auto error = attributes_data_error(text)) {
        reason = "attributesData must be a JSON object; " + *error;
        return false;
      }
      contact.attributes_data = std::string(text);
    } else {
      reason = "attributesData must be a string holding a JSON object.";
      return false;
    }
  }
  if (const json::value* v = record.if_contains("topicPreferences"); v && !v->is_null()) {
    if (!v->is_array()) {
      reason = "topicPreferences must be an array of {topicName, subscriptionStatus} objects.";
      return false;
    }
    const auto& prefs = v->get_array();
    for (std::size_t i = 0; i < prefs.size(); ++i) {
      const json::object* p = prefs[i].if_object();
      const json::value* topic = p ? p->if_contains("topicName") : nullptr;
      const json::value* status = p ? p->if_contains("subscriptionStatus") : nullptr;
      if (!topic || !topic->is_string() || !status || !status->is_string()) {
        reason = "topicPreferences[" + std::to_string(i) +
                 "] must be an object with topicName and subscriptionStatus strings.";
        return false;
      }
      if (!add_preference(contact, topic->get_string(), status->get_string(), reason))
        return false;
    }
  }
  contact.created_timestamp = now;
  contact.last_updated_timestamp = now;
  return true;
}

}  // namespace sesv2mock
