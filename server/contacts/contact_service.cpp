// The contact-list and contact operations. Their JSON codec is in server/api/contact_codec.
#include "server/contacts/contact_service.hpp"

#include <set>

#include "server/contacts/contact_records.hpp"
#include "server/core/email_address.hpp"
#include "server/core/messages.hpp"
#include "server/core/tags.hpp"
#include "storage/contact_store.hpp"

namespace sesv2mock {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_valid_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= ContactLimits::kMaxNameLength;
  for (char c : name)
    ok = ok && is_name_char(c);
  return ok;
}

// List names: 1-64 letters, digits, '_' and '-'.
void check_list_name(const std::string& name) {
  if (!is_valid_name(name))
    throw errors::list_name_rules();
}

void check_description(const std::optional<std::string>& description) {
  if (!description)
    return;
  auto length = utf8_length(*description);
  if (!length || *length > ContactLimits::kMaxDescriptionLength) {
    throw errors::description_too_long();
  }
}

void check_topics(const std::vector<Topic>& topics) {
  if (topics.size() > ContactLimits::kMaxTopicsPerList) {
    throw errors::too_many_topics(ContactLimits::kMaxTopicsPerList);
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (!is_valid_name(topics[i].topic_name)) {
      throw ApiError::validation("topics." + std::to_string(i + 1) + ".member.topicName",
                                 "Member must satisfy regular expression pattern: "
                                 "^[a-zA-Z0-9_-]{1,64}$");
    }
    if (!seen.insert(topics[i].topic_name).second)
      throw errors::duplicate_topics();
  }
}

std::string address_or_throw(const std::string& raw) {
  auto email = normalize_email_address(raw);
  if (!email)
    throw errors::email_invalid(raw);
  return *email;
}

// Lookups by address use the normalised form; an address that cannot be normalised cannot
// be stored either, so it is simply not found.
std::string lookup_address(const std::string& raw) {
  return normalize_email_address(raw).value_or(raw);
}

void check_attributes(const std::optional<std::string>& attributes) {
  if (!attributes)
    return;
  if (auto error = attributes_data_error(*attributes))
    throw errors::attributes_not_object(*error);
}

void check_preferences(const std::vector<TopicPreference>& prefs) {
  std::set<std::string> seen;
  for (const auto& p : prefs) {
    if (!seen.insert(p.topic_name).second)
      throw errors::duplicate_topic_preference(p.topic_name);
  }
}

// Runs inside the write transaction, against the list as stored.
void check_preferences_against(const ContactList& list, const std::vector<TopicPreference>& prefs) {
  for (const auto& p : prefs) {
    if (!find_topic(list, p.topic_name)) {
      throw errors::topic_not_in_list(list.contact_list_name, p.topic_name);
    }
  }
}

ContactView view_of(const ContactList& list, Contact contact) {
  ContactView view;
  view.contact_list_name = list.contact_list_name;
  view.topic_default_preferences = topic_default_preferences(list, contact);
  contact.topic_preferences = current_topic_preferences(list, contact);
  view.contact = std::move(contact);
  return view;
}

std::string partition_scope(const char* operation, const RequestContext& ctx) {
  return std::string(operation) + "|" + ctx.partition.account + "|" + ctx.partition.region;
}

}  // namespace

ContactList ContactService::list_or_throw(const RequestContext& ctx,
                                          const std::string& name) const {
  auto list = store_.find_list(ctx.partition, name);
  if (!list)
    throw errors::list_not_found(name);
  return std::move(*list);
}

void ContactService::create_list(const RequestContext& ctx, const CreateContactListRequest& r) {
  check_list_name(r.list.contact_list_name);
  check_description(r.list.description);
  check_topics(r.list.topics);
  check_tags(r.list.tags);
  ContactList list = r.list;
  list.created_timestamp = list.last_updated_timestamp = now_epoch_seconds();
  const std::int64_t max_lists = settings_.max_contact_lists;
  switch (store_.create_list(ctx.partition, list, max_lists)) {
    case storage::ListCreateOutcome::Created:
      return;
    case storage::ListCreateOutcome::AlreadyExists:
      throw errors::list_exists(list.contact_list_name);
    case storage::ListCreateOutcome::LimitReached:
      throw errors::lists_limit(max_lists);
  }
}

ContactList ContactService::get_list(const RequestContext& ctx, const std::string& name) const {
  return list_or_throw(ctx, name);
}

void ContactService::update_list(const RequestContext& ctx, const UpdateContactListRequest& r) {
  check_description(r.description);
  check_topics(r.topics);
  if (!store_.update_list(ctx.partition, r.contact_list_name, r.topics, r.description,
                          now_epoch_seconds())) {
    throw errors::list_not_found(r.contact_list_name);
  }
}

void ContactService::delete_list(const RequestContext& ctx, const std::string& name) {
  if (!store_.erase_list(ctx.partition, name))
    throw errors::list_not_found(name);
}

ListContactListsResult ContactService::list_lists(const RequestContext& ctx,
                                                  const ListContactListsRequest& r) const {
  auto fetch = [&](const std::optional<std::string>& after, int limit) {
    return store_.lists(ctx.partition, after.value_or(""), limit);
  };
  return pager_.page(partition_scope("ListContactLists", ctx), PageRules::kContactLists, r.paging,
                     fetch, [](const ContactList& l) { return l.contact_list_name; });
}

void ContactService::create_contact(const RequestContext& ctx, const CreateContactRequest& r) {
  Contact contact;
  contact.email_address = address_or_throw(r.email_address);
  contact.topic_preferences = r.topic_preferences;
  contact.unsubscribe_all = r.unsubscribe_all;
  contact.attributes_data = r.attributes_data;
  contact.created_timestamp = contact.last_updated_timestamp = now_epoch_seconds();
  check_attributes(contact.attributes_data);
  check_preferences(contact.topic_preferences);
  auto outcome = store_.create_contact(ctx.partition, r.contact_list_name, contact,
                                       [](const ContactList& list, Contact& c) {
                                         check_preferences_against(list, c.topic_preferences);
                                       });
  if (outcome == storage::ContactWriteOutcome::ListMissing) {
    throw errors::list_not_found(r.contact_list_name);
  }
  if (outcome == storage::ContactWriteOutcome::ContactExists) {
    throw errors::contact_exists(contact.email_address);
  }
}

ContactView ContactService::get_contact(const RequestContext& ctx, const std::string& list_name,
                                        const std::string& email_address) const {
  ContactList list = list_or_throw(ctx, list_name);
  auto contact = store_.find_contact(ctx.partition, list_name, lookup_address(email_address));
  if (!contact)
    throw errors::contact_not_found(email_address);
  return view_of(list, std::move(*contact));
}

void ContactService::update_contact(const RequestContext& ctx, const UpdateContactRequest& r) {
  check_attributes(r.attributes_data);
  if (r.topic_preferences)
    check_preferences(*r.topic_preferences);
  const double now = now_epoch_seconds();
  auto outcome =
      store_.update_contact(ctx.partition, r.contact_list_name, lookup_address(r.email_address),
                            [&](const ContactList& list, Contact& c) {
                              if (r.topic_preferences) {
                                check_preferences_against(list, *r.topic_preferences);
                                c.topic_preferences = *r.topic_preferences;
                              }
                              if (r.unsubscribe_all)
                                c.unsubscribe_all = *r.unsubscribe_all;
                              if (r.attributes_data)
                                c.attributes_data = r.attributes_data;
                              c.last_updated_timestamp = now;
                            });
  if (outcome == storage::ContactWriteOutcome::ListMissing) {
    throw errors::list_not_found(r.contact_list_name);
  }
  if (outcome == storage::ContactWriteOutcome::ContactMissing) {
    throw errors::contact_not_found(r.email_address);
  }
}

void ContactService::delete_contact(const RequestContext& ctx, const std::string& list_name,
                                    const std::string& email_address) {
  if (store_.erase_contact(ctx.partition, list_name, lookup_address(email_address)))
    return;
  if (!store_.exists(ctx.partition, list_name))
    throw errors::list_not_found(list_name);
  throw errors::contact_not_found(email_address);
}

ListContactsResult ContactService::list_contacts(const RequestContext& ctx,
                                                 const ListContactsRequest& r) const {
  Pager::checked_size(PageRules::kContacts, r.paging.page_size);  // before the list lookup
  ContactList list = list_or_throw(ctx, r.contact_list_name);
  const ContactFilter& filter = r.filter;
  if (filter.topic_filter && !find_topic(list, filter.topic_filter->topic_name)) {
    throw errors::topic_not_in_list(list.contact_list_name, filter.topic_filter->topic_name);
  }
  // The token is bound to the list and the filter: reusing it with others is refused.
  std::string scope = partition_scope("ListContacts", ctx) + "|" + list.contact_list_name + "|" +
                      std::string(filter.filtered_status ? to_string(*filter.filtered_status) : "");
  if (filter.topic_filter) {
    scope += "|" + filter.topic_filter->topic_name + "|" +
             (filter.topic_filter->use_default_if_preference_unavailable ? "1" : "0");
  }
  auto fetch = [&](const std::optional<std::string>& after, int limit) {
    return store_.contacts(ctx.partition, list.contact_list_name, after.value_or(""), limit,
                           [&](const Contact& c) { return contact_matches(filter, list, c); });
  };
  auto page = pager_.page(scope, PageRules::kContacts, r.paging, fetch,
                          [](const Contact& c) { return c.email_address; });
  ListContactsResult result;
  result.next_token = std::move(page.next_token);
  for (auto& c : page.rows)
    result.rows.push_back(view_of(list, std::move(c)));
  return result;
}

}  // namespace sesv2mock
