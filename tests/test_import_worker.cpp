#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "server/core/errors.hpp"
#include "server/jobs/import_worker.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"
#include "tests/job_test_support.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::TempDir;
using sesv2mock::testing::wait_final;
using Clock = std::chrono::steady_clock;

namespace {

// A fresh database and s3 directory; jobs run by hand (run()) or by a worker.
struct Fixture {
  TempDir dir;
  Settings settings;
  std::unique_ptr<storage::Database> db;

  explicit Fixture(int batch_size = 2'000) {
    settings.s3_dir = dir.file("s3");
    settings.import_batch_size = batch_size;
    db = std::make_unique<storage::Database>(dir.file("db.sqlite"));
  }

  // Runs a PROCESSING job on this thread: at most `steps` steps, or to its end.
  void run(const std::string& id, int steps = -1) {
    sesv2mock::testing::step_job(*db, settings, id, steps);
  }

  std::string add_job(const std::string& url, DataFormat format,
                      ImportAction action = ImportAction::Put, bool start = true) {
    ImportJob job;
    job.job_id = "job-" + std::to_string(++jobs_made);
    job.destination = {DestinationType::SuppressionList, action, ""};
    job.source = {url, format};
    job.created_timestamp = job.status_changed_at = now_epoch_seconds();
    storage::ImportJobStore store(*db);
    store.insert_if_below_limit(job, 100);
    if (start) {
      store.transition(job.job_id, JobStatus::Created, JobStatus::Processing, now_epoch_seconds());
    }
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
  f.run(id);
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

TEST_CASE("A suppression batch is written in address order, and the later of two records wins") {
  Fixture f;
  // One batch (sorted before it is written): z first in the file, b twice.
  f.dir.write("s3/bucket/order.csv",
              "z@example.com,BOUNCE\nb@example.com,BOUNCE\na@example.com,COMPLAINT\n"
              "b@example.com,COMPLAINT\n");
  auto id = f.add_job("s3://bucket/order.csv", DataFormat::Csv);
  f.run(id);
  CHECK(f.job(id).status == JobStatus::Completed);
  CHECK(f.job(id).processed_records == 4);
  auto rows = f.suppressed();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].email_address == "a@example.com");
  CHECK(rows[1].email_address == "b@example.com");
  CHECK(rows[1].reason == SuppressionReason::Complaint);
  CHECK(rows[2].reason == SuppressionReason::Bounce);
}

TEST_CASE("ImportWorker processes JSON and DELETE imports") {
  Fixture f;
  f.dir.write("s3/b/put.json",
              "{\"emailAddress\":\"x@example.com\",\"reason\":\"BOUNCE\"}\n"
              "{\"emailAddress\":\"y@example.com\",\"reason\":\"COMPLAINT\"}\n"
              "{\"emailAddress\":\"z@example.com\",\"reason\":\"BOUNCE\"}\n");
  auto put = f.add_job("s3://b/put.json", DataFormat::Json);
  f.run(put);
  CHECK(f.job(put).processed_records == 3);
  CHECK(f.suppressed().size() == 3);

  f.dir.write("s3/b/delete.csv", "x@example.com\nZ@EXAMPLE.COM\nnobody@example.com\n");
  auto del = f.add_job("s3://b/delete.csv", DataFormat::Csv, ImportAction::Delete);
  f.run(del);
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
    f.run(id);
    CHECK(f.job(id).status == JobStatus::Failed);
    CHECK(f.job(id).error_message == "The object s3://bucket/none.csv does not exist.");
  }
  SUBCASE("keys that leave the s3 directory") {
    f.dir.write("secret.csv", "a@b.com,BOUNCE\n");
    auto up = f.add_job("s3://bucket/../../secret.csv", DataFormat::Csv);
    f.run(up);
    CHECK(f.job(up).error_message ==
          "The object s3://bucket/../../secret.csv is outside the s3 directory.");
    std::filesystem::create_directories(f.dir.path() / "s3" / "bucket");
    std::filesystem::create_symlink(f.dir.path() / "secret.csv",
                                    f.dir.path() / "s3" / "bucket" / "link.csv");
    auto link = f.add_job("s3://bucket/link.csv", DataFormat::Csv);
    f.run(link);
    CHECK(f.job(link).error_message ==
          "The object s3://bucket/link.csv is outside the s3 directory.");
    CHECK(f.suppressed().empty());
  }
  SUBCASE("more records than a DELETE import may hold, and nothing applied") {
    f.dir.write("s3/b/many.csv", numbered_csv(10'001, 0));
    auto id = f.add_job("s3://b/many.csv", DataFormat::Csv, ImportAction::Delete);
    f.run(id);
    CHECK(f.job(id).status == JobStatus::Failed);
    CHECK(f.job(id).error_message ==
          "The file has more than 10000 records, the limit for a suppression list DELETE import.");
    CHECK(f.job(id).total_records == 10'001);  // the inspector shows the count beside it
    CHECK(f.job(id).processed_records == 0);
  }
}

TEST_CASE("An interrupted import resumes and ends as an uninterrupted one") {
  const std::string csv = numbered_csv(5'000, 7);
  Fixture whole(500);
  whole.dir.write("s3/b/list.csv", csv);
  auto a = whole.add_job("s3://b/list.csv", DataFormat::Csv);
  whole.run(a);

  Fixture cut(500);
  cut.dir.write("s3/b/list.csv", csv);
  auto b = cut.add_job("s3://b/list.csv", DataFormat::Csv);
  cut.run(b, 2);  // prepare and one batch, then the run is dropped as by a stop or a crash
  auto halfway = cut.job(b);
  CHECK(halfway.status == JobStatus::Processing);
  CHECK(halfway.processed_records == 500);
  // A new run, as after a restart, picks the job up from its checkpoint.
  cut.run(b);

  auto x = whole.job(a), y = cut.job(b);
  CHECK(y.status == JobStatus::Completed);
  CHECK(x.processed_records == 5'000);
  CHECK(y.processed_records == x.processed_records);
  CHECK(y.failed_records == x.failed_records);
  CHECK(x.failed_records == 714);
  CHECK(cut.suppressed().size() == whole.suppressed().size());
  CHECK(storage::ImportJobStore(*cut.db).failed_records(b).size() == 714);
}

TEST_CASE("A source file changed under a job fails it instead of completing it short") {
  const std::string csv = numbered_csv(3'000, 0);
  Fixture f(500);
  f.dir.write("s3/b/list.csv", csv);
  auto id = f.add_job("s3://b/list.csv", DataFormat::Csv);
  SUBCASE("cut while the job reads it") {
    sesv2mock::testing::step_job(*f.db, f.settings, id, 2);  // 500 records committed
    ImportRun run(*f.db, f.settings, S3Fetcher{}, f.job(id));
    REQUIRE_FALSE(run.step().done);  // prepared, file as recorded
    f.dir.write("s3/b/list.csv", csv.substr(0, csv.size() / 2));
    while (!run.step().done) {
    }
  }
  SUBCASE("cut below the checkpoint while the server is down") {
    f.run(id, 3);  // 1,000 records committed, then a stop
    REQUIRE(f.job(id).processed_records == 1'000);
    f.dir.write("s3/b/list.csv", csv.substr(0, csv.size() / 4));
    f.run(id);
  }
  auto job = f.job(id);
  CHECK(job.status == JobStatus::Failed);
  REQUIRE(job.error_message);
  CHECK(job.error_message->find("The object s3://b/list.csv changed") == 0);
  CHECK(job.processed_records < 3'000);
}

TEST_CASE("Jobs share the pool round-robin: a small job is not held behind a large one") {
  Fixture f;
  f.settings.job_threads = 1;  // fairness, not just more threads
  f.settings.import_rate = 1'000;
  f.dir.write("s3/b/large.csv", numbered_csv(10'000, 0));
  f.dir.write("s3/b/small.csv", numbered_csv(1, 0));
  ImportWorker worker(*f.db, f.settings, S3Fetcher{});
  worker.start();
  auto large = f.add_job("s3://b/large.csv", DataFormat::Csv, ImportAction::Put, false);
  worker.wake();
  const auto until = Clock::now() + std::chrono::seconds(5);
  while (f.job(large).processed_records == 0 && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(f.job(large).processed_records > 0);
  auto small = f.add_job("s3://b/small.csv", DataFormat::Csv, ImportAction::Put, false);
  const auto created = Clock::now();
  worker.wake();
  auto done = wait_final(*f.db, small, std::chrono::seconds(5));
  auto waited = Clock::now() - created;
  CHECK(done.status == JobStatus::Completed);
  CHECK(done.processed_records == 1);
  CHECK(waited < std::chrono::seconds(1));  // the large job needs 10 s at 1,000/s
  CHECK(f.job(large).status == JobStatus::Processing);
  worker.stop();  // the large job stays PROCESSING with its checkpoint
  CHECK(f.job(large).status == JobStatus::Processing);
}

TEST_CASE("advance never runs an import on the caller's thread") {
  Fixture f;
  f.settings.processing_mode = ProcessingMode::Manual;
  f.settings.import_rate = 1'000;  // 5 s of work
  f.dir.write("s3/b/list.csv", numbered_csv(5'000, 0));
  ImportWorker worker(*f.db, f.settings, S3Fetcher{});
  worker.start();
  auto id = f.add_job("s3://b/list.csv", DataFormat::Csv, ImportAction::Put, false);
  CHECK(worker.advance(id) == JobStatus::Processing);  // the cheap move, done at once
  auto started = Clock::now();
  CHECK(worker.advance(id) == JobStatus::Processing);  // handed to the pool
  CHECK(Clock::now() - started < std::chrono::milliseconds(500));
  CHECK(worker.is_busy(id));
  CHECK_THROWS_AS(worker.advance(id), ApiError);  // already running
  const auto until = Clock::now() + std::chrono::seconds(5);
  while (f.job(id).processed_records == 0 && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(f.job(id).processed_records > 0);  // the pool runs it, whatever the mode
  CHECK(worker.fail(id, "stopped by the test"));
  auto failed = wait_final(*f.db, id);
  CHECK(failed.status == JobStatus::Failed);
  CHECK(failed.error_message == "stopped by the test");
  worker.stop();
}

TEST_CASE("A full disk pauses a job, which resumes from its checkpoint when space returns") {
  Fixture f(1'000);
  f.dir.write("s3/b/list.csv", numbered_csv(20'000, 0));
  auto set_max_pages = [&](std::int64_t pages) {
    storage::WriteTransaction tx(*f.db);
    tx.exec("PRAGMA max_page_count = " + std::to_string(pages));
    tx.commit();
  };
  std::int64_t pages = 0;
  {
    storage::ReadConnection r(*f.db);
    auto q = r.query("PRAGMA page_count");
    REQUIRE(q->step());
    pages = q->column_int64(0);
  }
  ImportWorker worker(*f.db, f.settings, S3Fetcher{});
  auto id = f.add_job("s3://b/list.csv", DataFormat::Csv);
  set_max_pages(pages + 60);  // room for a few batches of the 20
  worker.start();
  // Wait for the job to stall: PROCESSING, its count unchanged for a while.
  std::int64_t last = -1;
  auto stable_since = Clock::now();
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < until && Clock::now() - stable_since < std::chrono::milliseconds(700)) {
    auto job = f.job(id);
    REQUIRE(job.status == JobStatus::Processing);
    if (job.processed_records != last) {
      last = job.processed_records;
      stable_since = Clock::now();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto stalled = f.job(id);
  CHECK(stalled.status == JobStatus::Processing);
  CHECK(stalled.processed_records > 0);
  CHECK(stalled.processed_records < 20'000);
  CHECK(worker.is_busy(id));
  set_max_pages(1'000'000'000);  // space freed
  auto done = wait_final(*f.db, id, std::chrono::seconds(15));
  worker.stop();
  CHECK(done.status == JobStatus::Completed);
  CHECK(done.processed_records == 20'000);
  CHECK(done.failed_records == 0);
  CHECK(f.suppressed().size() == 20'000);
}

TEST_CASE("A suppression import's addresses reach the filter that sends look through") {
  Fixture f(8);
  storage::SuppressionStore store(*f.db);
  const Partition p;
  // A send looked before the import: the filter is complete, so from now on an address it
  // rules out is answered "not suppressed" without a read. The import adds its addresses on
  // the thread that reads ahead, not where it writes them.
  CHECK_FALSE(store.find(p, "nobody@example.com").has_value());
  REQUIRE(f.db->suppression_filter().complete());
  std::string csv = "emailAddress,reason\n";
  for (int i = 0; i < 37; ++i)
    csv += "s" + std::to_string(i) + "@example.com," + (i % 2 ? "BOUNCE" : "COMPLAINT") + "\n";
  f.dir.write("s3/bucket/suppressed.csv", csv);
  auto id = f.add_job("s3://bucket/suppressed.csv", DataFormat::Csv);
  f.run(id);
  REQUIRE(f.job(id).status == JobStatus::Completed);
  CHECK(f.job(id).processed_records == 37);
  for (int i = 0; i < 37; ++i) {
    auto found = store.find(p, "s" + std::to_string(i) + "@example.com");
    REQUIRE(found.has_value());
    CHECK(found->reason == (i % 2 ? SuppressionReason::Bounce : SuppressionReason::Complaint));
  }
  CHECK_FALSE(store.find(p, "s37@example.com").has_value());
}
