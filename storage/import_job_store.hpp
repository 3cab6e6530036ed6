#pragma once
// Import jobs in SQLite: their rows, their state machine's moves and the commit of a job
// run's batch. Methods without a WriteTransaction open their own; reads use a pooled read
// connection.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"
#include "storage/read_cache.hpp"

namespace sesv2mock::storage {

// What one batch of a job run adds to the job: its counts, failed records and the resume
// checkpoint (byte offset and line just past the batch's last record).
struct JobBatch {
  std::int64_t processed = 0;  // records read in this batch, failed ones included
  std::vector<FailedRecord> failures;
  std::int64_t checkpoint_offset = 0;
  std::int64_t checkpoint_line = 0;
  void clear() {
    processed = 0;
    failures.clear();
  }
};

// The batch's effect on its destination, run inside the batch's transaction. Returns false,
// having written nothing, when the destination is gone (a deleted contact list).
using BatchEffects = std::function<bool(WriteTransaction&)>;

enum class BatchOutcome {
  Committed,
  JobNotProcessing,    // cancelled or failed meanwhile: nothing written
  DestinationMissing,  // the effects refused: nothing written
};

class ImportJobStore {
 public:
  explicit ImportJobStore(Database& db) : db_(db) {}

  // Inserts a new job unless the partition already has `max_unfinished` jobs in CREATED
  // or PROCESSING; returns false (and stores nothing) in that case.
  bool insert_if_below_limit(ImportJob& job, std::int64_t max_unfinished);
  // Inserts or replaces a job as given (fixtures) with exactly `failed` as its failed
  // records; its resume checkpoint and source stamp are reset. Keeps a replaced job's place
  // in listings.
  static void upsert(WriteTransaction& tx, const ImportJob& job,
                     const std::vector<FailedRecord>& failed);

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
  // Up to `limit` failed records after line `after_line`, in line order: keyset paging on
  // the primary key, so a download of a million records reads them a page at a time.
  std::vector<FailedRecord> failed_records_page(const std::string& job_id, std::int64_t after_line,
                                                int limit);

  // CREATED or PROCESSING -> FAILED with `error_message`, in one transaction (a CREATED job
  // passes through PROCESSING, the only legal path). False when the job had already ended.
  bool fail_unfinished(const std::string& job_id, double now, const std::string& error_message);

  // A run of a PROCESSING job begins. From the top of its file (`from_top`) the job starts
  // with zero counts, no failed records and `stamp` as its source stamp; when resuming, a
  // job without a stamp takes `stamp`. Returns the stamp the job's progress belongs to
  // (the caller compares it with the file's), or nullopt when the job is not PROCESSING.
  std::optional<std::string> begin_run(const std::string& job_id, bool from_top,
                                       const std::string& stamp);

  // Commits one batch of a PROCESSING job with its effects, all or nothing.
  BatchOutcome commit_batch(const std::string& job_id, const JobBatch& batch,
                            const BatchEffects& effects);

  // PROCESSING -> COMPLETED with `finish`, the job's last effects (merging what it staged),
  // in one transaction; the completion time is taken after `finish` ran.
  BatchOutcome complete(const std::string& job_id, const BatchEffects& finish);

  // Deletes jobs (and their failed records) of one partition, or of all when null.
  void erase_all(const Partition* p);

 private:
  std::optional<ImportJob> load(const Partition& p, const std::string& job_id);

  Database& db_;
  // GetImportJob's read, polled by clients: cached until the next write (read_cache.hpp).
  ReadCache<std::optional<ImportJob>> find_cache_;
};

}  // namespace sesv2mock::storage
