#pragma once
// The job worker for import jobs: a JobWorker (pool, round-robin, modes, pause and retry)
// whose JobKind reads the import job store and opens ImportRuns.
#include "server/core/settings.hpp"
#include "server/jobs/job_worker.hpp"
#include "server/s3/s3_location.hpp"
#include "storage/database.hpp"

namespace sesv2mock {

class ImportWorker : public JobWorker {
 public:
  // Threads: settings.job_threads. `fetcher` (may be empty) reads objects from an S3
  // endpoint instead of the s3 directory.
  ImportWorker(storage::Database& db, const Settings& settings, S3Fetcher fetcher);
};

}  // namespace sesv2mock
