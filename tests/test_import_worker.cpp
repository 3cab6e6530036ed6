#include <doctest/doctest.h>

#include <filesystem>

#include "server/jobs/import_worker.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::TempDir;

namespace {

// A worker over a fresh database and s3 directory, driven by hand (no thread).
struct Fixture {
  TempDir dir;
  Settings settings;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<ImportWorker> worker;

  explicit Fixture(int batch_size = 2'000) {
    settings.s3_dir = dir.file("s3");
    settings.import_batch_size = batch_size;
    db = std::make_unique<storage::Database>(dir.file("db.sqlite"));
    worker = std::make_unique<ImportWorker>(*db, settings, S3Fetcher{});
  }

  std::string add_job(const std::string& url, DataFormat format,
                      ImportAction action = ImportAction::Put) {
    ImportJob job;
    job.job_id = "job-" + std::to_string(++jobs_made);
    job.destination = {DestinationType::SuppressionList, action, ""};
    job.source = {url, format};
    job.created_timestamp = job.status_changed_at = now_epoch_seconds();
    storage::ImportJobStore store(*db);
    store.insert_if_below_limit(job, 100);
    store.transition(job.job_id, JobStatus::Created, JobStatus::Processing, now_epoch_seconds());
    return job.job_id;
  }
  ImportJob job(const std::string& id) { return *storage::ImportJobStore(*db).find(id); }
  std::vector<SuppressedDestination> suppressed() {
    storage::SuppressionQuery q;
    q.limit = 1'000'000;
    return storage::SuppressionStore(*db).list({}, q);
  }
  int jobs_made = 0;
};

std::string numbered_csv(int n, int bad_every) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    if (bad_every && i % bad_every == 0) {
      out += "broken-" + std::to_string(i) + ",BOUNCE\n";
    } else {
      out += "user" + std::to_string(i) + "@Example.COM," + (i % 2 ? "BOUNCE" : "COMPLAINT") + "\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("ImportWorker processes a suppression CSV") {
  Fixture f;
  f.dir.write("s3/bucket/list.csv",
              "emailAddress,reason\n a@Example.com ,BOUNCE\nnot-an-address,BOUNCE\n"
              "b@example.com,COMPLAINT\nc@example.com,SOMETIMES\nd@example.com\n\n");
  auto id = f.add_job("s3://bucket/list.csv", DataFormat::Csv);
  f.worker->process(id);
  auto job = f.job(id);
  CHECK(job.status == JobStatus::Completed);
  CHECK(job.processed_records == 5);
  CHECK(job.failed_records == 3);
  CHECK(job.completed_timestamp.has_value());
  auto rows = f.suppressed();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].email_address == "a@example.com");
  CHECK(rows[1].reason == SuppressionReason::Complaint);
  auto failed = storage::ImportJobStore(*f.db).failed_records(id);
  REQUIRE(failed.size() == 3);
  CHECK(failed[0].line == 3);
  CHECK(failed[1].reason == "Unknown reason 'SOMETIMES'; expected BOUNCE or COMPLAINT.");
  CHECK(failed[2].reason == "The record has no reason; expected BOUNCE or COMPLAINT.");
}

TEST_CASE("ImportWorker processes JSON and DELETE imports") {
  Fixture f;
  f.dir.write("s3/b/put.json",
              "{\"emailAddress\":\"x@example.com\",\"reason\":\"BOUNCE\"}\n"
              "{\"emailAddress\":\"y@example.com\",\"reason\":\"COMPLAINT\"}\n"
              "{\"emailAddress\":\"z@example.com\",\"reason\":\"BOUNCE\"}\n");
  auto put = f.add_job("s3://b/put.json", DataFormat::Json);
  f.worker->process(put);
  CHECK(f.job(put).processed_records == 3);
  CHECK(f.suppressed().size() == 3);

  f.dir.write("s3/b/delete.csv", "x@example.com\nZ@EXAMPLE.COM\nnobody@example.com\n");
  auto del = f.add_job("s3://b/delete.csv", DataFormat::Csv, ImportAction::Delete);
  f.worker->process(del);
  CHECK(f.job(del).status == JobStatus::Completed);
  CHECK(f.job(del).processed_records == 3);
  CHECK(f.job(del).failed_records == 0);
  // z's local part is kept as written, so Z@example.com is another address than z@example.com.
  auto rows = f.suppressed();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].email_address == "y@example.com");
  CHECK(rows[1].email_address == "z@example.com");
}

TEST_CASE("ImportWorker fails jobs that cannot run, with one sentence") {
  Fixture f;
  SUBCASE("missing object") {
    auto id = f.add_job("s3://bucket/none.csv", DataFormat::Csv);
    f.worker->process(id);
    CHECK(f.job(id).status == JobStatus::Failed);
    CHECK(f.job(id).error_message == "The object s3://bucket/none.csv does not exist.");
  }
  SUBCASE("keys that leave the s3 directory") {
    f.dir.write("secret.csv", "a@b.com,BOUNCE\n");
    auto up = f.add_job("s3://bucket/../../secret.csv", DataFormat::Csv);
    f.worker->process(up);
    CHECK(f.job(up).error_message == "The object s3://bucket/../../secret.csv is outside the s3 directory.");
    std::filesystem::create_directories(f.dir.path() / "s3" / "bucket");
    std::filesystem::create_symlink(f.dir.path() / "secret.csv", f.dir.path() / "s3" / "bucket" / "link.csv");
    auto link = f.add_job("s3://bucket/link.csv", DataFormat::Csv);
    f.worker->process(link);
    CHECK(f.job(link).error_message == "The object s3://bucket/link.csv is outside the s3 directory.");
    CHECK(f.suppressed().empty());
  }
  SUBCASE("more records than a DELETE import may hold, and nothing applied") {
    f.dir.write("s3/b/many.csv", numbered_csv(10'001, 0));
    auto id = f.add_job("s3://b/many.csv", DataFormat::Csv, ImportAction::Delete);
    f.worker->process(id);
    CHECK(f.job(id).status == JobStatus::Failed);
    CHECK(f.job(id).error_message ==
          "The file has more than 10000 records, the limit for a suppression list DELETE import.");
    CHECK(f.job(id).processed_records == 0);
  }
}

TEST_CASE("An interrupted import resumes and ends as an uninterrupted one") {
  const std::string csv = numbered_csv(5'000, 7);
  Fixture whole(500);
  whole.dir.write("s3/b/list.csv", csv);
  auto a = whole.add_job("s3://b/list.csv", DataFormat::Csv);
  whole.worker->process(a);

  Fixture cut(500);
  cut.dir.write("s3/b/list.csv", csv);
  auto b = cut.add_job("s3://b/list.csv", DataFormat::Csv);
  cut.worker->stop();  // a stopping worker returns after its first committed batch
  cut.worker->process(b);
  auto halfway = cut.job(b);
  CHECK(halfway.status == JobStatus::Processing);
  CHECK(halfway.processed_records == 500);
  // A new worker, as after a restart, picks the job up from its checkpoint.
  cut.worker = std::make_unique<ImportWorker>(*cut.db, cut.settings, S3Fetcher{});
  cut.worker->process(b);

  auto x = whole.job(a), y = cut.job(b);
  CHECK(y.status == JobStatus::Completed);
  CHECK(x.processed_records == 5'000);
  CHECK(y.processed_records == x.processed_records);
  CHECK(y.failed_records == x.failed_records);
  CHECK(x.failed_records == 714);
  CHECK(cut.suppressed().size() == whole.suppressed().size());
  CHECK(storage::ImportJobStore(*cut.db).failed_records(b).size() == 714);
}
