#pragma once
// Runs import jobs in the background.
//
// Threading: one worker thread owns the job queue; it reads jobs from the store, moves
// them through their states and streams their files. HTTP threads only call wake(),
// set_mode() and, in manual mode, advance(), which runs one step in the caller's thread.
// A job is never processed by two threads at once (claim/release below). The store is
// shared through storage::Database, which serialises access itself.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "server/core/model.hpp"
#include "server/s3/s3_location.hpp"
#include "server/core/settings.hpp"
#include "storage/database.hpp"
#include "storage/import_job_store.hpp"

namespace sesv2mock {

class ImportWorker {
 public:
  ImportWorker(storage::Database& db, const Settings& settings, S3Fetcher fetcher);
  ~ImportWorker();

  void start();
  // Stops at the next batch boundary; a job in flight stays PROCESSING with its
  // checkpoint and resumes on the next start.
  void stop();
  // Asks running imports (the worker's and any advance() on an HTTP thread) to stop at their
  // next batch boundary, without waiting. Safe from any thread; used when shutdown begins.
  void request_stop();
  void wake();

  ProcessingMode mode() const { return mode_.load(); }
  int delay_ms() const { return delay_ms_.load(); }
  void set_mode(ProcessingMode mode, int delay_ms);

  // One step of a job now: CREATED -> PROCESSING, or PROCESSING -> COMPLETED/FAILED by
  // processing the whole file. Throws ApiError (conflict) when the job is final or busy.
  JobStatus advance(const std::string& job_id);

  // Ends a job in CREATED or PROCESSING as FAILED with `message` (a CREATED job passes
  // through PROCESSING, the only legal way). False when the job had already ended.
  bool fail(const std::string& job_id, const std::string& message);

  // True while a thread is importing the job's file.
  bool is_busy(const std::string& job_id);

  // Runs a job in PROCESSING to its end (used by the thread and by advance()).
  void process(const std::string& job_id);

 private:
  void run();
  // Runs the first job that is due (per mode and delay); false when none was.
  bool run_one_due_job(std::chrono::steady_clock::time_point& next_check);
  bool claim(const std::string& job_id);
  void release(const std::string& job_id);
  void process_claimed(ImportJob job);
  std::string local_path_of(const ImportJob& job, std::string& spool_path);

  storage::Database& db_;
  storage::ImportJobStore jobs_;
  const Settings& settings_;
  S3Fetcher fetcher_;
  std::atomic<ProcessingMode> mode_;
  std::atomic<int> delay_ms_;

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::set<std::string> busy_;
  std::atomic<bool> stop_requested_{false};
  std::thread thread_;
};

}  // namespace sesv2mock
