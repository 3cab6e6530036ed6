#pragma once
// Runs the jobs of one JobKind on a small pool of threads (--job-threads).
//
// Threading: the pool threads share one queue of active jobs under one mutex. A thread takes
// the first job whose turn has come, runs one step of it outside the lock and puts it back
// at the end of the queue, so every running job advances a batch at a time, round-robin. A
// thread with nothing to do looks for due jobs (per processing mode and delay) when woken or
// every few seconds. HTTP threads never run job work: they call wake(), set_mode(), fail()
// and advance(), which makes the cheap CREATED -> PROCESSING move itself and otherwise only
// hands the job to the pool. A storage error (say a full disk) pauses the job, still
// PROCESSING: it is retried from its checkpoint with a growing back-off until writes
// succeed again.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server/core/settings.hpp"
#include "server/jobs/job_run.hpp"

namespace sesv2mock {

class JobWorker {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kIdlePoll = std::chrono::seconds(5);
  static constexpr auto kFirstRetry = std::chrono::milliseconds(100);
  static constexpr auto kMaxRetry = std::chrono::seconds(5);

  JobWorker(std::unique_ptr<JobKind> kind, int threads, ProcessingMode mode, int delay_ms);
  virtual ~JobWorker();
  JobWorker(const JobWorker&) = delete;
  JobWorker& operator=(const JobWorker&) = delete;

  void start();
  // Stops at the next step boundary and joins the threads; a job in flight stays PROCESSING
  // with its checkpoint and resumes on the next start.
  void stop();
  // Asks the threads to stop at their next step boundary, without waiting. Safe from any
  // thread; used when shutdown begins.
  void request_stop();
  // Something changed (a job was created, a mode set): look for due jobs now.
  void wake();

  ProcessingMode mode() const { return mode_.load(); }
  int delay_ms() const { return delay_ms_.load(); }
  void set_mode(ProcessingMode mode, int delay_ms);

  // CREATED -> PROCESSING at once (returns PROCESSING); a PROCESSING job is handed to the
  // pool, which runs it to its end whatever the mode, and PROCESSING is returned at once.
  // Throws ApiError: not found, or conflict when the job is final or already running.
  JobStatus advance(const std::string& job_id);

  // Ends a job in CREATED or PROCESSING as FAILED with `message` (a CREATED job passes
  // through PROCESSING, the only legal way). False when the job had already ended. A running
  // job notices at its next commit and stops.
  bool fail(const std::string& job_id, const std::string& message);

  // CREATED or PROCESSING -> CANCELLED (a running job notices at its next commit and stops).
  // False when the job had already ended (the caller reads its state to say which). Throws
  // ApiError not found for an unknown job.
  bool cancel(const std::string& job_id);

  // True while the job is in the pool's hands (queued, running, or paused for a retry).
  bool is_busy(const std::string& job_id);

 private:
  struct Active {
    std::string id;
    std::unique_ptr<JobRun> run;  // null until its first step opens it
    Clock::time_point not_before{};
    int failed_attempts = 0;
  };

  void thread_main();
  // Adds due jobs to the queue; called by one pool thread at a time, without the lock.
  void scan();
  void run_step(Active& a);
  bool claim(const std::string& id);
  void release(const std::string& id);
  void enqueue(std::unique_ptr<Active> a);

  std::unique_ptr<JobKind> kind_;
  const int thread_count_;
  std::atomic<ProcessingMode> mode_;
  std::atomic<int> delay_ms_;

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool scan_wanted_ = true;
  bool scanning_ = false;
  Clock::time_point next_scan_{};
  std::deque<std::unique_ptr<Active>> queue_;
  std::set<std::string> busy_;  // queued, running or paused
  std::vector<std::thread> threads_;
};

}  // namespace sesv2mock
