#include <doctest/doctest.h>

#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
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
    settings.import_batch_size = 2;
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

// Out of address order from the second batch on (so staged), with a later record for an
// address written by an earlier batch: the later record must win.
const std::string kShuffled =
    "emailAddress,unsubscribeAll,topicPreferences.sports\n"
    "e@example.com,false,OPT_IN\n"
    "d@example.com,false,\n"
    "c@example.com,true,\n"
    "b@example.com,false,OPT_IN\n"
    "e@example.com,true,\n"
    "a@example.com,false,\n"
    "broken,false,\n";
const std::string kExpected =
    "a@example.com-0 b@example.com-1 c@example.com+0 d@example.com-0 e@example.com+0 ";

}  // namespace

TEST_CASE("A contact import out of address order stages and ends as applied in file order") {
  ContactImport f;
  auto id = f.add_job(kShuffled);
  sesv2mock::testing::step_job(f.db, f.settings, id);
  auto job = *f.jobs.find(id);
  CHECK(job.status == JobStatus::Completed);
  CHECK(job.processed_records == 7);
  CHECK(job.failed_records == 1);
  CHECK(f.summary() == kExpected);
  CHECK_FALSE(f.contacts.has_staged(id));
}

TEST_CASE("A staging contact import resumed after a stop goes on staging") {
  ContactImport f;
  auto id = f.add_job(kShuffled);
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);  // prepare, a direct and a staged batch
  CHECK(f.contacts.has_staged(id));
  CHECK(f.summary() == "d@example.com-0 e@example.com-1 ");  // staged records not visible yet
  sesv2mock::testing::step_job(f.db, f.settings, id);
  CHECK(f.jobs.find(id)->status == JobStatus::Completed);
  CHECK(f.jobs.find(id)->processed_records == 7);
  CHECK(f.summary() == kExpected);
  CHECK_FALSE(f.contacts.has_staged(id));
}

TEST_CASE("A cancelled staging import leaves nothing staged and applies nothing more") {
  ContactImport f;
  auto id = f.add_job(kShuffled);
  sesv2mock::testing::step_job(f.db, f.settings, id, 3);
  REQUIRE(f.contacts.has_staged(id));
  CHECK(f.jobs.transition(id, JobStatus::Processing, JobStatus::Cancelled, now_epoch_seconds()));
  CHECK_FALSE(f.contacts.has_staged(id));
  CHECK(f.summary() == "d@example.com-0 e@example.com-1 ");
}

TEST_CASE("A staged DELETE import removes the addresses at its end") {
  ContactImport f;
  sesv2mock::testing::step_job(f.db, f.settings, f.add_job(kShuffled));
  auto id = f.add_job("emailAddress\ne@example.com\nd@example.com\na@example.com\n",
                      ImportAction::Delete);
  sesv2mock::testing::step_job(f.db, f.settings, id);
  CHECK(f.jobs.find(id)->status == JobStatus::Completed);
  CHECK(f.summary() == "b@example.com-1 c@example.com+0 ");
}
