#include <doctest/doctest.h>

#include <filesystem>

#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
#include "storage/import_scratch.hpp"
#include "storage/meta_store.hpp"
#include "tests/job_test_support.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::TempDir;

namespace {

struct ContactImport {
  TempDir dir;
  Settings settings;
  storage::Database db{dir.file("db.sqlite")};
  storage::ContactStore contacts{db};
  storage::ImportJobStore jobs{db};
  const Partition p;

  ContactImport() {
    settings.s3_dir = dir.file("s3");
    settings.import_batch_size = 8;
    ContactList list;
    list.contact_list_name = "news";
    list.topics.push_back({"sports", "Sports", "", SubscriptionStatus::OptOut});
    REQUIRE(contacts.create_list(p, list, 1) == storage::ListCreateOutcome::Created);
  }

  std::string add_job(const std::string& content, ImportAction action = ImportAction::Put) {
    static int n = 0;
    const std::string key = "f" + std::to_string(++n) + ".csv";
    dir.write("s3/bucket/" + key, content);
    ImportJob job;
    job.job_id = "job-" + key;
    job.destination = {DestinationType::ContactList, action, "news"};
    job.source = {"s3://bucket/" + key, DataFormat::Csv};
    job.created_timestamp = job.status_changed_at = now_epoch_seconds();
    REQUIRE(jobs.insert_if_below_limit(job, 100));
    jobs.transition(job.job_id, JobStatus::Created, JobStatus::Processing, now_epoch_seconds());
    return job.job_id;
  }

  std::string summary() {
    std::string out;
    for (const auto& c : contacts.contacts(p, "news", "", 100, {})) {
      out += c.email_address + (c.unsubscribe_all ? "+" : "-") +
             std::to_string(c.topic_preferences.size()) + " ";
    }
    return out;
  }
};

// Addresses in descending order (so the import stages from its first batch of 8), a later
// record for an address of the first batch (it must win) and a broken record: 26 records.
std::string shuffled() {
  std::string out = "emailAddress,unsubscribeAll,topicPreferences.sports\n";
  for (int i = 23; i >= 0; --i) {
    out += "u" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "@example.com,false," +
           (i % 2 ? "OPT_IN" : "") + "\n";
  }
  return out + "u20@example.com,true,\nbroken,false,\n";
}

// Whether the job has staged records a committed batch counts.
bool staged(ContactImport& f, const std::string& id) {
  return storage::committed_scratch_length(f.db, id).has_value();
}

bool scratch_file_exists(ContactImport& f, const std::string& id) {
  return std::filesystem::exists(storage::import_scratch_path(f.db, id));
}

std::string expected() {
  std::string out;
  for (int i = 0; i <= 23; ++i) {
    out += "u" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "@example.com" +
           (i == 20 ? "+" : "-") + (i % 2 ? "1" : "0") + " ";
  }
  return out;
}

}  // namespace

TEST_CASE("A contact import in random address order stages, and ends as applied in order") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  sesv2mock::testing::step_job(f.db, f.settings, id);
  auto job = *f.jobs.find(id);
  CHECK(job.status == JobStatus::Completed);
  CHECK(job.processed_records == 26);
  CHECK(job.failed_records == 1);
  CHECK(f.summary() == expected());
  CHECK_FALSE(staged(f, id));
  CHECK_FALSE(scratch_file_exists(f, id));  // removed when the job ended
}

TEST_CASE("A staging contact import resumed after a stop goes on staging") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);  // prepare and two staged batches
  CHECK(staged(f, id));
  CHECK(scratch_file_exists(f, id));  // a stopped run keeps it for the next
  CHECK(f.summary().empty());         // staged records are applied when the job completes
  sesv2mock::testing::step_job(f.db, f.settings, id);
  CHECK(f.jobs.find(id)->status == JobStatus::Completed);
  CHECK(f.jobs.find(id)->processed_records == 26);
  CHECK(f.summary() == expected());
  CHECK_FALSE(staged(f, id));
  CHECK_FALSE(scratch_file_exists(f, id));
}

TEST_CASE("A staging import whose scratch file is lost reads its file again from the top") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);
  REQUIRE(staged(f, id));
  REQUIRE(f.jobs.find(id)->processed_records == 16);
  SUBCASE("removed") {
    std::filesystem::remove(storage::import_scratch_path(f.db, id));
  }
  SUBCASE("cut") {
    const auto path = storage::import_scratch_path(f.db, id);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 1);
  }
  sesv2mock::testing::step_job(f.db, f.settings, id);
  auto job = *f.jobs.find(id);
  CHECK(job.status == JobStatus::Completed);
  CHECK(job.processed_records == 26);  // counted once, not 16 + 26
  CHECK(job.failed_records == 1);
  CHECK(f.jobs.failed_records(id).size() == 1);
  CHECK(f.summary() == expected());
}

TEST_CASE("A cancelled staging import leaves nothing staged and applies nothing more") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);
  REQUIRE(staged(f, id));
  CHECK(f.jobs.transition(id, JobStatus::Processing, JobStatus::Cancelled, now_epoch_seconds()));
  CHECK_FALSE(staged(f, id));
  CHECK(f.summary().empty());
  // No run saw the cancel (the job was between runs): the sweep of the worker's scan
  // removes the file.
  CHECK(scratch_file_exists(f, id));
  storage::sweep_import_scratch(f.db);
  CHECK_FALSE(scratch_file_exists(f, id));
}

TEST_CASE("A staging import cancelled while it runs removes its scratch file") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  auto job = f.jobs.find(id);
  ImportRun run(f.db, f.settings, {}, *job);
  CHECK_FALSE(run.step().done);  // prepare
  CHECK_FALSE(run.step().done);  // a staged batch (the next is read meanwhile)
  REQUIRE(scratch_file_exists(f, id));
  CHECK(f.jobs.transition(id, JobStatus::Processing, JobStatus::Cancelled, now_epoch_seconds()));
  CHECK(run.step().done);  // sees the cancel at its commit
  CHECK_FALSE(scratch_file_exists(f, id));
  CHECK(f.summary().empty());
}

TEST_CASE("A staged DELETE import removes the addresses at its end") {
  ContactImport f;
  sesv2mock::testing::step_job(f.db, f.settings, f.add_job(shuffled()));
  std::string deletes = "emailAddress\n";
  for (int i = 23; i >= 2; --i)
    deletes += "u" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "@example.com\n";
  auto id = f.add_job(deletes, ImportAction::Delete);
  sesv2mock::testing::step_job(f.db, f.settings, id);
  CHECK(f.jobs.find(id)->status == JobStatus::Completed);
  CHECK(f.summary() == "u00@example.com-0 u01@example.com-1 ");
}

namespace {

// Appends `emails` (in that order, sorted as a batch is) as one run of job `id` and commits
// the file's new length; each address's attributes name its position in the whole file so
// the winner of a repeated address shows.
void stage(ContactImport& f, storage::ScratchWriter& writer, const std::string& id,
           std::vector<std::string> emails, int& position, bool commit = true) {
  std::vector<storage::StagedContact> run;
  for (const auto& e : emails)
    run.push_back({e, false, "{\"at\":" + std::to_string(position++) + "}", "[]", 5.0});
  std::stable_sort(run.begin(), run.end(),
                   [](const auto& a, const auto& b) { return a.email < b.email; });
  const std::int64_t length = writer.append_run(run);
  if (!commit)
    return;
  storage::WriteTransaction tx(f.db);
  storage::save_scratch_length(tx, id, length);
  tx.commit();
}

// "address:at" of every contact of the list, in address order.
std::string attributes(ContactImport& f) {
  std::string out;
  for (const auto& c : f.contacts.contacts(f.p, "news", "", 100, {}))
    out += c.email_address.substr(0, 1) + (c.attributes_data ? c.attributes_data->substr(6) : "?") +
           " ";
  return out;
}

// One piece of a ScratchMerge in its own transaction; false when nothing was left.
bool merge_piece(ContactImport& f, storage::ScratchMerge& merge, const std::string& id,
                 std::size_t limit) {
  std::vector<storage::StagedContact> piece;
  if (!merge.next(limit, piece))
    return false;
  storage::WriteTransaction tx(f.db);
  REQUIRE(storage::ContactStore::apply_staged(tx, f.p, "news", piece, false));
  storage::ScratchMerge::save_progress(tx, id, piece);
  tx.commit();
  return true;
}

}  // namespace

TEST_CASE("A staged merge writes in pieces, lets other writes in between and resumes") {
  ContactImport f;
  const std::string id = "job-merge";
  int position = 0;
  int elsewhere = 100;
  storage::ScratchWriter other_job(f.db, "job-other");
  stage(f, other_job, "job-other", {"b@x.com"}, elsewhere);  // another job's file stays
  storage::ScratchWriter writer(f.db, id);
  stage(f, writer, id, {"e@x.com", "b@x.com", "d@x.com"}, position);
  stage(f, writer, id, {"a@x.com", "b@x.com", "f@x.com", "b@x.com"}, position);  // b: 6 wins
  stage(f, writer, id, {"c@x.com", "g@x.com"}, position);
  {
    storage::ScratchMerge merge(f.db, id);
    CHECK(merge_piece(f, merge, id, 2));  // a, b (three records, one write)
    CHECK(attributes(f) == "a3} b6} ");
    // A write of someone else between two pieces does not wait for the whole merge.
    Contact other;
    other.email_address = "z@x.com";
    CHECK(f.contacts.create_contact(f.p, "news", other, {}) ==
          storage::ContactWriteOutcome::Written);
    CHECK(merge_piece(f, merge, id, 2));  // c, d
    CHECK(attributes(f) == "a3} b6} c7} d2} z? ");
  }
  // A new run (after a crash) goes on after the last piece written.
  storage::ScratchMerge resumed(f.db, id);
  CHECK(merge_piece(f, resumed, id, 2));  // e, f
  CHECK(merge_piece(f, resumed, id, 2));  // g
  CHECK_FALSE(merge_piece(f, resumed, id, 2));
  CHECK(attributes(f) == "a3} b6} c7} d2} e0} f5} g8} z? ");
  CHECK(storage::committed_scratch_length(f.db, "job-other").has_value());
}

TEST_CASE("A resumed scratch file is cut back to what committed batches count") {
  ContactImport f;
  const std::string id = "job-cut";
  int position = 0;
  std::int64_t committed = 0;
  {
    storage::ScratchWriter writer(f.db, id);
    stage(f, writer, id, {"b@x.com", "a@x.com"}, position);
    committed = *storage::committed_scratch_length(f.db, id);
    // A run appended by a batch that never committed (read ahead, then a kill -9).
    stage(f, writer, id, {"c@x.com", "a@x.com"}, position, /*commit=*/false);
  }
  const auto path = storage::import_scratch_path(f.db, id);
  REQUIRE(static_cast<std::int64_t>(std::filesystem::file_size(path)) > committed);
  storage::ScratchWriter resumed(f.db, id);
  REQUIRE(resumed.resume(committed));
  CHECK(static_cast<std::int64_t>(std::filesystem::file_size(path)) == committed);
  stage(f, resumed, id, {"d@x.com"}, position);
  storage::ScratchMerge merge(f.db, id);
  CHECK(merge_piece(f, merge, id, 10));
  CHECK(attributes(f) == "a1} b0} d4} ");  // not c, and a from the first run
  // Shorter than committed: cannot resume.
  std::filesystem::resize_file(path, committed - 1);
  storage::ScratchWriter cut(f.db, id);
  CHECK_FALSE(cut.resume(committed));
}

TEST_CASE("The sweep removes scratch files of ended or deleted jobs and keeps the others") {
  ContactImport f;
  auto running = f.add_job(shuffled());
  auto ended = f.add_job(shuffled());
  int position = 0;
  for (const auto& id : {running, ended, std::string("job-deleted")}) {
    storage::ScratchWriter writer(f.db, id);
    stage(f, writer, id, {"a@x.com"}, position);
  }
  f.jobs.transition(ended, JobStatus::Processing, JobStatus::Failed, now_epoch_seconds(), "x");
  storage::sweep_import_scratch(f.db);
  CHECK(scratch_file_exists(f, running));
  CHECK_FALSE(scratch_file_exists(f, ended));
  CHECK_FALSE(scratch_file_exists(f, "job-deleted"));
  f.jobs.erase_all(nullptr);  // a reset
  CHECK_FALSE(scratch_file_exists(f, running));
}

TEST_CASE("The scratch files of a \":memory:\" database go with it") {
  std::string path;
  {
    storage::Database db(":memory:");
    path = storage::import_scratch_path(db, "job-memory");
    storage::ScratchWriter writer(db, "job-memory");
    writer.append_run({{"a@x.com", false, std::nullopt, "[]", 1.0}});
    CHECK(std::filesystem::exists(path));
    CHECK(path.starts_with(std::filesystem::temp_directory_path().string()));
  }
  CHECK_FALSE(std::filesystem::exists(path));
}
