#pragma once
// JSON <-> typed shapes of the contact-list and contact operations (member names as in the
// sesv2 service model). Path labels are set on the requests by the handlers afterwards.
#include <boost/json/object.hpp>

#include "server/contacts/contact_service.hpp"
#include "server/core/request_context.hpp"

namespace sesv2mock {

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
