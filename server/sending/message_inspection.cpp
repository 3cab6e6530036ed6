#include "server/sending/message_inspection.hpp"

#include "server/core/email_address.hpp"
#include "server/core/errors.hpp"
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

void MessageInspection::add_event(const std::string& message_id, const std::string& destination,
                                  const std::string& type, double timestamp) {
  MessageEvent e;
  e.timestamp = timestamp;
  if (type == event_type::kOpen || type == event_type::kClick ||
      type == event_type::kDeliveryDelay) {
    e.type = type;
  } else if (type == "TRANSIENT_BOUNCE") {
    e.type = event_type::kBounce;
    e.bounce_type = "TRANSIENT";
    e.bounce_sub_type = "General";
  } else {
    throw ApiError::validation(
        "type",
        "Member must satisfy enum value set: [OPEN, CLICK, DELIVERY_DELAY, TRANSIENT_BOUNCE]");
  }
  // Recipients are stored normalised (domain lower-case).
  const std::string address = normalize_email_address(destination).value_or(destination);
  switch (messages_.add_event(message_id, address, e)) {
    case storage::MessageStore::AddEventResult::Added:
      return;
    case storage::MessageStore::AddEventResult::NoMessage:
      throw ApiError::not_found("Message " + message_id + " does not exist.");
    case storage::MessageStore::AddEventResult::NoRecipient:
      throw ApiError::not_found("Message " + message_id + " has no recipient " + destination + ".");
  }
}

}  // namespace sesv2mock
