#pragma once
// What the job worker needs from a kind of job (import jobs today, export jobs next).
//
// The worker schedules jobs by id and knows only their states; a JobKind gives it the
// queue, the state moves and, for a job in PROCESSING, a JobRun. The run owns everything the
// job holds while it runs (open file, the batch being built, the checkpoint) and advances
// the job one bounded step at a time, committing each step through its job store in one
// WriteTransaction. The worker calls step() on one of its threads, never two at once for
// one job, and puts the run at the back of the queue between steps: jobs share the
// threads round-robin, a batch at a time.
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/core/model.hpp"

namespace sesv2mock {

// Thrown when the job as a whole cannot go on; the message becomes FailureInfo.ErrorMessage.
class JobFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JobRun {
 public:
  using Clock = std::chrono::steady_clock;
  struct Step {
    bool done = false;               // the job ended (or is no longer this run's to do)
    Clock::time_point not_before{};  // earliest next step (a rate cap); default: at once
  };
  virtual ~JobRun() = default;
  // One bounded piece of work (preparing, or one batch), committed. A job that cannot go on
  // is ended FAILED by the run itself. Throws storage::StorageError when the database
  // refuses a write: the worker then drops the run, waits, and opens a new one, which
  // resumes from the last committed checkpoint.
  virtual Step step() = 0;
};

// A job as the scheduler sees it.
struct JobTicket {
  std::string id;
  JobStatus status = JobStatus::Created;
  double status_changed_at = 0;
};

class JobKind {
 public:
  virtual ~JobKind() = default;
  // "Import job": starts the messages of the worker's errors.
  virtual std::string noun() const = 0;
  // Jobs in CREATED or PROCESSING, oldest first.
  virtual std::vector<JobTicket> unfinished() = 0;
  virtual std::optional<JobStatus> status(const std::string& id) = 0;
  // The kind-independent state machine (core's is_legal_transition) applied by its store.
  virtual bool transition(const std::string& id, JobStatus from, JobStatus to, double now,
                          const std::optional<std::string>& error_message) = 0;
  // CREATED or PROCESSING -> FAILED in one transaction.
  virtual bool fail_unfinished(const std::string& id, double now, const std::string& message) = 0;
  // A run of a job in PROCESSING; null when there is nothing to run. Must be cheap: the
  // run does its work (fetching, reading) in step().
  virtual std::unique_ptr<JobRun> open(const std::string& id) = 0;
};

}  // namespace sesv2mock
