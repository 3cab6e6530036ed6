#pragma once
// One run of one export job. METRICS_DATA: counts the job's rows with VdmMetrics (bounded by
// days x dimension values) and writes the file in one step. MESSAGE_INSIGHTS: reads the
// captured mail of the job's time window in batches (send order), appends the wanted rows to a
// partial file under the s3 directory's .spool folder and commits each batch's counts and
// checkpoint (the last message read and the file's length) in one WriteTransaction. A later run
// (after kill -9, or a storage error) cuts the partial file back to the checkpoint and goes on from
// there, so the finished file is the same as an uninterrupted run's. At the end the file is moved
// into place (the destination object under the s3 directory) and, with an S3 endpoint,
// uploaded there too.
#include <cstdint>
#include <cstdio>
#include <string>

#include "server/core/export_job.hpp"
#include "server/core/settings.hpp"
#include "server/jobs/job_run.hpp"
#include "server/s3/s3_location.hpp"
#include "server/sending/vdm_metrics.hpp"
#include "storage/export_job_store.hpp"
#include "storage/message_store.hpp"

namespace sesv2mock {

class ExportRun : public JobRun {
 public:
  // `uploader` (may be empty) also stores the finished file on an S3 endpoint;
  // `identity_of` is the EMAIL_IDENTITY of a sender for METRICS_DATA (as BatchGetMetricData).
  ExportRun(storage::Database& db, const Settings& settings, S3FileUploader uploader,
            SendingIdentityOf identity_of, ExportJob job);
  ~ExportRun() override;

  Step step() override;

  // Where a job's partial file lives while it runs.
  static std::string partial_path(const Settings& settings, const std::string& job_id);

 private:
  void prepare();
  void export_metrics(const MetricsDataSource& source);
  Step next_batch();
  Step finish();
  void end_failed(const std::string& message);
  void write_out(const std::string& text);
  void close_file();

  storage::ExportJobStore jobs_;
  storage::MessageStore messages_;
  const Settings& settings_;
  S3FileUploader uploader_;
  SendingIdentityOf identity_of_;
  ExportJob job_;
  MessageInsightsDataSource source_;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::int64_t offset_ = 0;  // bytes of the partial file that belong to committed batches
  std::int64_t exported_total_ = 0;
  std::int64_t done_ = 0;  // rows processed by this run (for the rate cap)
  Clock::time_point started_{};
  std::string buffer_;
};

}  // namespace sesv2mock
