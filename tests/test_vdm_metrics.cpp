// VdmMetrics over a hand-built set of captured messages, and the store's scan and add_event
// it relies on.
#include <doctest/doctest.h>

#include "server/sending/recipient_fate.hpp"
#include "server/sending/vdm_metrics.hpp"
#include "storage/database.hpp"
#include "storage/message_store.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

namespace {

constexpr double kDay = 86400;
constexpr double kD0 = 1699920000;  // 2023-11-14T00:00:00Z
constexpr double kD1 = kD0 + kDay;
constexpr double kD2 = kD1 + kDay;

const Partition kP{"111122223333", "eu-west-1"};
const Partition kOther{"444455556666", "eu-west-1"};

StoredRecipient to(const std::string& address, StoredRecipient r) {
  r.kind = "To";
  r.address = address;
  return r;
}

StoredMessage message(const std::string& id, double at, std::vector<StoredRecipient> recipients,
                      const std::string& from = "Sender <a@example.com>",
                      std::optional<std::string> set = std::nullopt, const Partition& p = kP) {
  StoredMessage m;
  m.message_id = id;
  m.partition = p;
  m.kind = "SIMPLE";
  m.source = from;
  m.subject = "s";
  m.raw_mime = "Subject: s\r\n\r\nbody";
  m.created_timestamp = at;
  m.configuration_set = std::move(set);
  m.recipients = std::move(recipients);
  return m;
}

MessageEvent event(const char* type, double at) {
  MessageEvent e;
  e.type = type;
  e.timestamp = at;
  return e;
}

MessageEvent transient_bounce(double at) {
  auto e = event(event_type::kBounce, at);
  e.bounce_type = "TRANSIENT";
  e.bounce_sub_type = "General";
  return e;
}

// The known set: per day, which messages count (see each comment).
void seed(MessageStore& store) {
  // Day 0: m1 (delivered, opened twice, clicked), m2 (delivered, the day's last instant),
  // m5 (suppressed: a send, but its bounce is left out).
  store.insert(message("m1", kD0, {to("u1@gmail.com", delivered_recipient(kD0))},
                       "Sender <a@example.com>", "cs1"));
  store.insert(message("m2", kD1 - 0.5, {to("u2@yahoo.com", delivered_recipient(kD1 - 0.5))},
                       "b@other.org"));
  store.insert(message("m3", kD0 + 200,
                       {to("x1@gmail.com", delivered_recipient(kD0 + 200)),
                        to("x2@gmail.com", delivered_recipient(kD0 + 200))}));  // 2 recipients
  store.insert(message("m4", kD0 + 250,
                       {to("bounce@simulator.amazonses.com",
                           simulated_recipient(SimulatorAddress::Bounce, kD0 + 250))}));
  store.insert(message("m5", kD0 + 300, {to("s@gmail.com", suppressed_recipient(kD0 + 300))}));
  store.insert(message("m9", kD0 + 100, {to("u1@gmail.com", delivered_recipient(kD0 + 100))},
                       "a@example.com", std::nullopt, kOther));
  // Day 1: m6 (permanent bounce of list management), m7 (delivered, complaint, transient
  // bounce), m8 (rendering failure: a counted message without a send).
  store.insert(message(
      "m6", kD1 + 10, {to("x@outlook.com", unsubscribed_recipient(kD1 + 10, "list", std::nullopt))},
      "a@example.com", "cs1"));
  store.insert(message("m7", kD1 + 20, {to("c@gmail.com", delivered_recipient(kD1 + 20))},
                       "a@example.com", "cs2"));
  store.insert(
      message("m8", kD1 + 30, {to("r@example.net", rendering_failed_recipient(kD1 + 30))}));
  // Day 2: outside a query ending at kD2.
  store.insert(message("m10", kD2 + 5, {to("u1@gmail.com", delivered_recipient(kD2 + 5))}));

  REQUIRE(store.add_event("m1", "u1@gmail.com", event(event_type::kOpen, kD0 + 60)) ==
          MessageStore::AddEventResult::Added);
  REQUIRE(store.add_event("m1", "u1@gmail.com", event(event_type::kOpen, kD0 + 70)) ==
          MessageStore::AddEventResult::Added);
  REQUIRE(store.add_event("m1", "u1@gmail.com", event(event_type::kClick, kD0 + 80)) ==
          MessageStore::AddEventResult::Added);
  // Opens of a multi-recipient message are left out.
  REQUIRE(store.add_event("m3", "x1@gmail.com", event(event_type::kOpen, kD0 + 260)) ==
          MessageStore::AddEventResult::Added);
  auto complaint = event(event_type::kComplaint, kD1 + 40);
  complaint.complaint_feedback_type = "abuse";
  REQUIRE(store.add_event("m7", "c@gmail.com", complaint) == MessageStore::AddEventResult::Added);
  REQUIRE(store.add_event("m7", "c@gmail.com", transient_bounce(kD1 + 50)) ==
          MessageStore::AddEventResult::Added);
}

const std::vector<VdmMetric> kAll{VdmMetric::Send,
                                  VdmMetric::Complaint,
                                  VdmMetric::PermanentBounce,
                                  VdmMetric::TransientBounce,
                                  VdmMetric::Open,
                                  VdmMetric::Click,
                                  VdmMetric::Delivery,
                                  VdmMetric::DeliveryOpen,
                                  VdmMetric::DeliveryClick,
                                  VdmMetric::DeliveryComplaint};

VdmQuery query(std::vector<VdmMetric> metrics = kAll) {
  VdmQuery q;
  q.partition = kP;
  q.start = kD0;
  q.end = kD2;
  q.metrics = std::move(metrics);
  return q;
}

using Counts = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("vdm metrics: wire names and the RATE denominator") {
  CHECK(wire_name(VdmMetric::PermanentBounce) == "PERMANENT_BOUNCE");
  CHECK(wire_name(VdmMetric::DeliveryComplaint) == "DELIVERY_COMPLAINT");
  CHECK(vdm_metric_from_wire("DELIVERY_OPEN") == VdmMetric::DeliveryOpen);
  CHECK_FALSE(vdm_metric_from_wire("send").has_value());
  CHECK(vdm_dimension_from_wire("CONFIGURATION_SET") == VdmDimension::ConfigurationSet);
  CHECK(wire_name(VdmDimension::EmailIdentity) == "EMAIL_IDENTITY");
  CHECK_FALSE(vdm_dimension_from_wire("ISPS").has_value());
  for (auto m : kAll)
    CHECK(rate_denominator(m) == VdmMetric::Send);
}

TEST_CASE("vdm metrics: every metric per UTC day of the known set") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  VdmMetrics metrics(store);
  auto rows = metrics.run(query());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].day_start == kD0);
  CHECK(rows[0].group_values.empty());
  //                        SEND CPL PB TB OPEN CLICK DLV D_OPEN D_CLICK D_CPL
  CHECK(rows[0].counts == Counts{3, 0, 0, 0, 1, 1, 2, 2, 2, 2});
  CHECK(rows[1].day_start == kD1);
  CHECK(rows[1].counts == Counts{2, 1, 1, 1, 0, 0, 1, 1, 1, 1});
}

TEST_CASE("vdm metrics: time range bounds, start inclusive and end exclusive") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  VdmMetrics metrics(store);
  auto q = query({VdmMetric::Send});
  q.start = kD0 + 1;  // m1 (sent at kD0 exactly) drops out
  q.end = kD1 + 11;   // m6 (kD1 + 10) is in, m7 (kD1 + 20) is not
  auto rows = metrics.run(q);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].counts == Counts{2});
  CHECK(rows[1].counts == Counts{1});

  q.start = kD2;
  q.end = kD2 + kDay;
  rows = metrics.run(q);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].day_start == kD2);
  CHECK(rows[0].counts == Counts{1});

  q.partition = {"999999999999", "eu-west-1"};
  CHECK(metrics.run(q).empty());
}

TEST_CASE("vdm metrics: group by ISP and configuration set, ordered by day then value") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  VdmMetrics metrics(store);
  auto q = query({VdmMetric::Send, VdmMetric::Delivery});
  q.group_by = {VdmDimension::Isp};
  auto rows = metrics.run(q);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].group_values == std::vector<std::string>{"Gmail"});  // m1, m5
  CHECK(rows[0].counts == Counts{2, 1});
  CHECK(rows[1].group_values == std::vector<std::string>{"Yahoo"});
  CHECK(rows[1].counts == Counts{1, 1});
  CHECK(rows[2].day_start == kD1);
  CHECK(rows[2].group_values == std::vector<std::string>{"Gmail"});  // m7
  CHECK(rows[2].counts == Counts{1, 1});
  CHECK(rows[3].group_values == std::vector<std::string>{"Other"});  // m8
  CHECK(rows[3].counts == Counts{0, 0});
  CHECK(rows[4].group_values == std::vector<std::string>{"Outlook"});  // m6
  CHECK(rows[4].counts == Counts{1, 0});

  // Messages without a configuration set (m2, m5, m8) are left out.
  q.group_by = {VdmDimension::ConfigurationSet, VdmDimension::Isp};
  rows = metrics.run(q);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].group_values == std::vector<std::string>{"cs1", "Gmail"});
  CHECK(rows[1].group_values == std::vector<std::string>{"cs1", "Outlook"});
  CHECK(rows[2].group_values == std::vector<std::string>{"cs2", "Gmail"});
  CHECK(rows[2].day_start == kD1);
  CHECK(rows[2].counts == Counts{1, 1});
}

TEST_CASE("vdm metrics: dimension filters") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  VdmMetrics metrics(store);
  auto q = query({VdmMetric::Send, VdmMetric::PermanentBounce});
  q.filter[VdmDimension::ConfigurationSet] = {"cs1"};
  auto rows = metrics.run(q);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].counts == Counts{1, 0});  // m1
  CHECK(rows[1].counts == Counts{1, 1});  // m6

  q.filter[VdmDimension::Isp] = {"Gmail", "Yahoo"};  // and cs1: m1 only
  rows = metrics.run(q);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].day_start == kD0);

  // The default EMAIL_IDENTITY is the From address's domain.
  q.filter.clear();
  q.filter[VdmDimension::EmailIdentity] = {"other.org"};
  rows = metrics.run(q);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].day_start == kD0);
  CHECK(rows[0].counts == Counts{1, 0});  // m2

  q.filter[VdmDimension::EmailIdentity] = {"nobody.example"};
  CHECK(metrics.run(q).empty());
}

TEST_CASE("vdm metrics: EMAIL_IDENTITY through the sending-identity function") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  std::vector<std::string> asked;
  VdmMetrics metrics(store, [&](const Partition& p, const std::string& from) {
    CHECK(p == kP);
    asked.push_back(from);
    return from == "a@example.com" ? from : std::string("other.org");
  });
  auto q = query({VdmMetric::Send});
  q.group_by = {VdmDimension::EmailIdentity};
  auto rows = metrics.run(q);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].group_values == std::vector<std::string>{"a@example.com"});
  CHECK(rows[0].counts == Counts{2});  // m1, m5
  CHECK(rows[1].group_values == std::vector<std::string>{"other.org"});
  CHECK(rows[1].counts == Counts{1});
  CHECK(rows[2].group_values == std::vector<std::string>{"a@example.com"});
  CHECK(rows[2].counts == Counts{2});  // m6, m7 (m8 has no send)
  // Asked once per From address (display names dropped), not once per message.
  CHECK(asked == std::vector<std::string>{"a@example.com", "b@other.org"});
}

TEST_CASE("vdm metrics: run_all answers several queries in one pass as run does") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  VdmMetrics metrics(store);
  std::vector<VdmQuery> qs(4, query({VdmMetric::Send}));
  qs[1].start = kD1;  // day 1 only
  qs[2].filter[VdmDimension::Isp] = {"Yahoo"};
  qs[2].metrics = {VdmMetric::Delivery, VdmMetric::Open};
  qs[3].partition = kOther;
  auto all = metrics.run_all(qs);
  REQUIRE(all.size() == 4);
  REQUIRE(all[0].size() == 2);
  CHECK(all[0][0].counts == Counts{3});
  CHECK(all[0][1].counts == Counts{2});
  REQUIRE(all[1].size() == 1);
  CHECK(all[1][0].day_start == kD1);
  CHECK(all[1][0].counts == Counts{2});
  REQUIRE(all[2].size() == 1);
  CHECK(all[2][0].counts == Counts{1, 0});  // m2
  REQUIRE(all[3].size() == 1);
  CHECK(all[3][0].counts == Counts{1});  // m9
  for (std::size_t i = 0; i < qs.size(); ++i) {
    auto one = metrics.run(qs[i]);
    REQUIRE(one.size() == all[i].size());
    for (std::size_t r = 0; r < one.size(); ++r) {
      CHECK(one[r].day_start == all[i][r].day_start);
      CHECK(one[r].counts == all[i][r].counts);
    }
  }
  CHECK(metrics.run_all({}).empty());
}

TEST_CASE("vdm metrics: more messages than one scan batch") {
  Database db(":memory:");
  MessageStore store(db);
  constexpr int kMessages = 2'345;
  for (int i = 0; i < kMessages; ++i) {
    const double at = kD0 + i * 60.0;  // 1,440 on day 0, the rest on day 1
    // Appended, not "b" + to_string(i): GCC 12 warns falsely (-Wrestrict) on that form.
    const std::string n = std::to_string(i);
    std::string id = "b", address = "u";
    id += n;
    address += n;
    address += "@gmail.com";
    store.insert(message(id, at, {to(address, delivered_recipient(at))}));
  }
  VdmMetrics metrics(store);
  auto rows = metrics.run(query({VdmMetric::Send, VdmMetric::Open}));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].counts == Counts{1'440, 0});
  CHECK(rows[1].counts == Counts{kMessages - 1'440, 0});
}

TEST_CASE("message store: scan pages by seq within a partition and time range, no raw MIME") {
  Database db(":memory:");
  MessageStore store(db);
  seed(store);
  auto batch = store.scan(kP, kD0, kD2, 0, 3);
  REQUIRE(batch.size() == 3);
  CHECK(batch[0].message_id == "m1");
  CHECK(batch[1].message_id == "m2");
  CHECK(batch[2].message_id == "m3");
  CHECK(batch[0].raw_mime.empty());
  REQUIRE(batch[2].recipients.size() == 2);
  CHECK(batch[2].recipients[1].address == "x2@gmail.com");
  REQUIRE(batch[0].recipients.size() == 1);
  CHECK(batch[0].recipients[0].events.size() == 5);  // SEND, DELIVERY, OPEN, OPEN, CLICK
  // The next batch skips m9 (another account) and m10 (after the range).
  batch = store.scan(kP, kD0, kD2, batch.back().seq, 10);
  std::vector<std::string> ids;
  for (const auto& m : batch) {
    ids.push_back(m.message_id);
    CHECK(m.recipients.size() == 1);
  }
  CHECK(ids == std::vector<std::string>{"m4", "m5", "m6", "m7", "m8"});
  CHECK(store.scan(kP, kD0, kD2, batch.back().seq, 10).empty());
}

TEST_CASE("message store: add_event keeps timestamp order and leaves the fate alone") {
  Database db(":memory:");
  MessageStore store(db);
  store.insert(message("m", kD0,
                       {to("u@gmail.com", delivered_recipient(kD0)),
                        to("v@gmail.com", delivered_recipient(kD0 + 5))}));
  CHECK(store.add_event("m", "v@gmail.com", event(event_type::kClick, kD0 + 100)) ==
        MessageStore::AddEventResult::Added);
  CHECK(store.add_event("m", "v@gmail.com", event(event_type::kOpen, kD0 + 50)) ==
        MessageStore::AddEventResult::Added);
  CHECK(store.add_event("m", "v@gmail.com", transient_bounce(kD0 + 5)) ==
        MessageStore::AddEventResult::Added);
  CHECK(store.add_event("m", "w@gmail.com", event(event_type::kOpen, kD0)) ==
        MessageStore::AddEventResult::NoRecipient);
  CHECK(store.add_event("nope", "v@gmail.com", event(event_type::kOpen, kD0)) ==
        MessageStore::AddEventResult::NoMessage);
  auto m = store.find("m");
  REQUIRE(m);
  CHECK(m->recipients[0].events.size() == 2);
  const auto& v = m->recipients[1];
  CHECK(v.fate == fate::kDelivered);
  std::vector<std::string> types;
  for (const auto& e : v.events)
    types.push_back(e.type);
  // SEND and DELIVERY at +5, then the bounce added at the same instant, OPEN, CLICK.
  CHECK(types == std::vector<std::string>{"SEND", "DELIVERY", "BOUNCE", "OPEN", "CLICK"});
  CHECK(v.events[2].bounce_type == "TRANSIENT");
  CHECK(v.events[2].bounce_sub_type == "General");
}
