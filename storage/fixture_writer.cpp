#include "storage/fixture_writer.hpp"

#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock::storage {

void write_fixtures(Database& db, const FixtureSet& fixtures) {
  auto lock = db.lock();
  Transaction tx(db);
  for (const auto& [job, failed] : fixtures.jobs) {
    ImportJob fresh = job;
    fresh.checkpoint_offset = fresh.checkpoint_line = 0;  // a fixture job starts its file afresh
    ImportJobStore::upsert_locked(db, fresh);
    auto clear = db.query("DELETE FROM failed_records WHERE job_id = ?1");
    clear->bind(1, job.job_id);
    clear->run();
    ImportJobStore::add_failed_records_locked(db, job.job_id, failed);
  }
  for (const auto& [partition, destination] : fixtures.suppressed) {
    SuppressionStore::put_locked(db, partition, destination);
  }
  for (const auto& fixture : fixtures.contact_lists) {
    ContactStore::upsert_list_locked(db, fixture.partition, fixture.list);
    for (const auto& contact : fixture.contacts) {
      ContactStore::put_locked(db, fixture.partition, fixture.list.contact_list_name, contact);
    }
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
