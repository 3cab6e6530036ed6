#pragma once
// The job worker for export jobs: the same JobWorker as import jobs (pool, round-robin,
// processing modes, pause and retry), whose JobKind reads the export job store and opens
// ExportRuns.
#include "server/core/settings.hpp"
#include "server/jobs/job_worker.hpp"
#include "server/s3/s3_location.hpp"
#include "server/sending/vdm_metrics.hpp"
#include "storage/database.hpp"

namespace sesv2mock {

class ExportWorker : public JobWorker {
 public:
  // `uploader` (may be empty) also stores finished files on an S3 endpoint; `identity_of`
  // names a sender's EMAIL_IDENTITY for METRICS_DATA (empty: the address's domain).
  ExportWorker(storage::Database& db, const Settings& settings, S3FileUploader uploader,
               SendingIdentityOf identity_of);
};

}  // namespace sesv2mock
