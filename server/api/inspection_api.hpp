#pragma once
// Captured mail: LocalStack's /_aws/ses (GET lists, DELETE clears), the mock's own
// /_mock/messages views, and the unsubscribe links of list management.
#include "server/api/api.hpp"
#include "server/core/captured_message.hpp"
#include "server/core/paging.hpp"
#include "server/sending/message_inspection.hpp"
#include "server/sending/unsubscribe_links.hpp"

namespace sesv2mock::api {

struct InspectionLimits {
  static constexpr PageRule kMessages{100, 1000};
  static constexpr int kAwsSesMaxMessages = 1'000'000;  // /_aws/ses is not paged (LocalStack)
};

class InspectionApi {
 public:
  InspectionApi(MessageInspection& messages, const Pager& pager, UnsubscribeLinks& links)
      : messages_(messages), pager_(pager), links_(links) {}
  RouteTable routes();

 private:
  ApiResponse aws_ses_list(const ApiRequest& r);
  ApiResponse aws_ses_delete(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse raw(const ApiRequest& r);
  ApiResponse add_event(const ApiRequest& r);
  ApiResponse unsubscribe_page(const ApiRequest& r);
  ApiResponse unsubscribe(const ApiRequest& r);

  StoredMessage find_or_throw(const std::string& id);
  UnsubscribeTarget target_or_throw(const ApiRequest& r);

  MessageInspection& messages_;
  const Pager& pager_;
  UnsubscribeLinks& links_;
};

// "2023-09-11T08:37:13" (LocalStack's TIMESTAMP_FORMAT: UTC, no fraction, no zone).
std::string localstack_timestamp(double epoch_seconds);

}  // namespace sesv2mock::api
