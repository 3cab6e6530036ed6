#pragma once
// Routes of the account operations (GetAccount, PutAccountSuppressionAttributes,
// PutAccountSendingAttributes).
#include "server/api/api.hpp"
#include "server/sending/account_service.hpp"

namespace sesv2mock::api {

class AccountApi {
 public:
  explicit AccountApi(AccountService& account) : account_(account) {}
  RouteTable routes();

 private:
  ApiResponse get(const ApiRequest& r);
  ApiResponse put_suppression(const ApiRequest& r);
  ApiResponse put_sending(const ApiRequest& r);

  AccountService& account_;
};

}  // namespace sesv2mock::api
