// JSON mapping of the contact-list and contact shapes (member names as in the sesv2 service
// model). Timestamps are epoch seconds; absent optional members are left out.
#include "server/api/contact_codec.hpp"

#include <charconv>

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

constexpr const char* kSubscriptionStatuses = "[OPT_IN, OPT_OUT]";

SubscriptionStatus status_member(const JsonFields& f, std::string_view name, bool required) {
  auto text = f.string(name);
  if (!text) {
    if (required)
      throw ApiError::missing_field(f.path(name));
    return SubscriptionStatus::OptIn;
  }
  auto status = parse_subscription_status(*text);
  if (!status) {
    throw ApiError::validation(
        f.path(name), std::string("Member must satisfy enum value set: ") + kSubscriptionStatuses);
  }
  return *status;
}

// Calls `each` with the fields of every element of the list member `name` (AWS paths
// number list elements from 1: "topics.2.member.topicName").
template <typename Each>
void for_each_structure(const JsonFields& f, std::string_view name, Each each) {
  const json::array* items = f.array(name);
  if (!items)
    return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string path = f.path(name) + "." + std::to_string(i + 1) + ".member";
    const json::object* item = (*items)[i].if_object();
    if (!item)
      throw ApiError::validation(path, "Member must be a structure");
    each(JsonFields(*item, path));
  }
}

std::vector<Topic> parse_topics(const JsonFields& f) {
  std::vector<Topic> topics;
  for_each_structure(f, "Topics", [&](const JsonFields& t) {
    Topic topic;
    topic.topic_name = t.required_string("TopicName");
    topic.display_name = t.required_string("DisplayName");
    topic.description = t.string("Description").value_or("");
    topic.default_subscription_status = status_member(t, "DefaultSubscriptionStatus", true);
    topics.push_back(std::move(topic));
  });
  return topics;
}

std::optional<std::vector<TopicPreference>> parse_preferences(const JsonFields& f) {
  if (!f.array("TopicPreferences"))
    return std::nullopt;
  std::vector<TopicPreference> prefs;
  for_each_structure(f, "TopicPreferences", [&](const JsonFields& p) {
    prefs.push_back({p.required_string("TopicName"), status_member(p, "SubscriptionStatus", true)});
  });
  return prefs;
}

json::array preferences_to_json(const std::vector<TopicPreference>& prefs) {
  json::array out;
  for (const auto& p : prefs) {
    out.push_back(json::object{{"TopicName", p.topic_name},
                               {"SubscriptionStatus", to_string(p.subscription_status)}});
  }
  return out;
}

}  // namespace

CreateContactListRequest parse_create_contact_list(const json::object& body) {
  JsonFields f(body);
  CreateContactListRequest r;
  r.list.contact_list_name = f.required_string("ContactListName");
  r.list.topics = parse_topics(f);
  r.list.description = f.string("Description");
  for_each_structure(f, "Tags", [&](const JsonFields& t) {
    r.list.tags.push_back({t.required_string("Key"), t.required_string("Value")});
  });
  return r;
}

UpdateContactListRequest parse_update_contact_list(const json::object& body) {
  JsonFields f(body);
  UpdateContactListRequest r;
  r.topics = parse_topics(f);
  r.description = f.string("Description");
  return r;
}

ListContactListsRequest parse_list_contact_lists(const QueryParams& query) {
  ListContactListsRequest r;
  for (const auto& [name, value] : query) {
    if (name == "NextToken") {
      r.paging.next_token = value;
    } else if (name == "PageSize") {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) {
        throw ApiError::validation("pageSize", "Member must be an integer");
      }
      r.paging.page_size = n;
    }
  }
  return r;
}

CreateContactRequest parse_create_contact(const json::object& body) {
  JsonFields f(body);
  CreateContactRequest r;
  r.email_address = f.required_string("EmailAddress");
  r.topic_preferences = parse_preferences(f).value_or(std::vector<TopicPreference>{});
  r.unsubscribe_all = f.boolean("UnsubscribeAll").value_or(false);
  r.attributes_data = f.string("AttributesData");
  return r;
}

UpdateContactRequest parse_update_contact(const json::object& body) {
  JsonFields f(body);
  UpdateContactRequest r;
  r.topic_preferences = parse_preferences(f);
  r.unsubscribe_all = f.boolean("UnsubscribeAll");
  r.attributes_data = f.string("AttributesData");
  return r;
}

ListContactsRequest parse_list_contacts(const json::object& body) {
  JsonFields f(body);
  ListContactsRequest r;
  if (const json::object* filter = f.object("Filter")) {
    JsonFields ff = f.nested("Filter", *filter);
    if (ff.string("FilteredStatus")) {
      r.filter.filtered_status = status_member(ff, "FilteredStatus", false);
    }
    if (const json::object* topic = ff.object("TopicFilter")) {
      JsonFields tf = ff.nested("TopicFilter", *topic);
      r.filter.topic_filter =
          TopicFilter{tf.required_string("TopicName"),
                      tf.boolean("UseDefaultIfPreferenceUnavailable").value_or(false)};
    }
  }
  r.paging.page_size = f.integer("PageSize");
  r.paging.next_token = f.string("NextToken");
  return r;
}

json::object contact_list_to_json(const ContactList& list) {
  json::array topics;
  for (const auto& t : list.topics) {
    json::object topic{{"TopicName", t.topic_name},
                       {"DisplayName", t.display_name},
                       {"DefaultSubscriptionStatus", to_string(t.default_subscription_status)}};
    if (!t.description.empty())
      topic["Description"] = t.description;
    topics.push_back(std::move(topic));
  }
  json::array tags;
  for (const auto& t : list.tags)
    tags.push_back(json::object{{"Key", t.key}, {"Value", t.value}});
  json::object out{{"ContactListName", list.contact_list_name},
                   {"Topics", std::move(topics)},
                   {"Tags", std::move(tags)},
                   {"CreatedTimestamp", list.created_timestamp},
                   {"LastUpdatedTimestamp", list.last_updated_timestamp}};
  if (list.description)
    out["Description"] = *list.description;
  return out;
}

json::object list_contact_lists_to_json(const ListContactListsResult& r) {
  json::array lists;
  for (const auto& l : r.rows) {
    lists.push_back(json::object{{"ContactListName", l.contact_list_name},
                                 {"LastUpdatedTimestamp", l.last_updated_timestamp}});
  }
  json::object out{{"ContactLists", std::move(lists)}};
  if (r.next_token)
    out["NextToken"] = *r.next_token;
  return out;
}

json::object contact_to_json(const ContactView& view) {
  const Contact& c = view.contact;
  json::object out{{"ContactListName", view.contact_list_name},
                   {"EmailAddress", c.email_address},
                   {"TopicPreferences", preferences_to_json(c.topic_preferences)},
                   {"TopicDefaultPreferences", preferences_to_json(view.topic_default_preferences)},
                   {"UnsubscribeAll", c.unsubscribe_all},
                   {"CreatedTimestamp", c.created_timestamp},
                   {"LastUpdatedTimestamp", c.last_updated_timestamp}};
  if (c.attributes_data)
    out["AttributesData"] = *c.attributes_data;
  return out;
}

json::object list_contacts_to_json(const ListContactsResult& r) {
  json::array contacts;
  for (const auto& view : r.rows) {
    const Contact& c = view.contact;
    contacts.push_back(json::object{
        {"EmailAddress", c.email_address},
        {"TopicPreferences", preferences_to_json(c.topic_preferences)},
        {"TopicDefaultPreferences", preferences_to_json(view.topic_default_preferences)},
        {"UnsubscribeAll", c.unsubscribe_all},
        {"LastUpdatedTimestamp", c.last_updated_timestamp}});
  }
  json::object out{{"Contacts", std::move(contacts)}};
  if (r.next_token)
    out["NextToken"] = *r.next_token;
  return out;
}

}  // namespace sesv2mock
