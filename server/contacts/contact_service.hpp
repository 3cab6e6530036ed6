#pragma once
// Contact lists and contacts (SPEC §2): the ten operations. Their JSON codec is in
// server/api/contact_codec; path labels (ContactListName, EmailAddress) are filled into the
// requests by the API handlers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/contacts/contact_filter.hpp"
#include "server/core/model.hpp"
#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"
#include "server/core/settings.hpp"

namespace sesv2mock::storage {
class ContactStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

// Rules SES applies to names and sizes.
struct ContactLimits {
  static constexpr std::size_t kMaxNameLength = 64;  // list and topic names
  static constexpr std::size_t kMaxTopicsPerList = 20;
  static constexpr std::size_t kMaxDescriptionLength = 500;  // characters
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
  PageRequest paging;
};

using ListContactListsResult = Page<ContactList>;

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
  PageRequest paging;
};

using ListContactsResult = Page<ContactView>;

class ContactService {
 public:
  // Reads max_contact_lists from `settings` on each CreateContactList.
  ContactService(storage::ContactStore& store, const Pager& pager, const Settings& settings)
      : store_(store), pager_(pager), settings_(settings) {}

  void create_list(const RequestContext& ctx, const CreateContactListRequest& r);
  ContactList get_list(const RequestContext& ctx, const std::string& name) const;
  void update_list(const RequestContext& ctx, const UpdateContactListRequest& r);
  void delete_list(const RequestContext& ctx, const std::string& name);
  ListContactListsResult list_lists(const RequestContext& ctx,
                                    const ListContactListsRequest& r) const;

  void create_contact(const RequestContext& ctx, const CreateContactRequest& r);
  ContactView get_contact(const RequestContext& ctx, const std::string& list_name,
                          const std::string& email_address) const;
  void update_contact(const RequestContext& ctx, const UpdateContactRequest& r);
  void delete_contact(const RequestContext& ctx, const std::string& list_name,
                      const std::string& email_address);
  ListContactsResult list_contacts(const RequestContext& ctx, const ListContactsRequest& r) const;

 private:
  ContactList list_or_throw(const RequestContext& ctx, const std::string& name) const;

  storage::ContactStore& store_;
  const Pager& pager_;
  const Settings& settings_;
};

}  // namespace sesv2mock
