#pragma once
// Routes of the suppression-list operations (SPEC §3).
#include "server/api/api.hpp"
#include "server/suppression/suppression_service.hpp"

namespace sesv2mock::api {

class SuppressionApi {
 public:
  explicit SuppressionApi(SuppressionService& suppression) : suppression_(suppression) {}
  RouteTable routes();

 private:
  ApiResponse put(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse erase(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);

  SuppressionService& suppression_;
};

}  // namespace sesv2mock::api
