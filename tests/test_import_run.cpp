#include <doctest/doctest.h>

#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
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
  CHECK_FALSE(f.contacts.has_staged(id));
}

TEST_CASE("A staging contact import resumed after a stop goes on staging") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);  // prepare and two staged batches
  CHECK(f.contacts.has_staged(id));
  CHECK(f.summary().empty());  // staged records are applied when the job completes
  sesv2mock::testing::step_job(f.db, f.settings, id);
  CHECK(f.jobs.find(id)->status == JobStatus::Completed);
  CHECK(f.jobs.find(id)->processed_records == 26);
  CHECK(f.summary() == expected());
  CHECK_FALSE(f.contacts.has_staged(id));
}

TEST_CASE("A cancelled staging import leaves nothing staged and applies nothing more") {
  ContactImport f;
  auto id = f.add_job(shuffled());
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);
  REQUIRE(f.contacts.has_staged(id));
  CHECK(f.jobs.transition(id, JobStatus::Processing, JobStatus::Cancelled, now_epoch_seconds()));
  CHECK_FALSE(f.contacts.has_staged(id));
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

// Stages `emails` (in that order) as one batch of job `id`, each address's attributes
// naming its position in the whole file so the winner of a repeated address shows.
void stage(ContactImport& f, const std::string& id, const std::vector<std::string>& emails,
           int& position) {
  storage::ContactBatch batch;
  for (const auto& e : emails) {
    Contact c;
    c.email_address = e;
    c.attributes_data = "{\"at\":" + std::to_string(position++) + "}";
    c.last_updated_timestamp = 5.0;
    batch.puts.push_back(c);
  }
  storage::WriteTransaction tx(f.db);
  REQUIRE(storage::ContactStore::stage(tx, id, f.p, "news", batch));
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

// One piece of a StagedMerge in its own transaction; false when nothing was left.
bool merge_piece(ContactImport& f, storage::StagedMerge& merge, std::size_t limit) {
  if (!merge.next(limit))
    return false;
  storage::WriteTransaction tx(f.db);
  REQUIRE(merge.write(tx, f.p, "news", false));
  tx.commit();
  return true;
}

}  // namespace

TEST_CASE("A staged merge writes in pieces, lets other writes in between and resumes") {
  ContactImport f;
  const std::string id = "job-merge";
  int position = 0;
  int elsewhere = 100;
  stage(f, "job-other", {"b@x.com"}, elsewhere);  // another job's staging stays
  stage(f, id, {"e@x.com", "b@x.com", "d@x.com"}, position);
  stage(f, id, {"a@x.com", "b@x.com", "f@x.com"}, position);  // b again: position 4 wins
  stage(f, id, {"c@x.com", "g@x.com"}, position);
  {
    storage::StagedMerge merge(f.db, id);
    CHECK(merge_piece(f, merge, 3));  // a, b(1), b(4)
    CHECK(attributes(f) == "a3} b4} ");
    // A write of someone else between two pieces does not wait for the whole merge.
    Contact other;
    other.email_address = "z@x.com";
    CHECK(f.contacts.create_contact(f.p, "news", other, {}) ==
          storage::ContactWriteOutcome::Written);
    CHECK(merge_piece(f, merge, 3));  // c, d, e
  }
  // A new run (after a crash) goes on after the last piece written.
  storage::StagedMerge resumed(f.db, id);
  CHECK(merge_piece(f, resumed, 3));  // f, g: the sorted read is done
  CHECK(attributes(f) == "a3} b4} c6} d2} e0} f5} g7} z? ");
  CHECK(f.contacts.has_staged(id));
  CHECK(merge_piece(f, resumed, 3));  // empties 3 of the 8 staged rows
  CHECK(merge_piece(f, resumed, 3));
  CHECK(merge_piece(f, resumed, 3));  // the last 2: done
  CHECK_FALSE(f.contacts.has_staged(id));
  CHECK_FALSE(merge_piece(f, resumed, 3));
  CHECK_FALSE(storage::MetaStore(f.db).get(storage::kMergeProgressKeyPrefix + id));
  CHECK(attributes(f) == "a3} b4} c6} d2} e0} f5} g7} z? ");
  CHECK(f.contacts.has_staged("job-other"));
}

TEST_CASE("A staged merge holds no snapshot between its pieces: a checkpoint copies them all") {
  ContactImport f;
  const std::string id = "job-snapshot";
  int position = 0;
  stage(f, id, {"c@x.com", "a@x.com", "b@x.com"}, position);
  storage::StagedMerge merge(f.db, id);
  CHECK(merge_piece(f, merge, 1));  // sorted, and a written after the sort
  auto own = f.db.open_own_connection();
  own->exec("SELECT count(*) FROM sqlite_master");  // knows the database is in WAL mode
  auto q = own->cached("PRAGMA wal_checkpoint(PASSIVE)");
  REQUIRE(q->step());
  // A sorted read kept open since before that piece's commit would stop the copy short.
  CHECK(q->column_int64(1) > 0);
  CHECK(q->column_int64(2) == q->column_int64(1));
  q->reset();
  CHECK(merge_piece(f, merge, 2));
  CHECK(attributes(f) == "a1} b2} c0} ");
}

TEST_CASE("The only job with staged rows empties its staging in one piece") {
  ContactImport f;
  const std::string id = "job-alone";
  int position = 0;
  stage(f, id, {"b@x.com", "a@x.com", "c@x.com", "a@x.com"}, position);
  storage::StagedMerge merge(f.db, id);
  CHECK(merge_piece(f, merge, 10));  // all four records
  CHECK(attributes(f) == "a3} b0} c2} ");
  CHECK(f.contacts.has_staged(id));
  CHECK(merge_piece(f, merge, 2));  // the whole staging at once, though the piece is 2
  CHECK_FALSE(f.contacts.has_staged(id));
  CHECK_FALSE(merge_piece(f, merge, 2));
  CHECK_FALSE(storage::MetaStore(f.db).get(storage::kMergeProgressKeyPrefix + id));
}
