#pragma once
// Every accepted message, durably: its raw MIME (as sent, or as built for Simple and
// Template sends), what the send asked for, and per recipient its fate and events. One
// transaction per message; the inspection endpoints, GetMessageInsights and GetAccount's
// SentLast24Hours read it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/core/captured_message.hpp"
#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

// The value types live in server/core/captured_message.hpp (the API layer reads them).
namespace event_type = ::sesv2mock::event_type;
namespace fate = ::sesv2mock::fate;
using ::sesv2mock::MessageEvent;
using ::sesv2mock::MessageQuery;
using ::sesv2mock::StoredMessage;
using ::sesv2mock::StoredRecipient;

class MessageStore {
 public:
  explicit MessageStore(Database& db) : db_(db) {}

  // Writes the message and its recipients in one transaction; returns its seq.
  std::int64_t insert(const StoredMessage& m);
  std::optional<StoredMessage> find(const std::string& message_id);
  // Oldest first (send order).
  std::vector<StoredMessage> list(const MessageQuery& q);
  bool erase(const std::string& message_id);
  void erase_all(const Partition* p);

  // Recipients of the messages accepted since `since_epoch` (SES counts its sending quota
  // per recipient), for GetAccount's SendQuota.SentLast24Hours.
  std::int64_t count_sent_since(const Partition& p, double since_epoch);

  // Export jobs: up to `limit` messages of `p` sent in [start, end), in (created_at, seq)
  // order after the position (after_time, after_seq) — (start, 0) for the first batch — with
  // their recipients but without raw MIME. Keyset paging on the messages_by_time index, so
  // each batch costs the same however far the scan is.
  std::vector<StoredMessage> scan_by_time(const Partition& p, double start, double end,
                                          double after_time, std::int64_t after_seq, int limit);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
