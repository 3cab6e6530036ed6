#pragma once
// A captured (accepted) message as the send path builds it and the inspection views read it:
// per recipient its fate and events, and the filters of a listing. Value types only; the
// store that keeps them is storage/message_store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

// Wire names of InsightsEvent.Type (model EventType) the mock produces.
namespace event_type {
inline constexpr const char* kSend = "SEND";
inline constexpr const char* kDelivery = "DELIVERY";
inline constexpr const char* kBounce = "BOUNCE";
inline constexpr const char* kComplaint = "COMPLAINT";
inline constexpr const char* kReject = "REJECT";
inline constexpr const char* kRenderingFailure = "RENDERING_FAILURE";
// Engagement and delay events: recorded through the control API (POST
// /_mock/messages/{id}/events), never by a send.
inline constexpr const char* kOpen = "OPEN";
inline constexpr const char* kClick = "CLICK";
inline constexpr const char* kDeliveryDelay = "DELIVERY_DELAY";
}  // namespace event_type

// What became of one recipient (our own names; /_mock/messages filters on them).
namespace fate {
inline constexpr const char* kDelivered = "DELIVERED";
inline constexpr const char* kSuppressed = "SUPPRESSED";      // account-level suppression list
inline constexpr const char* kUnsubscribed = "UNSUBSCRIBED";  // list management
inline constexpr const char* kBounced = "BOUNCED";            // mailbox simulator
inline constexpr const char* kComplained = "COMPLAINED";      // delivered, then a complaint
inline constexpr const char* kRenderingFailed = "RENDERING_FAILED";
// The sender's mailbox got it: the mailbox simulator's out-of-the-office reply.
inline constexpr const char* kReceived = "RECEIVED";
}  // namespace fate

struct MessageEvent {
  std::string type;  // event_type::*
  double timestamp = 0;
  std::optional<std::string> bounce_type;  // UNDETERMINED | TRANSIENT | PERMANENT
  std::optional<std::string> bounce_sub_type;
  std::optional<std::string> diagnostic_code;
  std::optional<std::string> complaint_sub_type;
  std::optional<std::string> complaint_feedback_type;
};

struct StoredRecipient {
  std::string kind;     // "To", "Cc" or "Bcc"
  std::string address;  // normalised addr-spec
  std::string fate;     // fate::*
  std::vector<MessageEvent> events;
};

struct StoredMessage {
  std::int64_t seq = 0;  // send order (set by insert)
  std::string message_id;
  Partition partition;
  std::string kind;     // "SIMPLE", "RAW", "TEMPLATE" or "AUTO_REPLY" (simulator ooto reply)
  std::string source;   // From as given (may carry a display name)
  std::string subject;  // as sent (rendered for templates)
  std::string raw_mime;
  std::optional<std::string> destination_json;  // the request's Destination, verbatim
  std::optional<std::string> template_name;
  std::optional<std::string> template_data;
  std::optional<std::string> configuration_set;
  std::optional<std::string> list_name;
  std::optional<std::string> topic_name;
  std::vector<Tag> tags;  // EmailTags (Name -> key)
  double created_timestamp = 0;
  std::vector<StoredRecipient> recipients;
};

// Filters of a listing; empty members do not filter.
struct MessageQuery {
  const Partition* partition = nullptr;  // null: every account and region
  std::optional<std::string> message_id;
  std::optional<std::string> source;     // exact
  std::optional<std::string> recipient;  // exact address of any recipient
  std::optional<std::string> subject;    // substring
  std::optional<std::string> fate;       // any recipient with this fate
  std::int64_t after_seq = 0;
  int limit = 100;
  bool with_raw = true;
};

}  // namespace sesv2mock
