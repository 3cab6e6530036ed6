#pragma once
// Routes of SendEmail, SendBulkEmail and GetMessageInsights.
#include "server/api/api.hpp"
#include "server/sending/send_service.hpp"

namespace sesv2mock::api {

class SendApi {
 public:
  explicit SendApi(SendService& sending) : sending_(sending) {}
  RouteTable routes();

 private:
  ApiResponse send_email(const ApiRequest& r);
  ApiResponse send_bulk_email(const ApiRequest& r);
  ApiResponse insights(const ApiRequest& r);

  SendService& sending_;
};

}  // namespace sesv2mock::api
