#pragma once
// Every accepted message, durably: its raw MIME (as sent, or as built for Simple and
// Template sends), what the send asked for, and per recipient its fate and events. One
// transaction per message; the inspection endpoints, GetMessageInsights and GetAccount's
// SentLast24Hours read it.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/core/captured_message.hpp"
#include "server/core/deferred_writes.hpp"
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

class MessageStore : public DeferredWrites {
 public:
  explicit MessageStore(Database& db) : db_(db) {}
  ~MessageStore() override;
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Writes the message and its recipients in one transaction; returns its seq.
  std::int64_t insert(const StoredMessage& m);
  // The send path's write: insert() at once, or, on a thread that holds writes (group
  // commit, see DeferredWrites), kept until that thread's commit().
  void submit(StoredMessage m);
  void hold_on_this_thread(bool on) override;
  bool pending() const override;
  void commit() override;
  void commit_async(Done done) override;
  void drain() override;
  std::optional<StoredMessage> find(const std::string& message_id);
  // Oldest first (send order).
  std::vector<StoredMessage> list(const MessageQuery& q);
  bool erase(const std::string& message_id);
  void erase_all(const Partition* p);

  // Recipients of the messages accepted since `since_epoch` (SES counts its sending quota
  // per recipient), for GetAccount's SendQuota.SentLast24Hours.
  std::int64_t count_sent_since(const Partition& p, double since_epoch);

  // The messages of `p` created in [start, end) with seq > after_seq, in seq order, at most
  // `limit` of them: with their recipients and events but without raw_mime (batched readers
  // such as VDM metrics and export jobs page through millions of rows with this).
  std::vector<StoredMessage> scan(const Partition& p, double start, double end,
                                  std::int64_t after_seq, int limit);

  // Appends `e` to the events of the first recipient of message `message_id` whose address
  // is `address`, keeping the events in timestamp order (an event at the same time as
  // another goes after it). The recipient's fate does not change.
  enum class AddEventResult { Added, NoMessage, NoRecipient };
  AddEventResult add_event(const std::string& message_id, const std::string& address,
                           const MessageEvent& e);

 private:
  // The committer thread of commit_async (started by its first call).
  struct Handed {
    std::vector<StoredMessage> messages;
    Done done;
  };
  void run_committer();

  Database& db_;
  std::mutex committer_mutex_;
  std::condition_variable committer_wake_;  // work queued, or stopping
  std::condition_variable committer_idle_;  // queue empty and nothing in progress
  std::vector<Handed> queue_;
  bool committing_ = false;
  bool stopping_ = false;
  std::thread committer_;
};

}  // namespace sesv2mock::storage
