#include "server/contacts/contact_filter.hpp"

namespace sesv2mock {
namespace {

const TopicPreference* explicit_preference(const Contact& contact, std::string_view topic_name) {
  for (const auto& p : contact.topic_preferences) {
    if (p.topic_name == topic_name)
      return &p;
  }
  return nullptr;
}

}  // namespace

const Topic* find_topic(const ContactList& list, std::string_view topic_name) {
  for (const auto& t : list.topics) {
    if (t.topic_name == topic_name)
      return &t;
  }
  return nullptr;
}

std::vector<TopicPreference> current_topic_preferences(const ContactList& list,
                                                       const Contact& contact) {
  std::vector<TopicPreference> out;
  for (const auto& p : contact.topic_preferences) {
    if (find_topic(list, p.topic_name))
      out.push_back(p);
  }
  return out;
}

std::vector<TopicPreference> topic_default_preferences(const ContactList& list,
                                                       const Contact& contact) {
  std::vector<TopicPreference> out;
  for (const auto& t : list.topics) {
    if (!explicit_preference(contact, t.topic_name)) {
      out.push_back({t.topic_name, t.default_subscription_status});
    }
  }
  return out;
}

bool contact_matches(const ContactFilter& filter, const ContactList& list, const Contact& contact) {
  if (!filter.topic_filter) {
    if (!filter.filtered_status)
      return true;
    return contact.unsubscribe_all == (*filter.filtered_status == SubscriptionStatus::OptOut);
  }
  const TopicFilter& tf = *filter.topic_filter;
  std::optional<SubscriptionStatus> status;
  if (const Topic* topic = find_topic(list, tf.topic_name)) {
    if (const auto* pref = explicit_preference(contact, tf.topic_name)) {
      status = pref->subscription_status;
    } else if (tf.use_default_if_preference_unavailable) {
      status = topic->default_subscription_status;
    }
  }
  if (!status)
    return false;
  return !filter.filtered_status || *status == *filter.filtered_status;
}

}  // namespace sesv2mock
