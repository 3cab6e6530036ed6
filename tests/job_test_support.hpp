#pragma once
// Helpers for tests of import jobs: run a job's ImportRun by hand, step by step, on the
// test's thread (deterministic), or wait for the worker's pool to finish one.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "server/imports/import_run.hpp"
#include "storage/import_job_store.hpp"

namespace sesv2mock::testing {

// Runs the job (PROCESSING) by hand: at most `max_steps` steps (preparing is one), or to its
// end when negative. Dropping the run afterwards is what a stopped worker does.
inline void step_job(storage::Database& db, const Settings& settings, const std::string& id,
                     int max_steps = -1) {
  static const S3Fetcher kNoFetcher;
  auto job = storage::ImportJobStore(db).find(id);
  REQUIRE(job);
  ImportRun run(db, settings, kNoFetcher, *job);
  for (int i = 0; max_steps < 0 || i < max_steps; ++i) {
    if (run.step().done)
      return;
  }
}

// Polls the store until the job is in a final state or `timeout` passes.
inline ImportJob wait_final(storage::Database& db, const std::string& id,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  storage::ImportJobStore jobs(db);
  for (;;) {
    auto job = jobs.find(id);
    REQUIRE(job);
    if (is_final(job->status) || std::chrono::steady_clock::now() > until)
      return *job;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace sesv2mock::testing
