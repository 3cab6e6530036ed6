#pragma once
// Routes of the configuration-set operations.
#include "server/api/api.hpp"
#include "server/sending/configuration_set_service.hpp"

namespace sesv2mock::api {

class ConfigurationSetApi {
 public:
  explicit ConfigurationSetApi(ConfigurationSetService& sets) : sets_(sets) {}
  RouteTable routes();

 private:
  ApiResponse create(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);
  ApiResponse erase(const ApiRequest& r);
  ApiResponse put_suppression(const ApiRequest& r);
  ApiResponse put_sending(const ApiRequest& r);

  ConfigurationSetService& sets_;
};

}  // namespace sesv2mock::api
