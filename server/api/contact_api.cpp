// Handlers only move values between the wire and the typed operations; errors travel as
// ApiError to the router.
#include "server/api/contact_api.hpp"

#include "server/api/contact_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace {
const std::string kList = "ContactListName";
const std::string kEmail = "EmailAddress";
}  // namespace

ApiResponse ContactApi::create_list(const ApiRequest& r) {
  contacts_.create_list(r.context, parse_create_contact_list(parse_json_body(r.body)));
  return empty_response();
}

ApiResponse ContactApi::get_list(const ApiRequest& r) {
  return json_response(contact_list_to_json(contacts_.get_list(r.context, r.label(kList))));
}

ApiResponse ContactApi::update_list(const ApiRequest& r) {
  auto request = parse_update_contact_list(parse_json_body(r.body));
  request.contact_list_name = r.label(kList);
  contacts_.update_list(r.context, request);
  return empty_response();
}

ApiResponse ContactApi::delete_list(const ApiRequest& r) {
  contacts_.delete_list(r.context, r.label(kList));
  return empty_response();
}

ApiResponse ContactApi::list_lists(const ApiRequest& r) {
  auto result = contacts_.list_lists(r.context, parse_list_contact_lists(r.query));
  return json_response(list_contact_lists_to_json(result));
}

ApiResponse ContactApi::create_contact(const ApiRequest& r) {
  auto request = parse_create_contact(parse_json_body(r.body));
  request.contact_list_name = r.label(kList);
  contacts_.create_contact(r.context, request);
  return empty_response();
}

ApiResponse ContactApi::get_contact(const ApiRequest& r) {
  auto view = contacts_.get_contact(r.context, r.label(kList), r.label(kEmail));
  return json_response(contact_to_json(view));
}

ApiResponse ContactApi::update_contact(const ApiRequest& r) {
  auto request = parse_update_contact(parse_json_body(r.body));
  request.contact_list_name = r.label(kList);
  request.email_address = r.label(kEmail);
  contacts_.update_contact(r.context, request);
  return empty_response();
}

ApiResponse ContactApi::delete_contact(const ApiRequest& r) {
  contacts_.delete_contact(r.context, r.label(kList), r.label(kEmail));
  return empty_response();
}

ApiResponse ContactApi::list_contacts(const ApiRequest& r) {
  auto request = parse_list_contacts(parse_json_body(r.body));
  request.contact_list_name = r.label(kList);
  apply_paging_query(r.query, request.paging.page_size, request.paging.next_token);
  return json_response(list_contacts_to_json(contacts_.list_contacts(r.context, request)));
}

RouteTable ContactApi::routes() {
  const std::string lists = "/v2/email/contact-lists";
  const std::string list = lists + "/{ContactListName}";
  const std::string contacts = list + "/contacts";
  const std::string contact = contacts + "/{EmailAddress}";
  auto bind = [this](auto method) { return bind_handler(this, method); };
  return {
      {"POST", lists, "CreateContactList", bind(&ContactApi::create_list)},
      {"GET", lists, "ListContactLists", bind(&ContactApi::list_lists)},
      {"GET", list, "GetContactList", bind(&ContactApi::get_list)},
      {"PUT", list, "UpdateContactList", bind(&ContactApi::update_list)},
      {"DELETE", list, "DeleteContactList", bind(&ContactApi::delete_list)},
      // The literal ".../contacts/list" before the {EmailAddress} template (only POST uses
      // it, so GetContact of an address spelled "list" still works).
      {"POST", contacts + "/list", "ListContacts", bind(&ContactApi::list_contacts)},
      // Older SDKs: GET with a body.
      {"GET", contacts, "ListContacts", bind(&ContactApi::list_contacts)},
      {"POST", contacts, "CreateContact", bind(&ContactApi::create_contact)},
      {"GET", contact, "GetContact", bind(&ContactApi::get_contact)},
      {"PUT", contact, "UpdateContact", bind(&ContactApi::update_contact)},
      {"DELETE", contact, "DeleteContact", bind(&ContactApi::delete_contact)},
  };
}

}  // namespace sesv2mock::api
