#pragma once
// Export jobs in SQLite: their rows, their state moves (shared with import jobs through
// job_states) and the commit of a run's batch: counts and the resume checkpoint in one
// WriteTransaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/core/export_job.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

// What one batch of an export run adds: rows read and written, and where the next batch
// starts (the last message read, the partial file's length after the batch's rows).
struct ExportBatch {
  std::int64_t processed = 0;
  std::int64_t exported = 0;
  std::int64_t checkpoint_seq = 0;
  std::int64_t checkpoint_offset = 0;
};

class ExportJobStore {
 public:
  explicit ExportJobStore(Database& db) : db_(db) {}

  // Inserts a new job unless the partition already has `max_unfinished` jobs in CREATED or
  // PROCESSING; returns false (and stores nothing) in that case.
  bool insert_if_below_limit(ExportJob& job, std::int64_t max_unfinished);
  // Inserts or replaces a job as given (fixtures); its checkpoint is kept as given.
  static void upsert(WriteTransaction& tx, const ExportJob& job);

  std::optional<ExportJob> find(const std::string& job_id);
  std::optional<ExportJob> find(const Partition& p, const std::string& job_id);

  struct ListPosition {
    double created_timestamp = 0;
    std::int64_t seq = 0;
  };
  // Newest first; filters are optional.
  std::vector<ExportJob> list(const Partition* p, std::optional<ExportSourceType> type,
                              std::optional<JobStatus> status,
                              const std::optional<ListPosition>& after, int limit);

  // Jobs in CREATED or PROCESSING, oldest first (the worker's queue).
  std::vector<ExportJob> unfinished();

  // As ImportJobStore::transition and fail_unfinished.
  bool transition(const std::string& job_id, JobStatus from, JobStatus to, double now,
                  const std::optional<std::string>& error_message = std::nullopt);
  bool fail_unfinished(const std::string& job_id, double now, const std::string& error_message);

  // A PROCESSING job starts over: zero counts, empty checkpoint. False when not PROCESSING.
  bool restart(const std::string& job_id);
  // Adds a batch of a PROCESSING job; false (nothing written) when it is not PROCESSING.
  bool commit_batch(const std::string& job_id, const ExportBatch& batch);
  // PROCESSING -> COMPLETED; false when the job was not PROCESSING.
  bool complete(const std::string& job_id);

  // Deletes the jobs of one partition, or all when null.
  void erase_all(const Partition* p);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
