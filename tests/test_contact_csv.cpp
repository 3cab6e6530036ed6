// The contact CSV format (SPEC §3.1): header columns, cells, and whole files read the way
// the worker reads them (CsvRecordReader in its contact dialect + ContactRecordParser), then
// a complete import through the worker into the store.
#include <doctest/doctest.h>

#include "server/contacts/contact_records.hpp"
#include "server/imports/record_readers.hpp"
#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
#include "tests/contact_test_support.hpp"
#include "tests/job_test_support.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::news_list;
using sesv2mock::testing::Parsed;
using sesv2mock::testing::TempDir;

namespace {

struct ReadResult {
  std::string header_error;  // the job would fail with this
  std::vector<Parsed> records;
};

ReadResult read_file(const std::string& path, ImportAction action = ImportAction::Put) {
  ReadResult out;
  CsvRecordReader reader(path, /*json_fields=*/true);
  RecordItem item;
  REQUIRE(reader.next(item));
  REQUIRE(item.error.empty());
  auto columns = parse_contact_csv_header(item.fields, out.header_error);
  if (!columns)
    return out;
  ContactRecordParser parser(news_list(), action);
  while (reader.next(item)) {
    Parsed p;
    p.line = item.line;
    if (!item.error.empty()) {
      p.reason = item.error;
    } else {
      p.ok = parser.parse_csv(item.fields, *columns, 100.0, p.contact, p.reason);
    }
    out.records.push_back(std::move(p));
  }
  return out;
}

std::optional<SubscriptionStatus> preference(const Contact& c, const std::string& topic) {
  for (const auto& p : c.topic_preferences) {
    if (p.topic_name == topic)
      return p.subscription_status;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("parse_contact_csv_header") {
  std::string why;
  SUBCASE("finds the known columns wherever they are, ignoring unknown ones") {
    auto c = parse_contact_csv_header({"topicPreferences.sports", "nickname", " emailAddress ",
                                       "attributesData", "unsubscribeAll"},
                                      why);
    REQUIRE(c);
    CHECK(c->email == 2);
    CHECK(c->attributes_data == 3u);
    CHECK(c->unsubscribe_all == 4u);
    REQUIRE(c->topics.size() == 1);
    CHECK(c->topics[0] == std::pair<std::size_t, std::string>{0, "sports"});
    CHECK(c->width == 5);
  }
  SUBCASE("column names are matched without regard to case") {
    auto c = parse_contact_csv_header({"EmailAddress", "UNSUBSCRIBEALL"}, why);
    REQUIRE(c);
    CHECK(c->unsubscribe_all == 1u);
  }
  SUBCASE("only emailAddress is required") {
    auto c = parse_contact_csv_header({"emailAddress"}, why);
    REQUIRE(c);
    CHECK_FALSE(c->unsubscribe_all);
    CHECK_FALSE(c->attributes_data);
    CHECK(c->topics.empty());
  }
  SUBCASE("no emailAddress column") {
    CHECK_FALSE(parse_contact_csv_header({"a@example.com", "false"}, why));
    CHECK(why.find("no emailAddress column") != std::string::npos);
  }
  SUBCASE("a column named twice") {
    CHECK_FALSE(
        parse_contact_csv_header({"emailAddress", "unsubscribeAll", "unsubscribeAll"}, why));
    CHECK(why == "The CSV header names the column unsubscribeAll twice.");
  }
  SUBCASE("a topic column without a topic name") {
    CHECK_FALSE(parse_contact_csv_header({"emailAddress", "topicPreferences."}, why));
  }
}

TEST_CASE("contact CSV files") {
  TempDir dir;
  SUBCASE("all columns, plain cells") {
    auto r =
        read_file(dir.write("a.csv",
                            "emailAddress,unsubscribeAll,attributesData,topicPreferences.sports,"
                            "topicPreferences.weather\n"
                            " Jane@Example.COM ,true,,OPT_IN,OPT_OUT\n"));
    REQUIRE(r.records.size() == 1);
    const auto& p = r.records[0];
    REQUIRE(p.ok);
    CHECK(p.line == 2);
    CHECK(p.contact.email_address == "Jane@example.com");
    CHECK(p.contact.unsubscribe_all);
    CHECK_FALSE(p.contact.attributes_data);
    CHECK(preference(p.contact, "sports") == SubscriptionStatus::OptIn);
    CHECK(preference(p.contact, "weather") == SubscriptionStatus::OptOut);
    CHECK(p.contact.last_updated_timestamp == 100.0);
  }
  SUBCASE("RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes") {
    auto r =
        read_file(dir.write("q.csv",
                            "emailAddress,attributesData,unsubscribeAll\n"
                            "\"a@example.com\",\"{\"\"name\"\": \"\"Doe, Jane\"\"}\",\"false\"\n"
                            "b@example.com,\"{\"\"note\"\":\n \"\"two lines\"\"}\",false\n"
                            "c@example.com,,false\n"));
    REQUIRE(r.records.size() == 3);
    REQUIRE(r.records[0].ok);
    CHECK(r.records[0].contact.attributes_data == "{\"name\": \"Doe, Jane\"}");
    REQUIRE(r.records[1].ok);
    CHECK(r.records[1].contact.attributes_data == "{\"note\":\n \"two lines\"}");
    CHECK(r.records[2].line == 5);  // the quoted line break counts as a line
  }
  SUBCASE("the SES guide's form: an unquoted JSON object with bare quotes and commas") {
    auto r =
        read_file(dir.write("g.csv",
                            "emailAddress,unsubscribeAll,attributesData,topicPreferences.sports\n"
                            "a@example.com,false,{\"Name\": \"John\", \"Tags\": [1, 2]},OPT_IN\n"));
    REQUIRE(r.records.size() == 1);
    REQUIRE(r.records[0].ok);
    CHECK(r.records[0].contact.attributes_data == "{\"Name\": \"John\", \"Tags\": [1, 2]}");
    CHECK(preference(r.records[0].contact, "sports") == SubscriptionStatus::OptIn);
  }
  SUBCASE("a UTF-8 BOM before the header, CRLF line ends and blank lines") {
    auto r = read_file(dir.write("b.csv",
                                 "\xEF\xBB\xBF"
                                 "emailAddress,topicPreferences.weather\r\n"
                                 "a@example.com,OPT_IN\r\n\r\n   \r\nb@example.com,OPT_OUT\r\n"));
    REQUIRE(r.header_error.empty());
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].ok);
    CHECK(r.records[1].ok);
    CHECK(r.records[1].line == 5);
    CHECK(preference(r.records[1].contact, "weather") == SubscriptionStatus::OptOut);
  }
  SUBCASE("missing columns and empty cells mean 'not given'") {
    auto r = read_file(dir.write("m.csv",
                                 "emailAddress,unsubscribeAll,topicPreferences.sports\n"
                                 "a@example.com\n"
                                 "b@example.com,,\n"));
    REQUIRE(r.records.size() == 2);
    for (const auto& p : r.records) {
      REQUIRE(p.ok);
      CHECK_FALSE(p.contact.unsubscribe_all);
      CHECK(p.contact.topic_preferences.empty());
      CHECK_FALSE(p.contact.attributes_data);
    }
  }
  SUBCASE("extra columns: unknown header columns are ignored, surplus cells fail the record") {
    auto r = read_file(dir.write("x.csv",
                                 "emailAddress,favouriteColour,unsubscribeAll\n"
                                 "a@example.com,blue,true\n"
                                 "b@example.com,red,false,surplus\n"));
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].ok);
    CHECK(r.records[0].contact.unsubscribe_all);
    CHECK_FALSE(r.records[1].ok);
    CHECK(r.records[1].reason == "The record has 4 columns; the header has 3.");
  }
  SUBCASE("a header without emailAddress is a job failure, not a record failure") {
    auto r = read_file(dir.write("n.csv", "a@example.com,false\nb@example.com,true\n"));
    CHECK_FALSE(r.header_error.empty());
    CHECK(r.records.empty());
  }
  SUBCASE("bad cells fail their record with a reason") {
    auto r =
        read_file(dir.write("bad.csv",
                            "emailAddress,unsubscribeAll,attributesData,topicPreferences.sports,"
                            "topicPreferences.golf\n"
                            "not-an-address,false,,,\n"
                            "a@example.com,yes,,,\n"
                            "b@example.com,false,[1],,\n"
                            "c@example.com,false,\"{\"\"open\"\": }\",,\n"
                            "d@example.com,false,,MAYBE,\n"
                            "e@example.com,false,,,OPT_IN\n"
                            "f@example.com,TRUE,,,\n"
                            "\"g@example.com\"x,false,,,\n"));
    REQUIRE(r.records.size() == 8);
    CHECK(r.records[0].reason == "The email address has no '@'.");
    CHECK(r.records[1].reason == "unsubscribeAll is 'yes'; expected true or false.");
    CHECK(r.records[2].reason == "attributesData must be a JSON object; it is an array.");
    CHECK(r.records[3].reason.rfind("attributesData must be a JSON object; it is not valid JSON",
                                    0) == 0);
    CHECK(r.records[4].reason ==
          "The preference for topic sports is 'MAYBE'; expected OPT_IN or OPT_OUT.");
    CHECK(r.records[5].reason == "The contact list news has no topic golf.");
    CHECK(r.records[6].ok);        // booleans are case-insensitive (spreadsheets write TRUE)
    CHECK_FALSE(r.records[7].ok);  // malformed quoting
    CHECK_FALSE(r.records[7].reason.empty());
  }
  SUBCASE("DELETE reads only the address") {
    auto r = read_file(dir.write("d.csv",
                                 "emailAddress,unsubscribeAll,topicPreferences.golf\n"
                                 "A@EXAMPLE.com,whatever,OPT_IN\n"
                                 "broken,false,\n"),
                       ImportAction::Delete);
    REQUIRE(r.records.size() == 2);
    REQUIRE(r.records[0].ok);
    CHECK(r.records[0].contact.email_address == "A@example.com");
    CHECK_FALSE(r.records[1].ok);
  }
}

TEST_CASE("contact CSV import through the worker") {
  TempDir dir;
  Settings settings;
  settings.s3_dir = dir.file("s3");
  settings.import_batch_size = 2;  // several batches even for a small file
  storage::Database db(dir.file("db.sqlite"));
  storage::ContactStore contacts(db);
  storage::ImportJobStore jobs(db);
  const Partition p;
  REQUIRE(contacts.create_list(p, news_list(), 1) == storage::ListCreateOutcome::Created);

  auto run = [&](const std::string& key, ImportAction action) {
    ImportJob job;
    job.job_id = "job-" + key;
    job.destination = {DestinationType::ContactList, action, "news"};
    job.source = {"s3://bucket/" + key, DataFormat::Csv};
    job.created_timestamp = job.status_changed_at = now_epoch_seconds();
    REQUIRE(jobs.insert_if_below_limit(job, 100));
    jobs.transition(job.job_id, JobStatus::Created, JobStatus::Processing, now_epoch_seconds());
    sesv2mock::testing::step_job(db, settings, job.job_id);
    return *jobs.find(job.job_id);
  };

  SUBCASE("PUT then DELETE") {
    dir.write("s3/bucket/put.csv",
              "emailAddress,unsubscribeAll,attributesData,topicPreferences.sports\n"
              "a@example.com,false,{\"n\": 1},OPT_IN\n"
              "b@example.com,true,,\n"
              "c@example.com,false,,OPT_OUT\n"
              "bad,false,,\n"
              "a@example.com,true,,\n");  // a later record replaces the whole contact
    auto job = run("put.csv", ImportAction::Put);
    CHECK(job.status == JobStatus::Completed);
    CHECK(job.processed_records == 5);
    CHECK(job.failed_records == 1);
    auto a = contacts.find_contact(p, "news", "a@example.com");
    REQUIRE(a);
    CHECK(a->unsubscribe_all);
    CHECK_FALSE(a->attributes_data);
    CHECK(a->topic_preferences.empty());
    CHECK(contacts.contacts(p, "news", "", 100, {}).size() == 3);

    dir.write("s3/bucket/delete.csv",
              "emailAddress\na@example.com\nc@example.com\nnobody@example.com\n");
    job = run("delete.csv", ImportAction::Delete);
    CHECK(job.status == JobStatus::Completed);
    CHECK(job.processed_records == 3);
    CHECK(job.failed_records == 0);
    auto left = contacts.contacts(p, "news", "", 100, {});
    REQUIRE(left.size() == 1);
    CHECK(left[0].email_address == "b@example.com");
  }
  SUBCASE("a job resumed from a checkpoint still knows the header's columns") {
    const std::string header = "emailAddress,topicPreferences.sports\n";
    const std::string first = "a@example.com,OPT_IN\n";
    dir.write("s3/bucket/resume.csv", header + first + "b@example.com,OPT_OUT\n");
    ImportJob job;
    job.job_id = "job-resume";
    job.destination = {DestinationType::ContactList, ImportAction::Put, "news"};
    job.source = {"s3://bucket/resume.csv", DataFormat::Csv};
    job.status = JobStatus::Processing;
    job.created_timestamp = job.status_changed_at = now_epoch_seconds();
    job.processed_records = 1;  // as a crash after the first record's batch leaves it
    job.checkpoint_offset = static_cast<std::int64_t>(header.size() + first.size());
    job.checkpoint_line = 2;
    {
      // As a crash after the first record's batch leaves it (fixtures reset checkpoints).
      storage::WriteTransaction tx(db);
      storage::ImportJobStore::upsert(tx, job, {});
      auto q = tx.query(
          "UPDATE import_jobs SET checkpoint_offset = ?2, checkpoint_line = ?3 WHERE job_id = ?1");
      q->bind(1, job.job_id).bind(2, job.checkpoint_offset).bind(3, job.checkpoint_line);
      q->run();
      tx.commit();
    }
    sesv2mock::testing::step_job(db, settings, job.job_id);
    auto done = *jobs.find(job.job_id);
    CHECK(done.status == JobStatus::Completed);
    CHECK(done.processed_records == 2);
    CHECK_FALSE(contacts.find_contact(p, "news", "a@example.com"));  // before the checkpoint
    auto b = contacts.find_contact(p, "news", "b@example.com");
    REQUIRE(b);
    REQUIRE(b->topic_preferences.size() == 1);
    CHECK(b->topic_preferences[0].subscription_status == SubscriptionStatus::OptOut);
  }
  SUBCASE("no emailAddress column fails the job") {
    dir.write("s3/bucket/noheader.csv", "a@example.com,false\n");
    auto job = run("noheader.csv", ImportAction::Put);
    CHECK(job.status == JobStatus::Failed);
    REQUIRE(job.error_message);
    CHECK(job.error_message->find("no emailAddress column") != std::string::npos);
  }
  SUBCASE("an empty file fails the job") {
    dir.write("s3/bucket/empty.csv", "");
    auto job = run("empty.csv", ImportAction::Put);
    CHECK(job.status == JobStatus::Failed);
  }
  SUBCASE("a list deleted before the job runs fails it") {
    dir.write("s3/bucket/late.csv", "emailAddress\na@example.com\n");
    REQUIRE(contacts.erase_list(p, "news"));
    auto job = run("late.csv", ImportAction::Put);
    CHECK(job.status == JobStatus::Failed);
    REQUIRE(job.error_message);
    CHECK(job.error_message->find("news") != std::string::npos);
  }
}
