#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

namespace {

ImportJob make_job(const std::string& id, const Partition& p = {}) {
  ImportJob job;
  job.job_id = id;
  job.partition = p;
  job.source = {"s3://b/k.csv", DataFormat::Csv};
  job.created_timestamp = 1000;
  job.status_changed_at = 1000;
  return job;
}

}  // namespace

TEST_CASE("ImportJobStore") {
  Database db(":memory:");
  ImportJobStore jobs(db);

  SUBCASE("insert refuses past the unfinished-job limit of the partition only") {
    auto a = make_job("a"), b = make_job("b"), c = make_job("c");
    auto other = make_job("d", {"111111111111", "eu-west-1"});
    CHECK(jobs.insert_if_below_limit(a, 2));
    CHECK(jobs.insert_if_below_limit(b, 2));
    CHECK_FALSE(jobs.insert_if_below_limit(c, 2));
    CHECK(jobs.insert_if_below_limit(other, 2));
    CHECK_FALSE(jobs.find("c").has_value());
    jobs.transition("a", JobStatus::Created, JobStatus::Cancelled, 2000);
    CHECK(jobs.insert_if_below_limit(c, 2));
  }
  SUBCASE("listing puts older creation times last, whatever the insertion order") {
    auto late = make_job("made-late");
    late.created_timestamp = 500;  // older than the others, inserted first here...
    auto early = make_job("made-early");
    early.created_timestamp = 2000;
    jobs.insert_if_below_limit(early, 20);
    jobs.insert_if_below_limit(late, 20);
    auto all = jobs.list({}, std::nullopt, std::nullopt, 10);
    REQUIRE(all.size() == 2);
    CHECK(all[0].job_id == "made-early");
    CHECK(all[1].job_id == "made-late");
  }
  SUBCASE("transitions: legal ones move, illegal and stale ones do not") {
    auto a = make_job("a");
    jobs.insert_if_below_limit(a, 20);
    CHECK_FALSE(jobs.transition("a", JobStatus::Created, JobStatus::Completed, 5));
    CHECK(jobs.transition("a", JobStatus::Created, JobStatus::Processing, 5));
    CHECK_FALSE(jobs.find("a")->completed_timestamp.has_value());
    CHECK_FALSE(jobs.transition("a", JobStatus::Created, JobStatus::Processing, 6));
    CHECK(jobs.transition("a", JobStatus::Processing, JobStatus::Failed, 7, "broken file"));
    auto job = jobs.find("a");
    CHECK(job->status == JobStatus::Failed);
    CHECK(job->completed_timestamp == 7.0);
    CHECK(job->error_message == "broken file");
    CHECK_FALSE(jobs.transition("a", JobStatus::Processing, JobStatus::Completed, 8));
  }
  SUBCASE("listing is newest first, by partition and destination type") {
    for (int i = 0; i < 5; ++i) {
      auto job = make_job("j" + std::to_string(i));
      if (i == 2) {
        job.destination.type = DestinationType::ContactList;
        job.destination.contact_list_name = "list";
      }
      jobs.insert_if_below_limit(job, 20);
    }
    auto all = jobs.list({}, std::nullopt, std::nullopt, 10);
    REQUIRE(all.size() == 5);
    CHECK(all[0].job_id == "j4");
    CHECK(all[4].job_id == "j0");
    auto after = jobs.list({}, std::nullopt,
                           ImportJobStore::ListPosition{all[1].created_timestamp, all[1].seq}, 2);
    REQUIRE(after.size() == 2);
    CHECK(after[0].job_id == "j2");
    CHECK(jobs.list({}, DestinationType::ContactList, std::nullopt, 10).size() == 1);
    CHECK(jobs.list({"111111111111", "us-east-1"}, std::nullopt, std::nullopt, 10).empty());
    CHECK_FALSE(jobs.find({"111111111111", "us-east-1"}, "j1").has_value());
  }
}

TEST_CASE("ImportJobStore::commit_batch") {
  Database db(":memory:");
  ImportJobStore jobs(db);
  SuppressionStore suppression(db);
  auto job = make_job("job");
  jobs.insert_if_below_limit(job, 20);
  jobs.transition("job", JobStatus::Created, JobStatus::Processing, 1);

  SuppressionBatch effects;
  for (int i = 0; i < 10; ++i) {
    effects.puts.push_back(
        {"user" + std::to_string(i) + "@example.com", SuppressionReason::Bounce, 1});
  }
  auto apply = [&](WriteTransaction& tx) {
    SuppressionStore::apply(tx, {}, effects);
    return true;
  };
  JobBatch batch;
  batch.processed = 11;
  batch.failures.push_back({3, "bad,line", "The email address has no '@'."});
  batch.checkpoint_offset = 123;
  batch.checkpoint_line = 11;

  SUBCASE("a batch lands whole: writes, failed records, counts and checkpoint") {
    CHECK(jobs.commit_batch("job", batch, apply) == BatchOutcome::Committed);
    auto stored = jobs.find("job");
    CHECK(stored->processed_records == 11);
    CHECK(stored->failed_records == 1);
    CHECK(stored->checkpoint_offset == 123);
    CHECK(stored->checkpoint_line == 11);
    CHECK(suppression.list({}, {}).size() == 10);
    auto failed = jobs.failed_records("job");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].line == 3);
  }
  SUBCASE("a failure in the middle of a batch leaves no partial rows") {
    {
      WriteTransaction tx(db);
      tx.exec(
          "CREATE TRIGGER boom BEFORE INSERT ON suppressed_destinations "
          "WHEN NEW.email_address = 'user5@example.com' BEGIN SELECT RAISE(ABORT, 'boom'); END");
      tx.commit();
    }
    CHECK_THROWS_AS(jobs.commit_batch("job", batch, apply), StorageError);
    auto stored = jobs.find("job");
    CHECK(stored->processed_records == 0);
    CHECK(stored->failed_records == 0);
    CHECK(stored->checkpoint_offset == 0);
    CHECK(suppression.list({}, {}).empty());
    CHECK(jobs.failed_records("job").empty());
  }
  SUBCASE("a cancelled job takes no more writes") {
    jobs.transition("job", JobStatus::Processing, JobStatus::Cancelled, 2);
    CHECK(jobs.commit_batch("job", batch, apply) == BatchOutcome::JobNotProcessing);
    CHECK(suppression.list({}, {}).empty());
  }
  SUBCASE("effects that refuse (a deleted list) write nothing") {
    CHECK(jobs.commit_batch("job", batch, [](WriteTransaction&) { return false; }) ==
          BatchOutcome::DestinationMissing);
    CHECK(jobs.find("job")->processed_records == 0);
    CHECK(jobs.failed_records("job").empty());
  }
  SUBCASE("begin_run keeps the first stamp of a resumed job and resets a restarted one") {
    CHECK(jobs.commit_batch("job", batch, apply) == BatchOutcome::Committed);
    CHECK(jobs.begin_run("job", /*from_top=*/false, "size=1") == "size=1");
    CHECK(jobs.begin_run("job", false, "size=2") == "size=1");
    CHECK(jobs.find("job")->processed_records == 11);
    CHECK(jobs.begin_run("job", /*from_top=*/true, "size=3") == "size=3");
    auto stored = jobs.find("job");
    CHECK(stored->processed_records == 0);
    CHECK(stored->failed_records == 0);
    CHECK(stored->checkpoint_offset == 0);
    CHECK(jobs.failed_records("job").empty());
    jobs.transition("job", JobStatus::Processing, JobStatus::Cancelled, 2);
    CHECK_FALSE(jobs.begin_run("job", false, "size=3").has_value());
  }
}

TEST_CASE("WriteTransaction rolls back unless committed; readers see commits only") {
  sesv2mock::testing::TempDir dir;
  Database db(dir.file("db.sqlite"));
  SuppressionStore store(db);
  {
    WriteTransaction tx(db);
    SuppressionStore::put(tx, {}, {"a@example.com", SuppressionReason::Bounce, 1});
    // A reader on another connection does not see the open transaction's write.
    CHECK_FALSE(store.find({}, "a@example.com").has_value());
  }  // no commit: rolled back
  CHECK_FALSE(store.find({}, "a@example.com").has_value());
  {
    WriteTransaction tx(db);
    SuppressionStore::put(tx, {}, {"b@example.com", SuppressionReason::Bounce, 1});
    tx.commit();
  }
  CHECK(store.find({}, "b@example.com").has_value());
}

TEST_CASE("Concurrent readers each get their own connection") {
  sesv2mock::testing::TempDir dir;
  Database db(dir.file("db.sqlite"));
  SuppressionStore store(db);
  store.put({}, {"a@example.com", SuppressionReason::Bounce, 1});
  // Two read connections open at once on one thread: with one shared reader behind a mutex
  // the second would deadlock; with a pool each has its own.
  ReadConnection first(db);
  auto q = first.query("SELECT count(*) FROM suppressed_destinations");
  REQUIRE(q->step());
  CHECK(q->column_int64(0) == 1);
  CHECK(store.find({}, "a@example.com").has_value());
}

TEST_CASE("Database refuses a schema newer than the code") {
  sesv2mock::testing::TempDir dir;
  auto path = dir.file("db.sqlite");
  {
    Database db(path);
    WriteTransaction tx(db);
    tx.exec("PRAGMA user_version = 99");
    tx.commit();
  }
  CHECK_THROWS_AS(Database{path}, StorageError);
}

TEST_CASE("Migration 9: a job that staged rows in import_staging starts its file over") {
  sesv2mock::testing::TempDir dir;
  auto path = dir.file("db.sqlite");
  {
    Database db(path);
    ImportJobStore jobs(db);
    for (const char* id : {"staged", "direct"}) {
      ImportJob job = make_job(id);
      REQUIRE(jobs.insert_if_below_limit(job, 10));
    }
    // The schema 8 left: the staging table with a row of "staged", its merge progress, and
    // both jobs half way through their files.
    WriteTransaction tx(db);
    tx.exec(
        "CREATE TABLE import_staging (job_id TEXT NOT NULL, email_address TEXT NOT NULL, "
        "unsubscribe_all INTEGER NOT NULL, attributes_data TEXT, preferences_json TEXT NOT "
        "NULL, updated_at REAL NOT NULL);"
        "INSERT INTO import_staging VALUES ('staged', 'a@x.com', 0, NULL, '[]', 1);"
        "INSERT INTO meta (key, value) VALUES ('import-merge:staged', '1 a@x.com');"
        "UPDATE import_jobs SET checkpoint_offset = 100, checkpoint_line = 7;"
        // what migration 10 drops
        "CREATE INDEX messages_by_time ON messages (account, region, created_at);"
        "PRAGMA user_version = 8");
    tx.commit();
  }
  Database db(path);
  ImportJobStore jobs(db);
  CHECK(jobs.find("staged")->checkpoint_offset == 0);
  CHECK(jobs.find("staged")->checkpoint_line == 0);
  CHECK(jobs.find("direct")->checkpoint_offset == 100);
  WriteTransaction tx(db);
  auto q = tx.query(
      "SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'import_staging'), "
      "(SELECT count(*) FROM meta WHERE key LIKE 'import-merge:%')");
  REQUIRE(q->step());
  CHECK(q->column_int64(0) == 0);
  CHECK(q->column_int64(1) == 0);
}

TEST_CASE("SuppressionStore::find is cached, and every committed write shows at once") {
  sesv2mock::testing::TempDir dir;
  Database db(dir.file("db.sqlite"));
  SuppressionStore store(db);
  CHECK_FALSE(store.find({}, "a@example.com"));  // "absent" cached
  CHECK_FALSE(store.find({}, "a@example.com"));
  {
    WriteTransaction tx(db);  // a batch inside a caller's transaction (imports)
    SuppressionStore::put(tx, {}, {"a@example.com", SuppressionReason::Bounce, 1});
    CHECK_FALSE(store.find({}, "a@example.com"));  // not committed yet
    tx.commit();
  }
  REQUIRE(store.find({}, "a@example.com"));
  CHECK(store.find({}, "a@example.com")->reason == SuppressionReason::Bounce);
  store.put({}, {"a@example.com", SuppressionReason::Complaint, 2});
  CHECK(store.find({}, "a@example.com")->reason == SuppressionReason::Complaint);
  CHECK(store.erase({}, "a@example.com"));
  CHECK_FALSE(store.find({}, "a@example.com"));
}

TEST_CASE("ImportJobStore::find in a partition is cached, and shows every committed change") {
  sesv2mock::testing::TempDir dir;
  Database db(dir.file("db.sqlite"));
  ImportJobStore jobs(db);
  const Partition p{};
  CHECK_FALSE(jobs.find(p, "a"));  // "absent" cached
  auto a = make_job("a");
  jobs.insert_if_below_limit(a, 20);
  REQUIRE(jobs.find(p, "a"));
  CHECK(jobs.find(p, "a")->status == JobStatus::Created);
  CHECK(jobs.transition("a", JobStatus::Created, JobStatus::Processing, 5));
  CHECK(jobs.find(p, "a")->status == JobStatus::Processing);
  CHECK(jobs.transition("a", JobStatus::Processing, JobStatus::Failed, 7, "broken file"));
  CHECK(jobs.find(p, "a")->status == JobStatus::Failed);
  CHECK_FALSE(jobs.find({"111111111111", "eu-west-1"}, "a"));  // another partition's key
}
