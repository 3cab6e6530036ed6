// Routes of the contact-list and contact operations (SPEC §2). Handlers only move values
// between HTTP and the typed operations; errors travel as ApiError to the router.
#include "server/http/router.hpp"
#include "server/contacts/contact_service.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::http {

namespace json = boost::json;

namespace {

const std::string kList = "ContactListName";
const std::string kEmail = "EmailAddress";

HttpResponse empty_response() {
  return json_response(json::object{});
}

HttpResponse handle_create_contact_list(Call& c) {
  create_contact_list(c.services, c.context,
                      parse_create_contact_list(parse_json_body(c.request.body)));
  return empty_response();
}

HttpResponse handle_get_contact_list(Call& c) {
  return json_response(
      contact_list_to_json(get_contact_list(c.services, c.context, c.label(kList))));
}

HttpResponse handle_update_contact_list(Call& c) {
  auto request = parse_update_contact_list(parse_json_body(c.request.body));
  request.contact_list_name = c.label(kList);
  update_contact_list(c.services, c.context, request);
  return empty_response();
}

HttpResponse handle_delete_contact_list(Call& c) {
  delete_contact_list(c.services, c.context, c.label(kList));
  return empty_response();
}

HttpResponse handle_list_contact_lists(Call& c) {
  auto result = list_contact_lists(c.services, c.context, parse_list_contact_lists(c.query));
  return json_response(list_contact_lists_to_json(result));
}

HttpResponse handle_create_contact(Call& c) {
  auto request = parse_create_contact(parse_json_body(c.request.body));
  request.contact_list_name = c.label(kList);
  create_contact(c.services, c.context, request);
  return empty_response();
}

HttpResponse handle_get_contact(Call& c) {
  auto view = get_contact(c.services, c.context, c.label(kList), c.label(kEmail));
  return json_response(contact_to_json(view));
}

HttpResponse handle_update_contact(Call& c) {
  auto request = parse_update_contact(parse_json_body(c.request.body));
  request.contact_list_name = c.label(kList);
  request.email_address = c.label(kEmail);
  update_contact(c.services, c.context, request);
  return empty_response();
}

HttpResponse handle_delete_contact(Call& c) {
  delete_contact(c.services, c.context, c.label(kList), c.label(kEmail));
  return empty_response();
}

HttpResponse handle_list_contacts(Call& c) {
  auto request = parse_list_contacts(parse_json_body(c.request.body));
  request.contact_list_name = c.label(kList);
  apply_paging_query(c.query, request.page_size, request.next_token);
  return json_response(list_contacts_to_json(list_contacts(c.services, c.context, request)));
}

}  // namespace

void register_contact_routes(Router& r) {
  const std::string lists = "/v2/email/contact-lists";
  const std::string list = lists + "/{ContactListName}";
  const std::string contacts = list + "/contacts";
  const std::string contact = contacts + "/{EmailAddress}";

  r.add("POST", lists, "CreateContactList", handle_create_contact_list);
  r.add("GET", lists, "ListContactLists", handle_list_contact_lists);
  r.add("GET", list, "GetContactList", handle_get_contact_list);
  r.add("PUT", list, "UpdateContactList", handle_update_contact_list);
  r.add("DELETE", list, "DeleteContactList", handle_delete_contact_list);

  // The literal ".../contacts/list" before the {EmailAddress} template (only POST uses it,
  // so GetContact of an address spelled "list" still works).
  r.add("POST", contacts + "/list", "ListContacts", handle_list_contacts);
  r.add("GET", contacts, "ListContacts", handle_list_contacts);  // older SDKs: GET with a body
  r.add("POST", contacts, "CreateContact", handle_create_contact);
  r.add("GET", contact, "GetContact", handle_get_contact);
  r.add("PUT", contact, "UpdateContact", handle_update_contact);
  r.add("DELETE", contact, "DeleteContact", handle_delete_contact);
}

}  // namespace sesv2mock::http
