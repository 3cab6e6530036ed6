#include "storage/import_batch_writer.hpp"

#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock::storage {

template <typename Apply>
BatchOutcome ImportBatchWriter::commit_with(const ImportJob& job, const BatchProgress& progress,
                                            Apply apply) {
  auto lock = db_.lock();
  Transaction tx(db_);
  {
    auto status = db_.query("SELECT status FROM import_jobs WHERE job_id = ?1");
    status->bind(1, job.job_id);
    if (!status->step() || status->column_text(0) != "PROCESSING") {
      return BatchOutcome::JobNotProcessing;
    }
  }
  if (job.destination.type == DestinationType::ContactList &&
      !ContactStore::exists_locked(db_, job.partition, job.destination.contact_list_name)) {
    return BatchOutcome::ContactListMissing;
  }
  apply();
  ImportJobStore::add_failed_records_locked(db_, job.job_id, progress.failures);
  {
    auto update = db_.query(
        "UPDATE import_jobs SET processed_records = processed_records + ?2, "
        "failed_records = failed_records + ?3, checkpoint_offset = ?4, checkpoint_line = ?5 "
        "WHERE job_id = ?1");
    update->bind(1, job.job_id).bind(2, progress.processed);
    update->bind(3, static_cast<std::int64_t>(progress.failures.size()));
    update->bind(4, progress.checkpoint_offset).bind(5, progress.checkpoint_line);
    update->run();
  }
  tx.commit();
  return BatchOutcome::Committed;
}

BatchOutcome ImportBatchWriter::commit(const ImportJob& job, const SuppressionBatch& batch,
                                       const BatchProgress& progress) {
  return commit_with(job, progress, [&] {
    for (const auto& d : batch.puts) SuppressionStore::put_locked(db_, job.partition, d);
    for (const auto& e : batch.deletes) SuppressionStore::erase_locked(db_, job.partition, e);
  });
}

BatchOutcome ImportBatchWriter::commit(const ImportJob& job, const ContactBatch& batch,
                                       const BatchProgress& progress) {
  const auto& list = job.destination.contact_list_name;
  return commit_with(job, progress, [&] {
    for (const auto& c : batch.puts) ContactStore::put_locked(db_, job.partition, list, c);
    for (const auto& e : batch.deletes) ContactStore::erase_locked(db_, job.partition, list, e);
  });
}

}  // namespace sesv2mock::storage
