// MessageStore and TemplateStore over an in-memory database.
#include <doctest/doctest.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/message_store.hpp"
#include "storage/template_store.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

namespace {

StoredMessage message(const std::string& id, const Partition& p, double at,
                      std::vector<std::string> to, const char* fate_name = fate::kDelivered) {
  StoredMessage m;
  m.message_id = id;
  m.partition = p;
  m.kind = "SIMPLE";
  m.source = "from@example.com";
  m.subject = "subject " + id;
  m.raw_mime = "Subject: x\r\n\r\nbody";
  m.created_timestamp = at;
  m.tags = {{"campaign", "c1"}};
  for (auto& a : to) {
    StoredRecipient r{"To", a, fate_name, {}};
    MessageEvent send{event_type::kSend, at};
    MessageEvent bounce{event_type::kBounce, at + 1};
    bounce.bounce_type = "PERMANENT";
    bounce.bounce_sub_type = "OnAccountSuppressionList";
    r.events = {send, bounce};
    m.recipients.push_back(r);
  }
  return m;
}

std::size_t all_messages(MessageStore& store) {
  MessageQuery q;
  q.limit = 1000;
  return store.list(q).size();
}

}  // namespace

TEST_CASE("message store: insert, find with recipients and events, erase") {
  Database db(":memory:");
  MessageStore store(db);
  Partition p{"111111111111", "us-east-1"};
  auto seq =
      store.insert(message("m1", p, 100, {"a@example.com", "b@example.com"}, fate::kSuppressed));
  CHECK(seq > 0);
  auto got = store.find("m1");
  REQUIRE(got);
  CHECK(got->seq == seq);
  CHECK(got->partition == p);
  CHECK(got->subject == "subject m1");
  CHECK(got->raw_mime == "Subject: x\r\n\r\nbody");
  REQUIRE(got->tags.size() == 1);
  CHECK(got->tags[0].key == "campaign");
  REQUIRE(got->recipients.size() == 2);
  CHECK(got->recipients[1].address == "b@example.com");
  CHECK(got->recipients[1].fate == "SUPPRESSED");
  REQUIRE(got->recipients[1].events.size() == 2);
  CHECK(got->recipients[1].events[1].type == "BOUNCE");
  CHECK(got->recipients[1].events[1].timestamp == 101);
  CHECK(*got->recipients[1].events[1].bounce_sub_type == "OnAccountSuppressionList");
  CHECK_FALSE(got->recipients[1].events[0].bounce_type);
  CHECK(store.erase("m1"));
  CHECK_FALSE(store.erase("m1"));
  CHECK_FALSE(store.find("m1"));
  // The next message may get the erased one's seq: none of m1's recipients may come back.
  store.insert(message("m2", p, 200, {"c@example.com"}));
  REQUIRE(store.find("m2"));
  REQUIRE(store.find("m2")->recipients.size() == 1);
  CHECK(store.find("m2")->recipients[0].address == "c@example.com");
  Partition q{"222222222222", "us-east-1"};
  store.insert(message("q1", q, 300, {"d@example.com", "e@example.com"}));
  store.erase_all(&q);
  store.insert(message("m3", p, 400, {"f@example.com"}));
  REQUIRE(store.find("m3"));
  REQUIRE(store.find("m3")->recipients.size() == 1);
  CHECK(store.find("m3")->recipients[0].address == "f@example.com");
  CHECK(store.find("m2")->recipients.size() == 1);
}

TEST_CASE("message store: migration 11 keeps the recipients of earlier messages") {
  sesv2mock::testing::TempDir dir;
  const auto path = dir.file("db.sqlite");
  Partition p{"111111111111", "us-east-1"};
  {
    Database db(path);
    MessageStore store(db);
    store.insert(message("m1", p, 100, {"a@example.com", "b@example.com"}, fate::kSuppressed));
    store.insert(message("m2", p, 200, {"c@example.com"}));
    // Back to the recipients table of schema version 10.
    WriteTransaction tx(db);
    tx.exec(
        "CREATE TABLE v9 (message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE "
        "CASCADE, position INTEGER NOT NULL, kind TEXT NOT NULL, address TEXT NOT NULL, fate "
        "TEXT NOT NULL, events_json TEXT NOT NULL, PRIMARY KEY (message_seq, position)) "
        "WITHOUT ROWID");
    tx.exec(
        "INSERT INTO v9 SELECT message_seq, position, kind, address, fate, events_json FROM "
        "message_recipients");
    tx.exec("DROP TABLE message_recipients");
    tx.exec("ALTER TABLE v9 RENAME TO message_recipients");
    tx.exec("PRAGMA user_version = 10");
    tx.commit();
  }
  Database db(path);
  MessageStore store(db);
  auto m1 = store.find("m1");
  REQUIRE(m1);
  REQUIRE(m1->recipients.size() == 2);
  CHECK(m1->recipients[0].address == "a@example.com");
  CHECK(m1->recipients[1].address == "b@example.com");
  CHECK(m1->recipients[1].fate == "SUPPRESSED");
  REQUIRE(m1->recipients[1].events.size() == 2);
  CHECK(m1->recipients[1].events[1].timestamp == 101);
  REQUIRE(store.find("m2"));
  CHECK(store.find("m2")->recipients.size() == 1);
  CHECK(store.add_event("m1", "b@example.com", {event_type::kDelivery, 150}) ==
        MessageStore::AddEventResult::Added);
  CHECK(store.find("m1")->recipients[1].events.size() == 3);
}

TEST_CASE("message store: listing filters, order and paging position") {
  Database db(":memory:");
  MessageStore store(db);
  Partition p{"111111111111", "us-east-1"}, q{"222222222222", "eu-west-1"};
  store.insert(message("m1", p, 100, {"a@example.com"}));
  store.insert(message("m2", p, 101, {"b@example.com"}, fate::kSuppressed));
  store.insert(message("m3", q, 102, {"a@example.com"}));
  auto ids = [&](MessageQuery mq) {
    std::vector<std::string> out;
    for (auto& m : store.list(mq))
      out.push_back(m.message_id);
    return out;
  };
  CHECK(ids({}) == std::vector<std::string>{"m1", "m2", "m3"});
  MessageQuery by_recipient;
  by_recipient.recipient = "a@example.com";
  CHECK(ids(by_recipient) == std::vector<std::string>{"m1", "m3"});
  MessageQuery by_fate;
  by_fate.fate = "SUPPRESSED";
  CHECK(ids(by_fate) == std::vector<std::string>{"m2"});
  MessageQuery by_partition;
  by_partition.partition = &q;
  CHECK(ids(by_partition) == std::vector<std::string>{"m3"});
  MessageQuery by_subject;
  by_subject.subject = "t m2";
  CHECK(ids(by_subject) == std::vector<std::string>{"m2"});
  MessageQuery after;
  after.after_seq = store.find("m1")->seq;
  after.limit = 1;
  CHECK(ids(after) == std::vector<std::string>{"m2"});
  store.erase_all(&p);
  CHECK(ids({}) == std::vector<std::string>{"m3"});
}

TEST_CASE("message store: count_sent_since counts recipients per partition") {
  Database db(":memory:");
  MessageStore store(db);
  Partition p{"111111111111", "us-east-1"}, q{"222222222222", "us-east-1"};
  store.insert(message("old", p, 10, {"a@example.com"}));
  store.insert(message("new", p, 1000, {"a@example.com", "b@example.com"}));
  store.insert(message("other", q, 1000, {"a@example.com"}));
  CHECK(store.count_sent_since(p, 500) == 2);
  CHECK(store.count_sent_since(p, 0) == 3);
  CHECK(store.count_sent_since(q, 500) == 1);
  CHECK(store.count_sent_since(Partition{"333333333333", "us-east-1"}, 0) == 0);
}

TEST_CASE("message store: count_sent_since reads the tail of the seq order") {
  Database db(":memory:");
  MessageStore store(db);
  Partition p{"111111111111", "us-east-1"};
  CHECK(store.count_sent_since(p, 0) == 0);  // no message at all
  // A day of sends, one every 50 s, two recipients each; then 64 of one recipient whose
  // acceptance order is not their commit order (every other one 30 s older); then a gap where
  // messages were erased.
  const double day = 86'400;
  for (int i = 0; i < 1'728; ++i)
    store.insert(message("m" + std::to_string(i), p, 50.0 * i, {"a@example.com", "b@example.com"}));
  for (int j = 0; j < 64; ++j) {
    const double at = day + (j % 2 == 0 ? 0.0 : -30.0) + 0.1 * j;
    store.insert(message("late-" + std::to_string(j), p, at, {"a@example.com"}));
  }
  CHECK(store.count_sent_since(p, day - 100) == 2 * 2 + 64);  // m1726, m1727, the late ones
  CHECK(store.count_sent_since(p, day - 25) == 32 + 7);       // even ones; odd ones from j = 51
  CHECK(store.count_sent_since(p, day + 3) == 17);            // even ones from j = 30
  CHECK(store.count_sent_since(p, 50'000) == 2 * 728 + 64);   // m1000 .. m1727
  CHECK(store.count_sent_since(p, 0) == 2 * 1'728 + 64);
  CHECK(store.count_sent_since(p, day + 100) == 0);
  for (int i = 1'000; i < 1'100; ++i)
    CHECK(store.erase("m" + std::to_string(i)));
  CHECK(store.count_sent_since(p, 50'000) == 2 * 628 + 64);
  CHECK(store.count_sent_since(p, 52'500) == 2 * 628 + 64);  // from inside the gap
  CHECK(store.count_sent_since(p, 49'950) == 2 * 629 + 64);
}

TEST_CASE("template store: create once, update, list in name order, erase") {
  Database db(":memory:");
  TemplateStore store(db);
  Partition p;
  CHECK(store.create(p, {"b", std::string("S"), std::string("T"), std::nullopt, {{"k", "v"}}, 5}));
  CHECK_FALSE(store.create(p, {"b", std::nullopt, std::nullopt, std::nullopt, {}, 6}));
  CHECK(store.create(p, {"a", std::string("S"), std::nullopt, std::string("H"), {}, 7}));
  CHECK(store.update(p, {"b", std::string("S2"), std::nullopt, std::string("H2"), {}, 0}));
  auto b = store.find(p, "b");
  REQUIRE(b);
  CHECK(*b->subject == "S2");
  CHECK_FALSE(b->text);
  CHECK(*b->html == "H2");
  CHECK(b->created_timestamp == 5);  // kept
  REQUIRE(b->tags.size() == 1);
  auto listed = store.list(p, "", 10);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].name == "a");
  CHECK(store.list(p, "a", 10).size() == 1);
  CHECK_FALSE(store.update(p, {"zz", std::nullopt, std::nullopt, std::nullopt, {}, 0}));
  CHECK(store.erase(p, "a"));
  CHECK_FALSE(store.erase(p, "a"));
}

TEST_CASE("message store: submit writes at once unless the thread holds writes (group commit)") {
  Database db(":memory:");
  MessageStore store(db);
  Partition p{"111111111111", "us-east-1"};
  store.submit(message("now", p, 100, {"a@example.com"}));
  CHECK(store.find("now"));  // this thread does not hold: written at once
  CHECK_FALSE(store.pending());

  store.hold_on_this_thread(true);
  store.submit(message("h1", p, 101, {"a@example.com"}));
  store.submit(message("h2", p, 102, {"b@example.com", "c@example.com"}));
  CHECK(store.pending());
  CHECK_FALSE(store.find("h1"));  // held, not yet in the database
  const auto generation = db.generation();
  store.commit();
  CHECK_FALSE(store.pending());
  CHECK(db.generation() == generation);  // adding messages leaves read caches valid
  REQUIRE(store.find("h2"));
  CHECK(store.find("h2")->recipients.size() == 2);
  CHECK(store.list({}).size() == 3);

  // A failing commit (a duplicate MessageId) throws and drops the whole batch.
  store.submit(message("h3", p, 103, {"a@example.com"}));
  store.submit(message("h1", p, 104, {"a@example.com"}));
  CHECK_THROWS_AS(store.commit(), StorageError);
  CHECK_FALSE(store.pending());
  CHECK_FALSE(store.find("h3"));
  CHECK(db.generation() > generation);

  // Turning holding off commits what is left.
  store.submit(message("h4", p, 105, {"a@example.com"}));
  store.hold_on_this_thread(false);
  CHECK(store.find("h4"));
  store.submit(message("h5", p, 106, {"a@example.com"}));
  CHECK(store.find("h5"));
}

TEST_CASE("message store: commit_async commits what several threads hand over, then calls back") {
  Database db(":memory:");
  MessageStore store(db);
  Partition p{"111111111111", "us-east-1"};
  std::mutex mutex;
  std::vector<std::string> outcomes;  // "ok" or the failure text, one per hand-over
  auto record = [&](const std::string* failure) {
    std::lock_guard lock(mutex);
    outcomes.push_back(failure ? *failure : "ok");
  };
  auto sender = [&](const std::string& prefix) {
    store.hold_on_this_thread(true);
    for (int batch = 0; batch < 20; ++batch) {
      for (int i = 0; i < 5; ++i)
        store.submit(message(prefix + std::to_string(batch * 5 + i), p, 100, {"a@example.com"}));
      store.commit_async(record);
      CHECK_FALSE(store.pending());  // handed over: nothing left on this thread
    }
    store.hold_on_this_thread(false);
  };
  std::thread a(sender, "a");
  std::thread b(sender, "b");
  a.join();
  b.join();
  store.drain();
  CHECK(outcomes == std::vector<std::string>(40, "ok"));
  CHECK(all_messages(store) == 200);
  CHECK(store.find("a99"));
  CHECK(store.find("b0"));

  // Nothing held: called back at once. A failing group (a duplicate MessageId) reports the
  // error to every hand-over in it and stores none of its messages.
  outcomes.clear();
  store.hold_on_this_thread(true);
  store.commit_async(record);
  CHECK(outcomes == std::vector<std::string>{"ok"});
  store.submit(message("c1", p, 101, {"a@example.com"}));
  store.submit(message("a5", p, 101, {"a@example.com"}));
  store.commit_async(record);
  store.drain();
  store.hold_on_this_thread(false);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[1].find("UNIQUE constraint failed: messages.message_id") != std::string::npos);
  CHECK_FALSE(store.find("c1"));
  CHECK(all_messages(store) == 200);
}
