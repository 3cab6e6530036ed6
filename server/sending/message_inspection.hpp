#pragma once
// The captured messages as the inspection endpoints (/_aws/ses, /_mock/messages, the web
// inspector) read and clear them: a thin view over the message store, so the API layer
// does not see storage.
#include <optional>
#include <string>
#include <vector>

#include "server/core/captured_message.hpp"

namespace sesv2mock::storage {
class MessageStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

class MessageInspection {
 public:
  explicit MessageInspection(storage::MessageStore& messages) : messages_(messages) {}

  std::optional<StoredMessage> find(const std::string& message_id) const;
  // Oldest first (send order).
  std::vector<StoredMessage> list(const MessageQuery& q) const;
  // False when there is no such message.
  bool erase(const std::string& message_id);
  // Every message of every account and region.
  void erase_all();

  // Records an engagement or delay event for one recipient (POST /_mock/messages/{id}/events):
  // `type` is OPEN, CLICK, DELIVERY_DELAY or TRANSIENT_BOUNCE (stored as a BOUNCE of type
  // TRANSIENT, sub-type General). The recipient's fate does not change. NotFoundException
  // for an unknown message or a destination that is not one of its recipients,
  // BadRequestException for another type.
  void add_event(const std::string& message_id, const std::string& destination,
                 const std::string& type, double timestamp);

 private:
  storage::MessageStore& messages_;
};

}  // namespace sesv2mock
