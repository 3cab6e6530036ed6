#include "server/jobs/import_worker.hpp"

#include "server/imports/import_run.hpp"
#include "server/jobs/stored_job_kind.hpp"
#include "storage/import_job_store.hpp"
#include "storage/import_scratch.hpp"

namespace sesv2mock {
namespace {

class ImportJobKind : public StoredJobKind<storage::ImportJobStore> {
 public:
  ImportJobKind(storage::Database& db, const Settings& settings, S3Fetcher fetcher)
      : StoredJobKind(store_),
        db_(db),
        store_(db),
        settings_(settings),
        fetcher_(std::move(fetcher)) {}

  std::string noun() const override { return "Import job"; }

  std::vector<JobTicket> unfinished() override {
    // Each scan also removes scratch files no unfinished job owns (a job cancelled while
    // paused, a crash between a job's end and the removal of its file).
    storage::sweep_import_scratch(db_);
    return StoredJobKind::unfinished();
  }

  std::unique_ptr<JobRun> open(const std::string& id) override {
    auto job = jobs_.find(id);
    if (!job || job->status != JobStatus::Processing)
      return nullptr;
    return std::make_unique<ImportRun>(db_, settings_, fetcher_, std::move(*job));
  }

 private:
  storage::Database& db_;
  storage::ImportJobStore
      store_;  // the base holds a reference (bound before construction, used after)
  const Settings& settings_;
  S3Fetcher fetcher_;
};

}  // namespace

ImportWorker::ImportWorker(storage::Database& db, const Settings& settings, S3Fetcher fetcher)
    : JobWorker(std::make_unique<ImportJobKind>(db, settings, std::move(fetcher)),
                settings.job_threads, settings.processing_mode, settings.processing_delay_ms) {}

}  // namespace sesv2mock
