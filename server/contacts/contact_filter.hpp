#pragma once
// What a contact's topic subscriptions are, seen through its list: the defaults SES
// reports for topics the contact has said nothing about, and the ListContacts filter.
//
// ListContacts filter semantics (the API reference leaves them open; these follow the SES
// developer guide's "contacts subscribed to a topic, unsubscribed from a topic, and
// unsubscribed from all topics"):
// - no FilteredStatus, no TopicFilter: every contact;
// - FilteredStatus alone: the list-wide status, i.e. OPT_OUT matches contacts with
//   UnsubscribeAll true and OPT_IN those with UnsubscribeAll false;
// - FilteredStatus with TopicFilter: the contact's explicit preference for the topic equals
//   FilteredStatus, or, when it has none and UseDefaultIfPreferenceUnavailable is true,
//   the topic's DefaultSubscriptionStatus does. UnsubscribeAll is not consulted;
// - TopicFilter without FilteredStatus: contacts whose status for the topic is known,
//   i.e. with an explicit preference, or every contact when defaults may be used.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

struct TopicFilter {
  std::string topic_name;
  bool use_default_if_preference_unavailable = false;
};

struct ContactFilter {
  std::optional<SubscriptionStatus> filtered_status;
  std::optional<TopicFilter> topic_filter;
};

const Topic* find_topic(const ContactList& list, std::string_view topic_name);

// The contact's explicit preferences for topics the list has. Preferences for topics that
// UpdateContactList removed stay stored but are not reported.
std::vector<TopicPreference> current_topic_preferences(const ContactList& list,
                                                       const Contact& contact);

// One entry per list topic the contact has no explicit preference for, carrying that
// topic's DefaultSubscriptionStatus, in the list's topic order.
std::vector<TopicPreference> topic_default_preferences(const ContactList& list,
                                                       const Contact& contact);

bool contact_matches(const ContactFilter& filter, const ContactList& list, const Contact& contact);

}  // namespace sesv2mock
