#include "storage/message_store.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "storage/template_store.hpp"

namespace sesv2mock::storage {

namespace json = boost::json;

namespace {

void put_optional(json::object& o, const char* key, const std::optional<std::string>& v) {
  if (v)
    o[key] = *v;
}

std::optional<std::string> get_optional(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string())
    return std::nullopt;
  return std::string(it->value().as_string());
}

std::string events_to_json(const std::vector<MessageEvent>& events) {
  json::array a;
  for (const auto& e : events) {
    json::object o{{"t", e.type}, {"ts", e.timestamp}};
    put_optional(o, "bt", e.bounce_type);
    put_optional(o, "bst", e.bounce_sub_type);
    put_optional(o, "dc", e.diagnostic_code);
    put_optional(o, "cst", e.complaint_sub_type);
    put_optional(o, "cft", e.complaint_feedback_type);
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

std::vector<MessageEvent> events_from_json(const std::string& text) {
  std::vector<MessageEvent> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array())
    return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object())
      continue;
    const auto& o = item.as_object();
    MessageEvent e;
    e.type = get_optional(o, "t").value_or("");
    if (auto it = o.find("ts"); it != o.end() && it->value().is_number())
      e.timestamp = it->value().to_number<double>();
    e.bounce_type = get_optional(o, "bt");
    e.bounce_sub_type = get_optional(o, "bst");
    e.diagnostic_code = get_optional(o, "dc");
    e.complaint_sub_type = get_optional(o, "cst");
    e.complaint_feedback_type = get_optional(o, "cft");
    out.push_back(std::move(e));
  }
  return out;
}

// A recipient's key is message_seq * RECIPIENT_SLOTS + position: an integer key, so a group
// commit appends its recipients to the table's last page. Keyed (message_seq, position)
// WITHOUT ROWID, every page split rebalanced its neighbours: 5 of a commit's ~14 WAL pages
// were recipients' (migration 11).
#define RECIPIENT_SLOTS "1024"
constexpr std::size_t kRecipientSlots = 1024;  // more than any message can have (50)
#define RECIPIENTS_OF_M                                                                         \
  "r.id BETWEEN m.seq * " RECIPIENT_SLOTS " AND m.seq * " RECIPIENT_SLOTS " + " RECIPIENT_SLOTS \
  " - 1"

#define MESSAGE_COLUMNS                                                                 \
  "seq, message_id, account, region, kind, source, subject, destination_json, "         \
  "template_name, template_data, configuration_set, list_name, topic_name, tags_json, " \
  "created_at"

StoredMessage read_message(const Statement& s) {
  StoredMessage m;
  m.seq = s.column_int64(0);
  m.message_id = s.column_text(1);
  m.partition = {s.column_text(2), s.column_text(3)};
  m.kind = s.column_text(4);
  m.source = s.column_text(5);
  m.subject = s.column_text(6);
  m.destination_json = s.column_optional_text(7);
  m.template_name = s.column_optional_text(8);
  m.template_data = s.column_optional_text(9);
  m.configuration_set = s.column_optional_text(10);
  m.list_name = s.column_optional_text(11);
  m.topic_name = s.column_optional_text(12);
  m.tags = tags_from_json_text(s.column_text(13));
  m.created_timestamp = s.column_double(14);
  return m;
}

template <typename Conn>
void load_details(Conn& conn, StoredMessage& m, bool with_raw) {
  {
    auto q = conn.query(
        "SELECT kind, address, fate, events_json FROM message_recipients WHERE id BETWEEN "
        "?1 * " RECIPIENT_SLOTS " AND ?1 * " RECIPIENT_SLOTS " + " RECIPIENT_SLOTS
        " - 1 ORDER BY id");
    q->bind(1, m.seq);
    while (q->step()) {
      m.recipients.push_back({q->column_text(0), q->column_text(1), q->column_text(2),
                              events_from_json(q->column_text(3))});
    }
  }
  if (with_raw) {
    auto q = conn.query("SELECT raw_mime FROM messages WHERE seq = ?1");
    q->bind(1, m.seq);
    if (q->step())
      m.raw_mime = q->column_text(0);
  }
}

// One message and its recipients inside `tx`; returns its seq.
std::int64_t write_message(WriteTransaction& tx, const StoredMessage& m) {
  {
    auto q = tx.query(
        "INSERT INTO messages (message_id, account, region, kind, source, subject, raw_mime, "
        "destination_json, template_name, template_data, configuration_set, list_name, "
        "topic_name, tags_json, recipient_count, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    q->bind(1, m.message_id).bind(2, m.partition.account).bind(3, m.partition.region);
    q->bind(4, m.kind).bind(5, m.source).bind(6, m.subject).bind(7, m.raw_mime);
    q->bind(8, m.destination_json).bind(9, m.template_name).bind(10, m.template_data);
    q->bind(11, m.configuration_set).bind(12, m.list_name).bind(13, m.topic_name);
    q->bind(14, tags_json_text(m.tags)).bind(15, static_cast<std::int64_t>(m.recipients.size()));
    q->bind(16, m.created_timestamp);
    q->run();
  }
  const std::int64_t seq = tx.last_insert_rowid();
  if (m.recipients.size() > kRecipientSlots)
    throw StorageError("A message has more than " + std::to_string(kRecipientSlots) +
                       " recipients.");
  std::int64_t position = 0;
  for (const auto& r : m.recipients) {
    auto q = tx.query(
        "INSERT INTO message_recipients (id, message_seq, position, kind, address, fate, "
        "events_json) VALUES (?1 * " RECIPIENT_SLOTS " + ?2, ?1, ?2, ?3, ?4, ?5, ?6)");
    q->bind(1, seq).bind(2, position++).bind(3, r.kind).bind(4, r.address).bind(5, r.fate);
    q->bind(6, events_to_json(r.events));
    q->run();
  }
  return seq;
}

// The messages a thread holds for its next commit (group commit); `store` is the store the
// thread holds for, null when it does not hold.
struct HeldMessages {
  const MessageStore* store = nullptr;
  std::vector<StoredMessage> messages;
};
thread_local HeldMessages held;

}  // namespace

std::int64_t MessageStore::insert(const StoredMessage& m) {
  WriteTransaction tx(db_);
  const std::int64_t seq = write_message(tx, m);
  tx.commit_keeping_generation();
  return seq;
}

void MessageStore::submit(StoredMessage m) {
  if (held.store != this) {
    insert(m);
    return;
  }
  held.messages.push_back(std::move(m));
}

void MessageStore::hold_on_this_thread(bool on) {
  if (!on && held.store == this && !held.messages.empty())
    commit();
  held.store = on ? this : nullptr;
}

bool MessageStore::pending() const {
  return held.store == this && !held.messages.empty();
}

void MessageStore::commit() {
  if (held.store != this || held.messages.empty())
    return;
  // Dropped whatever happens (a failed batch is answered with errors, never retried); the
  // vector keeps its capacity for the next batch.
  struct Drop {
    std::vector<StoredMessage>& messages;
    ~Drop() { messages.clear(); }
  } drop{held.messages};
  WriteTransaction tx(db_);
  for (const auto& m : held.messages)
    write_message(tx, m);
  tx.commit_keeping_generation();
}

void MessageStore::commit_async(Done done) {
  if (held.store != this || held.messages.empty()) {
    done(nullptr);
    return;
  }
  std::vector<StoredMessage> messages;
  messages.swap(held.messages);
  {
    std::lock_guard lock(committer_mutex_);
    if (!committer_.joinable())
      committer_ = std::thread([this] { run_committer(); });
    queue_.push_back({std::move(messages), std::move(done)});
  }
  committer_wake_.notify_one();
}

// Takes everything the I/O threads handed over since the last turn and commits it in one
// transaction: a turn's group grows with the load (it holds what arrived while the previous
// one committed), so each message costs fewer WAL pages and commits the busier it gets.
void MessageStore::run_committer() {
  std::unique_lock lock(committer_mutex_);
  for (;;) {
    committer_wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty())
      return;  // stopping, nothing left
    std::vector<Handed> turn;
    turn.swap(queue_);
    committing_ = true;
    lock.unlock();
    std::optional<std::string> failure;
    try {
      WriteTransaction tx(db_);
      for (const auto& h : turn)
        for (const auto& m : h.messages)
          write_message(tx, m);
      tx.commit_keeping_generation();
    } catch (const std::exception& e) {
      failure = e.what();
    }
    for (auto& h : turn)
      h.done(failure ? &*failure : nullptr);
    lock.lock();
    committing_ = false;
    if (queue_.empty())
      committer_idle_.notify_all();
  }
}

void MessageStore::drain() {
  std::unique_lock lock(committer_mutex_);
  committer_idle_.wait(lock, [this] { return queue_.empty() && !committing_; });
}

MessageStore::~MessageStore() {
  {
    std::lock_guard lock(committer_mutex_);
    stopping_ = true;
  }
  committer_wake_.notify_one();
  if (committer_.joinable())
    committer_.join();  // commits what is still queued first
}

std::optional<StoredMessage> MessageStore::find(const std::string& message_id) {
  ReadConnection r(db_);
  StoredMessage m;
  {
    auto q = r.query("SELECT " MESSAGE_COLUMNS " FROM messages WHERE message_id = ?1");
    q->bind(1, message_id);
    if (!q->step())
      return std::nullopt;
    m = read_message(*q);
  }
  load_details(r, m, true);
  return m;
}

std::vector<StoredMessage> MessageStore::list(const MessageQuery& mq) {
  ReadConnection r(db_);
  std::vector<StoredMessage> out;
  {
    auto q = r.query(
        "SELECT " MESSAGE_COLUMNS
        " FROM messages m WHERE seq > ?1 AND (?2 IS NULL OR (account = ?2 AND region = ?3)) "
        "AND (?4 IS NULL OR message_id = ?4) AND (?5 IS NULL OR source = ?5) "
        "AND (?6 IS NULL OR instr(subject, ?6) > 0) "
        "AND (?7 IS NULL OR EXISTS (SELECT 1 FROM message_recipients r WHERE " RECIPIENTS_OF_M
        " AND r.address = ?7)) "
        "AND (?8 IS NULL OR EXISTS (SELECT 1 FROM message_recipients r WHERE " RECIPIENTS_OF_M
        " AND r.fate = ?8)) ORDER BY seq LIMIT ?9");
    q->bind(1, mq.after_seq);
    if (mq.partition) {
      q->bind(2, mq.partition->account).bind(3, mq.partition->region);
    } else {
      q->bind_null(2).bind_null(3);
    }
    q->bind(4, mq.message_id).bind(5, mq.source).bind(6, mq.subject).bind(7, mq.recipient);
    q->bind(8, mq.fate).bind(9, mq.limit);
    while (q->step())
      out.push_back(read_message(*q));
  }
  for (auto& m : out)
    load_details(r, m, mq.with_raw);
  return out;
}

bool MessageStore::erase(const std::string& message_id) {
  WriteTransaction tx(db_);
  std::int64_t seq = 0;
  {
    auto q = tx.query("SELECT seq FROM messages WHERE message_id = ?1");
    q->bind(1, message_id);
    if (!q->step())
      return false;
    seq = q->column_int64(0);
  }
  {
    auto q = tx.query("DELETE FROM message_recipients WHERE id BETWEEN ?1 * " RECIPIENT_SLOTS
                      " AND ?1 * " RECIPIENT_SLOTS " + " RECIPIENT_SLOTS " - 1");
    q->bind(1, seq);
    q->run();
  }
  auto q = tx.query("DELETE FROM messages WHERE seq = ?1");
  q->bind(1, seq);
  q->run();
  tx.commit();
  return true;
}

void MessageStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    {
      auto q = tx.query(
          "DELETE FROM message_recipients WHERE message_seq IN (SELECT seq FROM messages WHERE "
          "account = ?1 AND region = ?2)");
      q->bind(1, p->account).bind(2, p->region);
      q->run();
    }
    auto q = tx.query("DELETE FROM messages WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM message_recipients");
    tx.exec("DELETE FROM messages");
  }
  tx.commit();
}

// Messages are appended in the order they were accepted: created_at is taken when a send is
// accepted and seq when its group commits, so the last 24 hours are a tail of the seq order.
// A binary search on seq finds where that tail begins (with a margin for sends committed a
// little out of their acceptance order, or a small clock step), then only the tail is read.
// An index on the time (migration 10 dropped it) rewrote ~3 of a group commit's ~17 WAL pages.
std::int64_t MessageStore::count_sent_since(const Partition& p, double since_epoch) {
  constexpr double kOrderMarginSeconds = 60;
  ReadConnection r(db_);
  std::int64_t lo = 0, hi = 0;
  {
    auto q = r.query("SELECT COALESCE(min(seq), 0), COALESCE(max(seq), 0) FROM messages");
    q->step();
    lo = q->column_int64(0);
    hi = q->column_int64(1) + 1;
  }
  // The first seq from which every message (as far as order goes) is new enough.
  auto created_from =
      r.query("SELECT created_at FROM messages WHERE seq >= ?1 ORDER BY seq LIMIT 1");
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    created_from->reset();
    created_from->bind(1, mid);
    if (created_from->step() &&
        created_from->column_double(0) < since_epoch - kOrderMarginSeconds) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  auto q = r.query(
      "SELECT COALESCE(SUM(recipient_count), 0) FROM messages WHERE seq >= ?1 AND account = ?2 "
      "AND region = ?3 AND created_at >= ?4 AND kind <> 'AUTO_REPLY'");  // replies are not sends
  q->bind(1, lo).bind(2, p.account).bind(3, p.region).bind(4, since_epoch);
  q->step();
  return q->column_int64(0);
}

// Messages by seq (the primary key), then the recipients of the whole seq range in one
// query: two statements per batch instead of one per message.
std::vector<StoredMessage> MessageStore::scan(const Partition& p, double start, double end,
                                              std::int64_t after_seq, int limit) {
  ReadConnection r(db_);
  std::vector<StoredMessage> out;
  {
    // "+account" keeps SQLite on the rowid walk from after_seq: with the time index it
    // would sort the whole range again for every batch.
    auto q = r.query("SELECT " MESSAGE_COLUMNS
                     " FROM messages WHERE seq > ?1 AND +account = ?2 AND region = ?3 AND "
                     "created_at >= ?4 AND created_at < ?5 ORDER BY seq LIMIT ?6");
    q->bind(1, after_seq).bind(2, p.account).bind(3, p.region);
    q->bind(4, start).bind(5, end).bind(6, limit);
    while (q->step())
      out.push_back(read_message(*q));
  }
  if (out.empty())
    return out;
  auto q = r.query(
      "SELECT message_seq, kind, address, fate, events_json FROM message_recipients WHERE id "
      "BETWEEN ?1 * " RECIPIENT_SLOTS " AND ?2 * " RECIPIENT_SLOTS " + " RECIPIENT_SLOTS
      " - 1 ORDER BY id");
  q->bind(1, out.front().seq).bind(2, out.back().seq);
  std::size_t i = 0;
  while (q->step()) {
    const std::int64_t seq = q->column_int64(0);
    while (i < out.size() && out[i].seq < seq)
      ++i;
    if (i == out.size())
      break;
    if (out[i].seq != seq)
      continue;  // a message of another partition or time inside the seq range
    out[i].recipients.push_back({q->column_text(1), q->column_text(2), q->column_text(3),
                                 events_from_json(q->column_text(4))});
  }
  return out;
}

MessageStore::AddEventResult MessageStore::add_event(const std::string& message_id,
                                                     const std::string& address,
                                                     const MessageEvent& e) {
  WriteTransaction tx(db_);
  std::int64_t seq = 0;
  {
    auto q = tx.query("SELECT seq FROM messages WHERE message_id = ?1");
    q->bind(1, message_id);
    if (!q->step())
      return AddEventResult::NoMessage;
    seq = q->column_int64(0);
  }
  std::int64_t recipient_id = 0;
  std::vector<MessageEvent> events;
  {
    auto q = tx.query(
        "SELECT id, events_json FROM message_recipients WHERE id BETWEEN ?1 * " RECIPIENT_SLOTS
        " AND ?1 * " RECIPIENT_SLOTS " + " RECIPIENT_SLOTS
        " - 1 AND address = ?2 ORDER BY id "
        "LIMIT 1");
    q->bind(1, seq).bind(2, address);
    if (!q->step())
      return AddEventResult::NoRecipient;
    recipient_id = q->column_int64(0);
    events = events_from_json(q->column_text(1));
  }
  auto at =
      std::upper_bound(events.begin(), events.end(), e.timestamp,
                       [](double t, const MessageEvent& other) { return t < other.timestamp; });
  events.insert(at, e);
  auto q = tx.query("UPDATE message_recipients SET events_json = ?1 WHERE id = ?2");
  q->bind(1, events_to_json(events)).bind(2, recipient_id);
  q->run();
  tx.commit();
  return AddEventResult::Added;
}

}  // namespace sesv2mock::storage
