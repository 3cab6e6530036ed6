// The record count of an import file (the inspector's progress bar): exact, the way the
// run reads records (quoted line breaks, BOM, CRLF, blank lines, JSON lines and objects),
// headers not counted; a run stores it and ends with ProcessedRecordsCount equal to it.
#include <doctest/doctest.h>

#include <chrono>
#include <tuple>

#include "server/imports/import_target.hpp"
#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
#include "tests/job_test_support.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::TempDir;

namespace {

struct Files {
  TempDir dir;
  Settings settings;
  storage::Database db{dir.file("db.sqlite")};
  storage::ImportJobStore jobs{db};
  int n = 0;

  Files() {
    settings.s3_dir = dir.file("s3");
    settings.import_batch_size = 3;
    ContactList list;
    list.contact_list_name = "news";
    REQUIRE(storage::ContactStore(db).create_list({}, list, 1) ==
            storage::ListCreateOutcome::Created);
  }

  ImportJob job_for(const std::string& content, DataFormat format, DestinationType type) {
    const std::string key = "f" + std::to_string(++n);
    dir.write("s3/bucket/" + key, content);
    ImportJob job;
    job.job_id = "job-" + key;
    job.destination = {type, ImportAction::Put, type == DestinationType::ContactList ? "news" : ""};
    job.source = {"s3://bucket/" + key, format};
    job.created_timestamp = job.status_changed_at = now_epoch_seconds();
    return job;
  }

  std::int64_t count_of(const ImportJob& job) {
    auto target = job.destination.type == DestinationType::SuppressionList
                      ? make_suppression_target(job, db)
                      : make_contact_target(job, db);
    return target->count_records(job, dir.file("s3/" + job.source.s3_url.substr(5)));
  }

  std::int64_t count(const std::string& content, DataFormat format, DestinationType type) {
    return count_of(job_for(content, format, type));
  }

  // Runs the import to its end; returns {stored record count, ProcessedRecordsCount}.
  std::pair<std::int64_t, std::int64_t> run(const std::string& content, DataFormat format,
                                            DestinationType type) {
    ImportJob job = job_for(content, format, type);
    REQUIRE(jobs.insert_if_below_limit(job, 100));
    jobs.transition(job.job_id, JobStatus::Created, JobStatus::Processing, now_epoch_seconds());
    CHECK_FALSE(jobs.find(job.job_id)->total_records.has_value());
    sesv2mock::testing::step_job(db, settings, job.job_id);
    auto done = jobs.find(job.job_id);
    REQUIRE(done);
    CHECK(done->status == JobStatus::Completed);
    REQUIRE(done->total_records.has_value());
    return {*done->total_records, done->processed_records};
  }
};

constexpr auto kCsv = DataFormat::Csv;
constexpr auto kJson = DataFormat::Json;
constexpr auto kSuppression = DestinationType::SuppressionList;
constexpr auto kContacts = DestinationType::ContactList;

}  // namespace

TEST_CASE("CSV record count: header, quoted line breaks, BOM, CRLF and blank lines") {
  Files f;
  CHECK(f.count("emailAddress,reason\na@x.example,BOUNCE\nb@x.example,COMPLAINT\n", kCsv,
                kSuppression) == 2);
  // No header line: every record counts; no line end after the last record.
  CHECK(f.count("a@x.example,BOUNCE\nb@x.example,BOUNCE", kCsv, kSuppression) == 2);
  // A BOM before the header still makes it a header; CRLF line ends; blank lines (also
  // ones of spaces and a CR alone) are no records.
  CHECK(
      f.count("\xEF\xBB\xBF"
              "emailAddress,reason\r\n\r\na@x.example,BOUNCE\r\n   \r\nb@x.example,BOUNCE\r\n\r\n",
              kCsv, kSuppression) == 2);
  // A quoted field running over three lines (one of them blank) is one record.
  CHECK(f.count("emailAddress,reason\n\"a\n\nb@x.example\",BOUNCE\nc@x.example,BOUNCE\n", kCsv,
                kSuppression) == 2);
  // A quote left open runs to the end of the file: one (failed) record.
  CHECK(f.count("a@x.example,BOUNCE\n\"b@x.example,BOUNCE\nc@x.example,BOUNCE\n", kCsv,
                kSuppression) == 2);
  CHECK(f.count("", kCsv, kSuppression) == 0);
  CHECK(f.count("\n\n\r\n", kCsv, kSuppression) == 0);
  CHECK(f.count("emailAddress,reason\n", kCsv, kSuppression) == 0);
}

TEST_CASE("contact CSV record count: the header line is never a record; JSON cells span lines") {
  Files f;
  CHECK(f.count("emailAddress,unsubscribeAll\n", kCsv, kContacts) == 0);
  CHECK(f.count("emailAddress,attributesData\na@x.example,{\"a\": 1,\n\"b\": 2}\nb@x.example,{}\n",
                kCsv, kContacts) == 2);
}

TEST_CASE("JSON record count: one object a line, blank lines, two on a line, broken lines") {
  Files f;
  CHECK(f.count("{\"emailAddress\":\"a@x.example\",\"reason\":\"BOUNCE\"}\n\n"
                "{\"emailAddress\":\"b@x.example\",\"reason\":\"BOUNCE\"}\r\n",
                kJson, kSuppression) == 2);
  // Two objects on one line are two records; a broken line is one (failed) record and does
  // not swallow the next line.
  CHECK(f.count("{\"emailAddress\":\"a@x.example\"} {\"emailAddress\":\"b@x.example\"}\n"
                "{\"emailAddress\": \n"
                "{\"emailAddress\":\"c@x.example\"}\n",
                kJson, kSuppression) == 4);
  // Contact files may pretty-print an object over several lines.
  CHECK(f.count("{\n  \"emailAddress\": \"a@x.example\"\n}\n{\"emailAddress\": \"b@x.example\"}\n",
                kJson, kContacts) == 2);
}

TEST_CASE("a run stores the count and ends with ProcessedRecordsCount equal to it") {
  Files f;
  std::string csv =
      "\xEF\xBB\xBF"
      "emailAddress,reason\r\n";
  for (int i = 0; i < 10; ++i)
    csv += "u" + std::to_string(i) + "@x.example,BOUNCE\r\n" + (i % 3 ? "" : "\r\n");
  csv += "\"quoted\nbreak@x.example\",BOUNCE\n";
  CHECK(f.run(csv, kCsv, kSuppression) == std::pair<std::int64_t, std::int64_t>{11, 11});
  CHECK(f.run("{\"emailAddress\":\"a@x.example\",\"reason\":\"BOUNCE\"}\n\nnot json\n", kJson,
              kSuppression) == std::pair<std::int64_t, std::int64_t>{2, 2});
  CHECK(f.run("emailAddress\na@x.example\nb@x.example\n", kCsv, kContacts) ==
        std::pair<std::int64_t, std::int64_t>{2, 2});
}

// The counting pass's cost on a 1M-record file (run with --no-skip; prints the times).
TEST_CASE("measure: counting the records of 1M-line files" * doctest::skip()) {
  Files f;
  constexpr int kLines = 1'000'000;
  std::string csv = "emailAddress,reason\n", json;
  csv.reserve(40 * kLines);
  json.reserve(60 * kLines);
  for (int i = 0; i < kLines; ++i) {
    const std::string address = "user" + std::to_string(i) + "@big.example";
    csv += address + ",BOUNCE\n";
    json += "{\"emailAddress\":\"" + address + "\",\"reason\":\"BOUNCE\"}\n";
  }
  for (auto [content, format, name] : {std::tuple{&csv, kCsv, "CSV"}, {&json, kJson, "JSON"}}) {
    for (auto type : {kSuppression, kContacts}) {
      const ImportJob job = f.job_for(*content, format, type);
      const auto start = std::chrono::steady_clock::now();
      const std::int64_t n = f.count_of(job);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      const std::string what =
          std::string(name) + (type == kContacts ? " contacts" : " suppression");
      MESSAGE(what << ": " << n << " records, " << content->size() / 1e6 << " MB, counted in " << ms
                   << " ms");
      CHECK(n == kLines);
    }
  }
}
