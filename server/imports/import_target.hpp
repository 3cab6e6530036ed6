#pragma once
// What an import job writes to. The run reads records; an ImportTarget says what each record
// means for its destination (suppression list or contact list), including which line is a
// header, and collects the effects of one batch, which the job store commits together with
// the batch's progress.
#include <memory>
#include <stdexcept>
#include <string>

#include "server/core/model.hpp"
#include "server/imports/record_readers.hpp"
#include "server/jobs/job_run.hpp"  // JobFailure
#include "storage/database.hpp"

namespace sesv2mock {

enum class RecordOutcome {
  Header,   // a header line: neither counted nor applied
  Applied,  // added to the batch
  Failed,   // counted as failed; `reason` says why
};

class ImportTarget {
 public:
  virtual ~ImportTarget() = default;
  // Called once before reading. `resuming` is true when a checkpoint will be used; the
  // target may read the file's header from `reader` (positioned at the start). False when
  // the job cannot resume (what it kept outside the database is lost): the run then reads
  // the file again from the top, with the job's counts started over.
  virtual bool begin(RecordReader& reader, bool resuming) = 0;
  // Adds a record to the batch being read. take() and seal() may run on the run's reading
  // thread while apply() writes the batch before (see ImportRun): they touch only the batch
  // being read, apply() and clear() only the one handed over.
  virtual RecordOutcome take(const RecordItem& item, std::string& reason) = 0;
  // The file's records exactly as the run will read them (the same reader, so quoted line
  // breaks, blank lines, a BOM and CRLF count the same), headers not counted: what
  // ProcessedRecordsCount reaches at the end. One read of the file, without its effects.
  std::int64_t count_records(const ImportJob& job, const std::string& path);
  // Throws JobFailure when `records` is more than this destination and action allow.
  void check_record_limit(std::int64_t records);
  // Readies the collected effects for their commit (outside the write lock).
  virtual void seal() {}
  // The batch just sealed becomes the one apply() writes, and take() starts an empty one
  // (likewise the piece prepare_piece() readied becomes the one apply_piece() writes).
  // Called on the job's thread while no take(), seal() or prepare_piece() runs.
  virtual void hand_over() = 0;
  // Writes the collected effects inside the batch's transaction; false, writing nothing,
  // when the destination is gone.
  virtual bool apply(storage::WriteTransaction& tx) = 0;
  // Empties the batch handed over, once written.
  virtual void clear() = 0;
  // Work left after the last batch, done a bounded piece per step so no other write waits
  // long for the writer lock (a target that staged its records merges them this way).
  // prepare_piece() readies the next piece outside the lock, false when nothing is left;
  // apply_piece() writes the piece handed over in the piece's own transaction (false,
  // writing nothing, when the destination is gone). Like take(), prepare_piece() may run
  // on the run's reading thread while apply_piece() writes the piece before.
  virtual bool prepare_piece() { return false; }
  virtual bool apply_piece(storage::WriteTransaction&) { return true; }
  // The last effects, in the transaction that completes the job; false, writing nothing,
  // when the destination is gone.
  virtual bool finish(storage::WriteTransaction&) { return true; }
  // The job is over (completed, failed, cancelled): what the target kept outside the
  // database (a scratch file) goes. Not called when a run merely stops (a shutdown, a
  // storage error): the next run resumes with it.
  virtual void job_ended() {}

 protected:
  virtual std::int64_t record_limit() const = 0;
  virtual std::string limit_message() const = 0;
  // Whether `first`, the file's first record, is a header.
  virtual bool is_header(const RecordItem& first) const = 0;
};

std::unique_ptr<ImportTarget> make_suppression_target(const ImportJob& job, storage::Database& db);
std::unique_ptr<ImportTarget> make_contact_target(const ImportJob& job, storage::Database& db);

}  // namespace sesv2mock
