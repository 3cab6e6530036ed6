#pragma once
// Import jobs in SQLite. Every public method takes the Database lock itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

class ImportJobStore {
 public:
  explicit ImportJobStore(Database& db) : db_(db) {}

  // Inserts a new job unless the partition already has `max_unfinished` jobs in CREATED
  // or PROCESSING; returns false (and stores nothing) in that case.
  bool insert_if_below_limit(ImportJob& job, std::int64_t max_unfinished);
  // Inserts or replaces a job as given (fixtures), with its resume checkpoint reset.
  // Keeps a replaced job's place in listings. Caller holds the lock in a transaction.
  static void upsert_locked(Database& db, const ImportJob& job);
  // Adds failed records (a line already recorded is replaced). Caller holds the lock.
  static void add_failed_records_locked(Database& db, const std::string& job_id,
                                        const std::vector<FailedRecord>& records);

  std::optional<ImportJob> find(const std::string& job_id);
  std::optional<ImportJob> find(const Partition& p, const std::string& job_id);

  // Where a listing stops: the last job handed out (newest first by creation time, then
  // by insertion order).
  struct ListPosition {
    double created_timestamp = 0;
    std::int64_t seq = 0;
  };
  // Newest first. `after` continues a listing past that job; nullopt starts at the newest.
  std::vector<ImportJob> list(const Partition& p, std::optional<DestinationType> type,
                              const std::optional<ListPosition>& after, int limit);

  // Jobs in CREATED or PROCESSING, oldest first (the worker's queue).
  std::vector<ImportJob> unfinished();

  // Moves a job from `from` to `to` if it is still in `from` and the move is legal.
  // Entering a final state stamps completed_at; FAILED stores `error_message`.
  // Returns false when the job is not in `from` any more.
  bool transition(const std::string& job_id, JobStatus from, JobStatus to, double now,
                  const std::optional<std::string>& error_message = std::nullopt);

  std::vector<FailedRecord> failed_records(const std::string& job_id);

  // CREATED or PROCESSING -> FAILED with `error_message`, in one transaction (a CREATED job
  // passes through PROCESSING, the only legal path). False when the job had already ended.
  bool fail_unfinished(const std::string& job_id, double now, const std::string& error_message);

  // A job starting from the top of its file begins with zero counts and no failed
  // records (a fixture may have given it others).
  void reset_progress(const std::string& job_id);

  // Deletes jobs (and their failed records) of one partition, or of all when null.
  void erase_all(const Partition* p);

 private:
  Database& db_;
};


}  // namespace sesv2mock::storage
