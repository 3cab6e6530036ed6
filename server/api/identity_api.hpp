#pragma once
// Routes of the email-identity operations, and the control route that sets an identity's
// verification status (POST /_mock/identities/{EmailIdentity}/verification).
#include "server/api/api.hpp"
#include "server/sending/identity_service.hpp"

namespace sesv2mock::api {

class IdentityApi {
 public:
  explicit IdentityApi(IdentityService& identities) : identities_(identities) {}
  RouteTable routes();

 private:
  ApiResponse create(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);
  ApiResponse erase(const ApiRequest& r);
  ApiResponse set_verification(const ApiRequest& r);

  IdentityService& identities_;
};

}  // namespace sesv2mock::api
