#pragma once
// The JobKind moves every job store answers the same way (ImportJobStore, ExportJobStore):
// the queue, a job's status and its state changes. A kind adds its noun and how it opens a
// run.
#include <optional>
#include <string>
#include <vector>

#include "server/jobs/job_run.hpp"

namespace sesv2mock {

template <typename Store>
class StoredJobKind : public JobKind {
 public:
  explicit StoredJobKind(Store& jobs) : jobs_(jobs) {}

  std::vector<JobTicket> unfinished() override {
    std::vector<JobTicket> out;
    for (const auto& job : jobs_.unfinished())
      out.push_back({job.job_id, job.status, job.status_changed_at});
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

 protected:
  Store& jobs_;
};

}  // namespace sesv2mock
