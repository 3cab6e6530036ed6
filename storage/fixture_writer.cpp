#include "storage/fixture_writer.hpp"

#include "storage/contact_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock::storage {

void write_fixtures(Database& db, const FixtureSet& fixtures) {
  auto lock = db.lock();
  Transaction tx(db);
  for (const auto& [job, failed] : fixtures.jobs) {
    auto q = db.query(
        "INSERT INTO import_jobs (job_id, account, region, destination_type, import_action, "
        "contact_list_name, s3_url, data_format, status, created_at, completed_at, "
        "processed_records, failed_records, error_message, checkpoint_offset, checkpoint_line, "
        "status_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "0, 0, ?15) ON CONFLICT (job_id) DO UPDATE SET account = excluded.account, "
        "region = excluded.region, destination_type = excluded.destination_type, "
        "import_action = excluded.import_action, contact_list_name = excluded.contact_list_name, "
        "s3_url = excluded.s3_url, data_format = excluded.data_format, status = excluded.status, "
        "created_at = excluded.created_at, completed_at = excluded.completed_at, "
        "processed_records = excluded.processed_records, failed_records = excluded.failed_records, "
        "error_message = excluded.error_message, checkpoint_offset = 0, checkpoint_line = 0, "
        "status_changed_at = excluded.status_changed_at");
    q->bind(1, job.job_id).bind(2, job.partition.account).bind(3, job.partition.region);
    q->bind(4, to_string(job.destination.type)).bind(5, to_string(job.destination.action));
    if (job.destination.type == DestinationType::ContactList) {
      q->bind(6, job.destination.contact_list_name);
    } else {
      q->bind_null(6);
    }
    q->bind(7, job.source.s3_url).bind(8, to_string(job.source.data_format));
    q->bind(9, to_string(job.status)).bind(10, job.created_timestamp);
    q->bind(11, job.completed_timestamp).bind(12, job.processed_records);
    q->bind(13, job.failed_records).bind(14, job.error_message).bind(15, job.status_changed_at);
    q->run();
    auto clear = db.query("DELETE FROM failed_records WHERE job_id = ?1");
    clear->bind(1, job.job_id);
    clear->run();
    auto insert = db.query(
        "INSERT OR REPLACE INTO failed_records (job_id, line, record, reason) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& f : failed) {
      insert->bind(1, job.job_id).bind(2, f.line).bind(3, f.record).bind(4, f.reason);
      insert->run();
      insert->reset();
    }
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
