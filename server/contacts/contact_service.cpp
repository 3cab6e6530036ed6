// The contact-list and contact operations. Their JSON codec is in contact_codec.cpp.
#include "server/contacts/contact_service.hpp"

#include <set>

#include "server/contacts/contact_records.hpp"
#include "server/core/email_address.hpp"
#include "server/core/errors.hpp"

namespace sesv2mock {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// List and topic names: 1-64 letters, digits, '_' and '-'.
void check_name(const std::string& field, const std::string& name) {
  bool ok = !name.empty() && name.size() <= ContactLimits::kMaxNameLength;
  for (char c : name)
    ok = ok && is_name_char(c);
  if (!ok) {
    throw ApiError::validation(field,
                               "Member must satisfy regular expression pattern: "
                               "^[a-zA-Z0-9_-]{1,64}$");
  }
}

void check_topics(const std::vector<Topic>& topics) {
  if (topics.size() > ContactLimits::kMaxTopicsPerList) {
    throw ApiError::validation("topics", "Member must have length less than or equal to " +
                                             std::to_string(ContactLimits::kMaxTopicsPerList));
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    check_name("topics." + std::to_string(i + 1) + ".member.topicName", topics[i].topic_name);
    if (!seen.insert(topics[i].topic_name).second) {
      throw ApiError::bad_request("The topic " + topics[i].topic_name +
                                  " appears more than once in Topics.");
    }
  }
}

std::string address_or_throw(const std::string& raw) {
  std::string why;
  auto email = normalize_email_address(raw, &why);
  if (!email)
    throw ApiError::bad_request("Invalid EmailAddress: " + why);
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
  if (auto error = attributes_data_error(*attributes)) {
    throw ApiError::bad_request("AttributesData must be a JSON object; " + *error);
  }
}

void check_preferences(const std::vector<TopicPreference>& prefs) {
  std::set<std::string> seen;
  for (const auto& p : prefs) {
    if (!seen.insert(p.topic_name).second) {
      throw ApiError::bad_request("The topic " + p.topic_name +
                                  " appears more than once in TopicPreferences.");
    }
  }
}

// Runs inside the write transaction, against the list as stored.
void check_preferences_against(const ContactList& list, const std::vector<TopicPreference>& prefs) {
  for (const auto& p : prefs) {
    if (!find_topic(list, p.topic_name)) {
      throw ApiError::bad_request("The contact list " + list.contact_list_name + " has no topic " +
                                  p.topic_name + ".");
    }
  }
}

[[noreturn]] void list_not_found(const std::string& name) {
  throw ApiError::not_found("ContactList " + name + " doesn't exist");
}

[[noreturn]] void contact_not_found(const std::string& list, const std::string& email) {
  throw ApiError::not_found("Contact " + email + " doesn't exist in ContactList " + list);
}

ContactList list_or_throw(Services& s, const RequestContext& ctx, const std::string& name) {
  auto list = s.contacts.find_list(ctx.partition, name);
  if (!list)
    list_not_found(name);
  return std::move(*list);
}

ContactView view_of(const ContactList& list, Contact contact) {
  ContactView view;
  view.contact_list_name = list.contact_list_name;
  view.topic_default_preferences = topic_default_preferences(list, contact);
  contact.topic_preferences = current_topic_preferences(list, contact);
  view.contact = std::move(contact);
  return view;
}

int page_size_or_throw(const std::optional<std::int64_t>& requested) {
  std::int64_t n = requested.value_or(ContactLimits::kDefaultPageSize);
  if (n < Limits::kMinPageSize || n > ContactLimits::kMaxPageSize) {
    throw ApiError::validation("pageSize", "Member must be between " +
                                               std::to_string(Limits::kMinPageSize) + " and " +
                                               std::to_string(ContactLimits::kMaxPageSize));
  }
  return static_cast<int>(n);
}

std::string decode_token(Services& s, const std::string& scope,
                         const std::optional<std::string>& token) {
  if (!token)
    return {};
  auto position = s.tokens.decode(scope, *token);
  if (!position)
    throw ApiError::bad_request("The NextToken is not valid for this listing.");
  return *position;
}

std::string partition_scope(const char* operation, const RequestContext& ctx) {
  return std::string(operation) + "|" + ctx.partition.account + "|" + ctx.partition.region;
}

}  // namespace

void create_contact_list(Services& s, const RequestContext& ctx,
                         const CreateContactListRequest& r) {
  check_name("contactListName", r.list.contact_list_name);
  check_topics(r.list.topics);
  ContactList list = r.list;
  list.created_timestamp = list.last_updated_timestamp = now_epoch_seconds();
  const std::int64_t max_lists = s.settings.max_contact_lists;
  switch (s.contacts.create_list(ctx.partition, list, max_lists)) {
    case storage::ListCreateOutcome::Created:
      return;
    case storage::ListCreateOutcome::AlreadyExists:
      throw ApiError::already_exists("ContactList " + list.contact_list_name + " already exists");
    case storage::ListCreateOutcome::LimitReached:
      throw ApiError::limit_exceeded("You have reached the limit of " + std::to_string(max_lists) +
                                     " contact list" + (max_lists == 1 ? "" : "s") +
                                     " per account and region.");
  }
}

ContactList get_contact_list(Services& s, const RequestContext& ctx, const std::string& name) {
  return list_or_throw(s, ctx, name);
}

void update_contact_list(Services& s, const RequestContext& ctx,
                         const UpdateContactListRequest& r) {
  check_topics(r.topics);
  if (!s.contacts.update_list(ctx.partition, r.contact_list_name, r.topics, r.description,
                              now_epoch_seconds())) {
    list_not_found(r.contact_list_name);
  }
}

void delete_contact_list(Services& s, const RequestContext& ctx, const std::string& name) {
  if (!s.contacts.erase_list(ctx.partition, name))
    list_not_found(name);
}

ListContactListsResult list_contact_lists(Services& s, const RequestContext& ctx,
                                          const ListContactListsRequest& r) {
  const int page_size = page_size_or_throw(r.page_size);
  const std::string scope = partition_scope("ListContactLists", ctx);
  ListContactListsResult result;
  result.lists =
      s.contacts.lists(ctx.partition, decode_token(s, scope, r.next_token), page_size + 1);
  if (static_cast<int>(result.lists.size()) > page_size) {
    result.lists.resize(page_size);
    result.next_token = s.tokens.encode(scope, result.lists.back().contact_list_name);
  }
  return result;
}

void create_contact(Services& s, const RequestContext& ctx, const CreateContactRequest& r) {
  Contact contact;
  contact.email_address = address_or_throw(r.email_address);
  contact.topic_preferences = r.topic_preferences;
  contact.unsubscribe_all = r.unsubscribe_all;
  contact.attributes_data = r.attributes_data;
  contact.created_timestamp = contact.last_updated_timestamp = now_epoch_seconds();
  check_attributes(contact.attributes_data);
  check_preferences(contact.topic_preferences);
  auto outcome = s.contacts.create_contact(ctx.partition, r.contact_list_name, contact,
                                           [](const ContactList& list, Contact& c) {
                                             check_preferences_against(list, c.topic_preferences);
                                           });
  if (outcome == storage::ContactWriteOutcome::ListMissing)
    list_not_found(r.contact_list_name);
  if (outcome == storage::ContactWriteOutcome::ContactExists) {
    throw ApiError::already_exists("Contact " + contact.email_address +
                                   " already exists in ContactList " + r.contact_list_name);
  }
}

ContactView get_contact(Services& s, const RequestContext& ctx, const std::string& list_name,
                        const std::string& email_address) {
  ContactList list = list_or_throw(s, ctx, list_name);
  auto contact = s.contacts.find_contact(ctx.partition, list_name, lookup_address(email_address));
  if (!contact)
    contact_not_found(list_name, email_address);
  return view_of(list, std::move(*contact));
}

void update_contact(Services& s, const RequestContext& ctx, const UpdateContactRequest& r) {
  check_attributes(r.attributes_data);
  if (r.topic_preferences)
    check_preferences(*r.topic_preferences);
  const double now = now_epoch_seconds();
  auto outcome =
      s.contacts.update_contact(ctx.partition, r.contact_list_name, lookup_address(r.email_address),
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
  if (outcome == storage::ContactWriteOutcome::ListMissing)
    list_not_found(r.contact_list_name);
  if (outcome == storage::ContactWriteOutcome::ContactMissing) {
    contact_not_found(r.contact_list_name, r.email_address);
  }
}

void delete_contact(Services& s, const RequestContext& ctx, const std::string& list_name,
                    const std::string& email_address) {
  if (s.contacts.erase_contact(ctx.partition, list_name, lookup_address(email_address)))
    return;
  if (!s.contacts.exists(ctx.partition, list_name))
    list_not_found(list_name);
  contact_not_found(list_name, email_address);
}

ListContactsResult list_contacts(Services& s, const RequestContext& ctx,
                                 const ListContactsRequest& r) {
  const int page_size = page_size_or_throw(r.page_size);
  ContactList list = list_or_throw(s, ctx, r.contact_list_name);
  const ContactFilter& filter = r.filter;
  if (filter.topic_filter && !find_topic(list, filter.topic_filter->topic_name)) {
    throw ApiError::bad_request("The contact list " + list.contact_list_name + " has no topic " +
                                filter.topic_filter->topic_name + ".");
  }
  // The token is bound to the list and the filter: reusing it with others is refused.
  std::string scope = partition_scope("ListContacts", ctx) + "|" + list.contact_list_name + "|" +
                      std::string(filter.filtered_status ? to_string(*filter.filtered_status) : "");
  if (filter.topic_filter) {
    scope += "|" + filter.topic_filter->topic_name + "|" +
             (filter.topic_filter->use_default_if_preference_unavailable ? "1" : "0");
  }
  auto contacts = s.contacts.contacts(
      ctx.partition, list.contact_list_name, decode_token(s, scope, r.next_token), page_size + 1,
      [&](const Contact& c) { return contact_matches(filter, list, c); });
  ListContactsResult result;
  if (static_cast<int>(contacts.size()) > page_size) {
    contacts.resize(page_size);
    result.next_token = s.tokens.encode(scope, contacts.back().email_address);
  }
  for (auto& c : contacts)
    result.contacts.push_back(view_of(list, std::move(c)));
  return result;
}

}  // namespace sesv2mock
