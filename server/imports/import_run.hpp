#pragma once
// One run of one import job: the only owner of the job's batch while it runs. It opens the
// source (fetching it from an S3 endpoint when one is set), checks the file is the one the
// job started on, lets the target turn records into effects and failures, and commits each
// batch (effects, failed records, counts, checkpoint) through the job store in one
// WriteTransaction. A storage error propagates to the worker, which pauses the job and
// later opens a new run that resumes from the last committed checkpoint.
//
// Without a rate cap the run reads one batch ahead: while the job's thread commits batch k,
// a thread of the run's own reads and parses batch k + 1 (ReadAhead, waited for before the
// next commit and when the run ends), so on two cores a large import costs the time of its
// writes, not of its writes plus its parsing. Only one batch is ever ahead, and the reading
// thread touches only the reader, the target's batch being read and `ahead_batch_`.
#include <cstdint>
#include <memory>
#include <string>

#include "server/core/model.hpp"
#include "server/core/settings.hpp"
#include "server/imports/import_target.hpp"
#include "server/imports/read_ahead.hpp"
#include "server/jobs/job_run.hpp"
#include "server/s3/s3_location.hpp"
#include "storage/import_job_store.hpp"

namespace sesv2mock {

class ImportRun : public JobRun {
 public:
  ImportRun(storage::Database& db, const Settings& settings, S3Fetcher fetcher, ImportJob job);
  ~ImportRun() override;

  Step step() override;

  // The size and modification time of a local file (what a job records at its start to
  // notice a file replaced or cut under it); `with_mtime` false: the size only.
  static std::string source_stamp(const std::string& path, bool with_mtime);

 private:
  void prepare();
  Step next_batch();
  // Reads records into `into` up to a batch (and a resume point), seals them; true at the
  // end of the file.
  bool read_batch(storage::JobBatch& into);
  Step finish_piece();
  void commit_batch();
  void check_source_unchanged() const;
  void fail_if_destination_missing(storage::BatchOutcome outcome) const;
  void end_failed(const std::string& message);
  // The job is over: the target drops what it kept outside the database.
  void job_ended();
  std::string local_path();

  storage::Database& db_;
  storage::ImportJobStore jobs_;
  const Settings& settings_;
  S3Fetcher fetcher_;  // empty: read from the s3 directory
  ImportJob job_;

  std::string path_;
  std::string spool_path_;  // removed when the run ends
  std::string stamp_;
  std::unique_ptr<ImportTarget> target_;
  std::unique_ptr<RecordReader> reader_;
  storage::JobBatch batch_;        // the batch being committed
  storage::JobBatch ahead_batch_;  // the batch being read ahead
  RecordItem item_;
  std::string reason_;
  std::int64_t batch_size_ = 0;
  std::int64_t done_ = 0;  // records committed by this run (for the rate cap)
  bool read_all_ = false;  // every record is committed; pieces of the finish remain
  Clock::time_point started_{};
  // Reads ahead_batch_ (its task returns true at the end of the file); null with a rate cap.
  // Declared last: it goes first, waiting for a read that uses the members above.
  std::unique_ptr<ReadAhead> ahead_;
};

}  // namespace sesv2mock
