// ExportRun over a real (temporary) s3 directory: the finished file, filters and MaxResults,
// resume after an interrupted run (same file as an uninterrupted one), cancellation.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <fstream>
#include <sstream>

#include "server/core/export_job_json.hpp"
#include "server/exports/export_run.hpp"
#include "server/exports/insight_rows.hpp"
#include "storage/export_job_store.hpp"
#include "storage/message_store.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;

namespace {

constexpr double kT0 = 1'700'000'000;

StoredRecipient recipient(const std::string& address, std::vector<MessageEvent> events,
                          const char* fate = fate::kDelivered) {
  return {"To", address, fate, std::move(events)};
}

MessageEvent ev(const char* type, double ts, std::optional<std::string> bounce = std::nullopt) {
  MessageEvent e;
  e.type = type;
  e.timestamp = ts;
  e.bounce_type = std::move(bounce);
  return e;
}

struct World {
  testing::TempDir dir;
  Settings settings;
  storage::Database db{":memory:"};
  storage::MessageStore messages{db};
  storage::ExportJobStore jobs{db};

  World() {
    settings.s3_dir = dir.file("s3");
    settings.import_batch_size = 2;  // messages per batch: several batches per test
  }

  // `n` messages one second apart from kT0, two recipients each (the second bounces).
  void send(int n) {
    for (int i = 0; i < n; ++i) {
      StoredMessage m;
      m.message_id = "m" + std::to_string(i);
      m.kind = "SIMPLE";
      m.source = "Sender <sender@example.com>";
      m.subject = i % 2 ? "odd, \"quoted\"" : "even";
      m.created_timestamp = kT0 + i;
      m.tags = {{"n", std::to_string(i)}};
      const double t = kT0 + i;
      m.recipients = {
          recipient("a" + std::to_string(i) + "@gmail.com",
                    {ev(event_type::kSend, t), ev(event_type::kDelivery, t + 0.5)}),
          recipient("b" + std::to_string(i) + "@example.com",
                    {ev(event_type::kSend, t), ev(event_type::kBounce, t + 0.25, "TRANSIENT")},
                    fate::kBounced)};
      messages.insert(m);
    }
  }

  std::string create(const MessageInsightsDataSource& source, DataFormat format) {
    ExportDataSource s;
    s.message_insights = source;
    ExportJob job;
    job.job_id = "job" + std::to_string(++created_);
    job.data_source_json = boost::json::serialize(export_data_source_to_json(s));
    job.destination.data_format = format;
    job.file_url = "s3://out/" + job.job_id + (format == DataFormat::Csv ? ".csv" : ".json");
    job.created_timestamp = job.status_changed_at = kT0;
    REQUIRE(jobs.insert_if_below_limit(job, 100));
    REQUIRE(jobs.transition(job.job_id, JobStatus::Created, JobStatus::Processing, kT0));
    return job.job_id;
  }

  std::unique_ptr<ExportRun> open(const std::string& id) {
    return std::make_unique<ExportRun>(db, settings, S3FileUploader{}, SendingIdentityOf{},
                                       *jobs.find(id));
  }

  // Runs the job to its end, at most `steps` steps; returns the steps taken.
  int run(const std::string& id, int steps = 1000) {
    auto r = open(id);
    for (int i = 1; i <= steps; ++i) {
      if (r->step().done)
        return i;
    }
    return -1;
  }

  std::string file(const std::string& id) {
    auto job = *jobs.find(id);
    auto key = job.file_url.substr(std::string("s3://out/").size());
    std::ifstream f(dir.path() / "s3" / "out" / key, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  int created_ = 0;
};

MessageInsightsDataSource window(double start = kT0, double end = kT0 + 1000) {
  MessageInsightsDataSource s;
  s.start_date = start;
  s.end_date = end;
  return s;
}

}  // namespace

TEST_CASE("insight rows: last events, CSV quoting, JSON lines") {
  StoredMessage m;
  m.message_id = "id1";
  m.source = "Sender <sender@example.com>";
  m.subject = "a, \"b\"";
  m.created_timestamp = kT0 + 0.25;
  m.tags = {{"k", "v"}};
  auto r =
      recipient("x@yahoo.com", {ev(event_type::kSend, kT0), ev(event_type::kDelivery, kT0 + 1),
                                ev(event_type::kOpen, kT0 + 2), ev(event_type::kClick, kT0 + 3),
                                ev(event_type::kBounce, kT0 + 4)});
  InsightRow row = insight_row(m, r);
  CHECK(row.from_address == "sender@example.com");
  CHECK(row.isp == "Yahoo");
  REQUIRE(row.last_delivery);
  CHECK(row.last_delivery->type == "UNDETERMINED_BOUNCE");
  REQUIRE(row.last_engagement);
  CHECK(row.last_engagement->type == "CLICK");
  std::string csv;
  append_insight_row(DataFormat::Csv, row, csv);
  CHECK(csv ==
        "id1,sender@example.com,\"a, \"\"b\"\"\",x@yahoo.com,Yahoo,2023-11-14T22:13:20.250Z,"
        "UNDETERMINED_BOUNCE,2023-11-14T22:13:24.000Z,CLICK,2023-11-14T22:13:23.000Z,,"
        "\"{\"\"k\"\":\"\"v\"\"}\"\n");
  std::string json;
  append_insight_row(DataFormat::Json, row, json);
  CHECK(json ==
        R"({"MessageId":"id1","FromEmailAddress":"sender@example.com","Subject":"a, \"b\"",)"
        R"("Destination":"x@yahoo.com","Isp":"Yahoo","SendTimestamp":"2023-11-14T22:13:20.250Z",)"
        R"("LastDeliveryEvent":"UNDETERMINED_BOUNCE","LastDeliveryEventTimestamp":)"
        R"("2023-11-14T22:13:24.000Z","LastEngagementEvent":"CLICK",)"
        R"("LastEngagementEventTimestamp":"2023-11-14T22:13:23.000Z","ConfigurationSet":null,)"
        R"("EmailTags":{"k":"v"}})"
        "\n");
  CHECK(iso_utc(kT0 + 0.9996) == "2023-11-14T22:13:21.000Z");
}

TEST_CASE("insight filters: Include needs every list, Exclude any") {
  StoredMessage m;
  m.source = "sender@example.com";
  m.subject = "Monthly News";
  auto r = recipient("Bob@Gmail.com", {ev(event_type::kSend, kT0), ev(event_type::kOpen, kT0)});
  InsightRow row = insight_row(m, r);
  MessageInsightsDataSource s;
  CHECK(insight_wanted(s, row));
  s.include = MessageInsightsFilters{};
  s.include->destination = {"bob@gmail.com"};
  s.include->subject = {"news"};
  CHECK(insight_wanted(s, row));
  s.include->last_delivery_event = {"DELIVERY"};  // its last delivery event is SEND
  CHECK_FALSE(insight_wanted(s, row));
  s.include->last_delivery_event = {"SEND", "DELIVERY"};
  CHECK(insight_wanted(s, row));
  s.exclude = MessageInsightsFilters{};
  s.exclude->isp = {"Yahoo"};
  s.exclude->last_engagement_event = {"CLICK"};
  CHECK(insight_wanted(s, row));
  s.exclude->last_engagement_event = {"OPEN"};
  CHECK_FALSE(insight_wanted(s, row));
}

TEST_CASE("ExportRun") {
  World w;
  w.send(5);

  SUBCASE("CSV: every row, counts and the file in place") {
    auto id = w.create(window(), DataFormat::Csv);
    CHECK(w.run(id) == 4);  // prepare, then batches of 2, 2 and 1 messages
    auto job = *w.jobs.find(id);
    CHECK(job.status == JobStatus::Completed);
    CHECK(job.processed_records == 10);
    CHECK(job.exported_records == 10);
    auto text = w.file(id);
    CHECK(text.rfind("MessageId,FromEmailAddress,Subject,", 0) == 0);
    CHECK(std::count(text.begin(), text.end(), '\n') == 11);
    CHECK(text.find("m1,sender@example.com,\"odd, \"\"quoted\"\"\",a1@gmail.com,Gmail,"
                    "2023-11-14T22:13:21.000Z,DELIVERY,2023-11-14T22:13:21.500Z,,,,"
                    "\"{\"\"n\"\":\"\"1\"\"}\"\n") != std::string::npos);
    CHECK(text.find("b4@example.com,Other,2023-11-14T22:13:24.000Z,TRANSIENT_BOUNCE,") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(ExportRun::partial_path(w.settings, id)));
  }
  SUBCASE("window, filters and MaxResults") {
    auto s = window(kT0 + 1, kT0 + 4);  // m1, m2, m3
    s.include = MessageInsightsFilters{};
    s.include->isp = {"gmail"};
    auto id = w.create(s, DataFormat::Json);
    w.run(id);
    auto job = *w.jobs.find(id);
    CHECK(job.processed_records == 6);
    CHECK(job.exported_records == 3);
    auto text = w.file(id);
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);
    CHECK(text.rfind(R"({"MessageId":"m1")", 0) == 0);
    s.max_results = 2;
    id = w.create(s, DataFormat::Json);
    w.run(id);
    job = *w.jobs.find(id);
    CHECK(job.status == JobStatus::Completed);
    CHECK(job.exported_records == 2);
    CHECK(job.processed_records == 3);  // m1 (2 rows), m2's first row
  }
  SUBCASE("an interrupted run resumes into the same file") {
    auto whole = w.create(window(), DataFormat::Csv);
    w.run(whole);
    auto id = w.create(window(), DataFormat::Csv);
    {
      auto r = w.open(id);
      CHECK_FALSE(r->step().done);  // prepare
      CHECK_FALSE(r->step().done);  // m0, m1
    }                               // the run is dropped, as a kill -9 would
    CHECK(w.jobs.find(id)->processed_records == 4);
    // rows a batch wrote without committing are cut back
    std::ofstream(ExportRun::partial_path(w.settings, id), std::ios::app) << "garbage,row\n";
    CHECK(w.run(id) == 3);  // resume, then m2-m3 and m4
    auto job = *w.jobs.find(id);
    CHECK(job.processed_records == 10);
    CHECK(job.exported_records == 10);
    CHECK(w.file(id) == w.file(whole));
  }
  SUBCASE("a lost partial file starts the job over") {
    auto whole = w.create(window(), DataFormat::Json);
    w.run(whole);
    auto id = w.create(window(), DataFormat::Json);
    {
      auto r = w.open(id);
      r->step();
      r->step();
    }
    std::filesystem::remove(ExportRun::partial_path(w.settings, id));
    w.run(id);
    CHECK(w.jobs.find(id)->processed_records == 10);
    CHECK(w.file(id) == w.file(whole));
  }
  SUBCASE("a job cancelled mid-run stops at its next commit and leaves no file") {
    auto id = w.create(window(), DataFormat::Csv);
    auto r = w.open(id);
    r->step();
    r->step();
    REQUIRE(w.jobs.transition(id, JobStatus::Processing, JobStatus::Cancelled, kT0));
    CHECK(r->step().done);
    CHECK(w.jobs.find(id)->status == JobStatus::Cancelled);
    CHECK(w.jobs.find(id)->processed_records == 4);
    CHECK_FALSE(std::filesystem::exists(ExportRun::partial_path(w.settings, id)));
    CHECK(w.file(id).empty());
  }
}

TEST_CASE("ExportRun METRICS_DATA: rows per UTC day and ISP, VOLUME and RATE") {
  World w;
  auto one = [&](const std::string& id, const std::string& to, double t,
                 std::vector<MessageEvent> events, const char* fate = fate::kDelivered) {
    StoredMessage m;
    m.message_id = id;
    m.kind = "SIMPLE";
    m.source = "sender@example.com";
    m.subject = "s";
    m.created_timestamp = t;
    m.recipients = {recipient(to, std::move(events), fate)};
    w.messages.insert(m);
  };
  const double day = 1'699'920'000;  // 2023-11-14T00:00:00Z, the day of kT0
  one("g1", "x@gmail.com", kT0, {ev(event_type::kSend, kT0), ev(event_type::kDelivery, kT0)});
  one("g2", "y@gmail.com", kT0 + 1,
      {ev(event_type::kSend, kT0 + 1), ev(event_type::kDelivery, kT0 + 1),
       ev(event_type::kOpen, kT0 + 5)});
  one("y1", "z@yahoo.com", kT0 + 2,
      {ev(event_type::kSend, kT0 + 2), ev(event_type::kBounce, kT0 + 2, "PERMANENT")},
      fate::kBounced);
  one("g3", "x@gmail.com", kT0 + 7200,
      {ev(event_type::kSend, kT0 + 7200), ev(event_type::kDelivery, kT0 + 7200)});
  one("sim", "success@simulator.amazonses.com", kT0,
      {ev(event_type::kSend, kT0), ev(event_type::kDelivery, kT0)});  // never counted

  ExportDataSource s;
  s.metrics = MetricsDataSource{};
  s.metrics->dimensions["ISP"] = {"Gmail", "Yahoo"};
  s.metrics->metrics = {{"SEND", "VOLUME"}, {"DELIVERY", "VOLUME"}, {"OPEN", "RATE"}};
  s.metrics->start_date = day;
  s.metrics->end_date = day + 2 * 86'400;
  for (auto format : {DataFormat::Csv, DataFormat::Json}) {
    ExportJob job;
    job.job_id = format == DataFormat::Csv ? "metrics-csv" : "metrics-json";
    job.source_type = ExportSourceType::MetricsData;
    job.data_source_json = boost::json::serialize(export_data_source_to_json(s));
    job.destination.data_format = format;
    job.file_url = "s3://out/" + job.job_id;
    REQUIRE(w.jobs.insert_if_below_limit(job, 100));
    REQUIRE(w.jobs.transition(job.job_id, JobStatus::Created, JobStatus::Processing, kT0));
    CHECK(w.run(job.job_id) == 1);
    auto got = *w.jobs.find(job.job_id);
    CHECK(got.status == JobStatus::Completed);
    CHECK(got.processed_records == 3);
    CHECK(got.exported_records == 3);
  }
  CHECK(w.file("metrics-csv") ==
        "Date,ISP,SEND_VOLUME,DELIVERY_VOLUME,OPEN_RATE\n"
        "2023-11-14,Gmail,2,2,0.5\n"
        "2023-11-14,Yahoo,1,0,0\n"
        "2023-11-15,Gmail,1,1,0\n");
  CHECK(
      w.file("metrics-json") ==
      R"({"Date":"2023-11-14","ISP":"Gmail","SEND_VOLUME":2,"DELIVERY_VOLUME":2,"OPEN_RATE":5E-1})"
      "\n"
      R"({"Date":"2023-11-14","ISP":"Yahoo","SEND_VOLUME":1,"DELIVERY_VOLUME":0,"OPEN_RATE":0E0})"
      "\n"
      R"({"Date":"2023-11-15","ISP":"Gmail","SEND_VOLUME":1,"DELIVERY_VOLUME":1,"OPEN_RATE":0E0})"
      "\n");
}
