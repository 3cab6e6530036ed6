#include "server/jobs/import_worker.hpp"

#include "server/imports/import_run.hpp"
#include "storage/import_job_store.hpp"

namespace sesv2mock {
namespace {

class ImportJobKind : public JobKind {
 public:
  ImportJobKind(storage::Database& db, const Settings& settings, S3Fetcher fetcher)
      : db_(db), jobs_(db), settings_(settings), fetcher_(std::move(fetcher)) {}

  std::string noun() const override { return "Import job"; }

  std::vector<JobTicket> unfinished() override {
    std::vector<JobTicket> out;
    for (const auto& job : jobs_.unfinished()) {
      out.push_back({job.job_id, job.status, job.status_changed_at});
    }
    return out;
  }

  std::optional<JobStatus> status(const std::string& id) override {
    auto job = jobs_.find(id);
    if (!job)
      return std::nullopt;
    return job->status;
  }

  bool transition(const std::string& id, JobStatus from, JobStatus to, double now,
                  const std::optional<std::string>& error_message) override {
    return jobs_.transition(id, from, to, now, error_message);
  }

  bool fail_unfinished(const std::string& id, double now, const std::string& message) override {
    return jobs_.fail_unfinished(id, now, message);
  }

  std::unique_ptr<JobRun> open(const std::string& id) override {
    auto job = jobs_.find(id);
    if (!job || job->status != JobStatus::Processing)
      return nullptr;
    return std::make_unique<ImportRun>(db_, settings_, fetcher_, std::move(*job));
  }

 private:
  storage::Database& db_;
  storage::ImportJobStore jobs_;
  const Settings& settings_;
  S3Fetcher fetcher_;
};

}  // namespace

ImportWorker::ImportWorker(storage::Database& db, const Settings& settings, S3Fetcher fetcher)
    : JobWorker(std::make_unique<ImportJobKind>(db, settings, std::move(fetcher)),
                settings.job_threads, settings.processing_mode, settings.processing_delay_ms) {}

}  // namespace sesv2mock
