#pragma once
// Routes of the contact-list and contact operations (SPEC §2).
#include "server/api/api.hpp"
#include "server/contacts/contact_service.hpp"

namespace sesv2mock::api {

class ContactApi {
 public:
  explicit ContactApi(ContactService& contacts) : contacts_(contacts) {}
  RouteTable routes();

 private:
  ApiResponse create_list(const ApiRequest& r);
  ApiResponse get_list(const ApiRequest& r);
  ApiResponse update_list(const ApiRequest& r);
  ApiResponse delete_list(const ApiRequest& r);
  ApiResponse list_lists(const ApiRequest& r);
  ApiResponse create_contact(const ApiRequest& r);
  ApiResponse get_contact(const ApiRequest& r);
  ApiResponse update_contact(const ApiRequest& r);
  ApiResponse delete_contact(const ApiRequest& r);
  ApiResponse list_contacts(const ApiRequest& r);

  ContactService& contacts_;
};

}  // namespace sesv2mock::api
