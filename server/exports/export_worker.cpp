#include "server/exports/export_worker.hpp"

#include "server/exports/export_run.hpp"
#include "server/jobs/stored_job_kind.hpp"
#include "storage/export_job_store.hpp"

namespace sesv2mock {
namespace {

class ExportJobKind : public StoredJobKind<storage::ExportJobStore> {
 public:
  ExportJobKind(storage::Database& db, const Settings& settings, S3FileUploader uploader,
                SendingIdentityOf identity_of)
      : StoredJobKind(store_),
        db_(db),
        store_(db),
        settings_(settings),
        uploader_(std::move(uploader)),
        identity_of_(std::move(identity_of)) {}

  std::string noun() const override { return "Export job"; }

  std::unique_ptr<JobRun> open(const std::string& id) override {
    auto job = jobs_.find(id);
    if (!job || job->status != JobStatus::Processing)
      return nullptr;
    return std::make_unique<ExportRun>(db_, settings_, uploader_, identity_of_, std::move(*job));
  }

 private:
  storage::Database& db_;
  storage::ExportJobStore
      store_;  // the base holds a reference (bound before construction, used after)
  const Settings& settings_;
  S3FileUploader uploader_;
  SendingIdentityOf identity_of_;
};

}  // namespace

ExportWorker::ExportWorker(storage::Database& db, const Settings& settings, S3FileUploader uploader,
                           SendingIdentityOf identity_of)
    : JobWorker(std::make_unique<ExportJobKind>(db, settings, std::move(uploader),
                                                std::move(identity_of)),
                settings.job_threads, settings.processing_mode, settings.processing_delay_ms) {}

}  // namespace sesv2mock
