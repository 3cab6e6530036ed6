#pragma once
// Contact lists and contacts (SPEC §2): the ten operations and their JSON codec.
// Path labels (ContactListName, EmailAddress) are filled into the requests by the routes.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/contacts/contact_filter.hpp"
#include "server/core/model.hpp"
#include "server/control/services.hpp"
#include "server/suppression/suppression_service.hpp"  // QueryParams

namespace sesv2mock {

// Rules SES applies to names and sizes.
struct ContactLimits {
  static constexpr std::size_t kMaxNameLength = 64;  // list and topic names
  static constexpr std::size_t kMaxTopicsPerList = 20;
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;
};

struct CreateContactListRequest {
  ContactList list;  // name, topics, description, tags
};

struct UpdateContactListRequest {
  std::string contact_list_name;
  std::vector<Topic> topics;
  std::optional<std::string> description;
};

struct ListContactListsRequest {
  std::optional<std::int64_t> page_size;
  std::optional<std::string> next_token;
};

struct ListContactListsResult {
  std::vector<ContactList> lists;
  std::optional<std::string> next_token;
};

struct CreateContactRequest {
  std::string contact_list_name;
  std::string email_address;
  std::vector<TopicPreference> topic_preferences;
  bool unsubscribe_all = false;
  std::optional<std::string> attributes_data;
};

// Members left out keep their stored value; TopicPreferences, when given, replaces all of
// the contact's preferences (as the SES API reference warns).
struct UpdateContactRequest {
  std::string contact_list_name;
  std::string email_address;
  std::optional<std::vector<TopicPreference>> topic_preferences;
  std::optional<bool> unsubscribe_all;
  std::optional<std::string> attributes_data;
};

// A contact as GetContact and ListContacts report it.
struct ContactView {
  std::string contact_list_name;
  Contact contact;  // topic_preferences: only topics the list has
  std::vector<TopicPreference> topic_default_preferences;
};

struct ListContactsRequest {
  std::string contact_list_name;
  ContactFilter filter;
  std::optional<std::int64_t> page_size;
  std::optional<std::string> next_token;
};

struct ListContactsResult {
  std::vector<ContactView> contacts;
  std::optional<std::string> next_token;
};

// Operations.
void create_contact_list(Services& s, const RequestContext& ctx, const CreateContactListRequest& r);
ContactList get_contact_list(Services& s, const RequestContext& ctx, const std::string& name);
void update_contact_list(Services& s, const RequestContext& ctx, const UpdateContactListRequest& r);
void delete_contact_list(Services& s, const RequestContext& ctx, const std::string& name);
ListContactListsResult list_contact_lists(Services& s, const RequestContext& ctx,
                                          const ListContactListsRequest& r);
void create_contact(Services& s, const RequestContext& ctx, const CreateContactRequest& r);
ContactView get_contact(Services& s, const RequestContext& ctx, const std::string& list_name,
                        const std::string& email_address);
void update_contact(Services& s, const RequestContext& ctx, const UpdateContactRequest& r);
void delete_contact(Services& s, const RequestContext& ctx, const std::string& list_name,
                    const std::string& email_address);
ListContactsResult list_contacts(Services& s, const RequestContext& ctx,
                                 const ListContactsRequest& r);

// Codec: request bodies (path labels are set by the caller afterwards) and results.
CreateContactListRequest parse_create_contact_list(const boost::json::object& body);
UpdateContactListRequest parse_update_contact_list(const boost::json::object& body);
ListContactListsRequest parse_list_contact_lists(const QueryParams& query);
CreateContactRequest parse_create_contact(const boost::json::object& body);
UpdateContactRequest parse_update_contact(const boost::json::object& body);
ListContactsRequest parse_list_contacts(const boost::json::object& body);

boost::json::object contact_list_to_json(const ContactList& list);  // GetContactList
boost::json::object list_contact_lists_to_json(const ListContactListsResult& r);
boost::json::object contact_to_json(const ContactView& view);  // GetContact
boost::json::object list_contacts_to_json(const ListContactsResult& r);

}  // namespace sesv2mock
