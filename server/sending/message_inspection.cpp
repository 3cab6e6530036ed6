#include "server/sending/message_inspection.hpp"

#include "storage/message_store.hpp"

namespace sesv2mock {

std::optional<StoredMessage> MessageInspection::find(const std::string& message_id) const {
  return messages_.find(message_id);
}

std::vector<StoredMessage> MessageInspection::list(const MessageQuery& q) const {
  return messages_.list(q);
}

bool MessageInspection::erase(const std::string& message_id) {
  return messages_.erase(message_id);
}

void MessageInspection::erase_all() {
  messages_.erase_all(nullptr);
}

}  // namespace sesv2mock
