#include "server/jobs/job_worker.hpp"

#include <algorithm>

#include "server/core/errors.hpp"
#include "server/core/log.hpp"
#include "storage/database.hpp"

namespace sesv2mock {

JobWorker::JobWorker(std::unique_ptr<JobKind> kind, int threads, ProcessingMode mode, int delay_ms)
    : kind_(std::move(kind)),
      thread_count_(std::max(1, threads)),
      mode_(mode),
      delay_ms_(delay_ms) {}

JobWorker::~JobWorker() {
  stop();
}

void JobWorker::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    scan_wanted_ = true;
  }
  for (int i = 0; i < thread_count_; ++i)
    threads_.emplace_back([this] { thread_main(); });
}

void JobWorker::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
}

void JobWorker::stop() {
  request_stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
  std::lock_guard lock(mutex_);
  for (const auto& a : queue_)
    busy_.erase(a->id);
  queue_.clear();  // their jobs stay PROCESSING with their checkpoints
}

void JobWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    scan_wanted_ = true;
  }
  cv_.notify_all();
}

void JobWorker::set_mode(ProcessingMode mode, int delay_ms) {
  mode_ = mode;
  delay_ms_ = delay_ms;
  wake();
}

bool JobWorker::claim(const std::string& id) {
  std::lock_guard lock(mutex_);
  return busy_.insert(id).second;
}

void JobWorker::release(const std::string& id) {
  {
    std::lock_guard lock(mutex_);
    busy_.erase(id);
    scan_wanted_ = true;  // the queue may have changed: a delay runs from the new state
  }
  cv_.notify_all();
}

bool JobWorker::is_busy(const std::string& id) {
  std::lock_guard lock(mutex_);
  return busy_.count(id) > 0;
}

void JobWorker::enqueue(std::unique_ptr<Active> a) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(a));
  }
  cv_.notify_one();
}

void JobWorker::thread_main() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = Clock::now();
    if (!scanning_ && (scan_wanted_ || now >= next_scan_)) {
      scanning_ = true;
      scan_wanted_ = false;
      next_scan_ = now + kIdlePoll;
      lock.unlock();
      scan();
      lock.lock();
      scanning_ = false;
      continue;
    }
    auto due = std::find_if(queue_.begin(), queue_.end(),
                            [&](const auto& a) { return a->not_before <= now; });
    if (due == queue_.end()) {
      auto until = next_scan_;
      for (const auto& a : queue_)
        until = std::min(until, a->not_before);
      cv_.wait_until(lock, until, [&] {
        return stopping_ || (scan_wanted_ && !scanning_) ||
               std::any_of(queue_.begin(), queue_.end(),
                           [](const auto& a) { return a->not_before <= Clock::now(); });
      });
      continue;
    }
    std::unique_ptr<Active> a = std::move(*due);
    queue_.erase(due);
    lock.unlock();
    run_step(*a);
    lock.lock();
    if (a->run || a->failed_attempts > 0) {
      queue_.push_back(std::move(a));  // round-robin: its next step waits for the others'
    } else {
      busy_.erase(a->id);
      scan_wanted_ = true;
    }
  }
}

void JobWorker::run_step(Active& a) {
  try {
    const bool fresh = !a.run;
    if (fresh)
      a.run = kind_->open(a.id);
    if (!a.run) {
      a.failed_attempts = 0;
      return;  // nothing to run (the job ended meanwhile)
    }
    JobRun::Step step = a.run->step();
    // A first step (preparing) may succeed while writes still fail: the back-off only
    // starts over once a later step committed.
    if (!fresh)
      a.failed_attempts = 0;
    a.not_before = step.not_before;
    if (step.done)
      a.run.reset();
  } catch (const storage::StorageError& e) {
    // The job stays PROCESSING; a new run resumes it from its last committed checkpoint.
    a.run.reset();
    auto wait =
        std::min<Clock::duration>(kMaxRetry, kFirstRetry * (1 << std::min(a.failed_attempts, 10)));
    ++a.failed_attempts;
    a.not_before = Clock::now() + wait;
    log::write(
        log::Level::Error, "%s %s paused (retry %d in %lld ms): %s", kind_->noun().c_str(),
        a.id.c_str(), a.failed_attempts,
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()),
        e.what());
  } catch (const std::exception& e) {
    // A run ends its own job on every failure it knows; anything else is a bug: fail the job
    // rather than retry it forever.
    a.run.reset();
    a.failed_attempts = 0;
    log::write(log::Level::Error, "%s %s: %s", kind_->noun().c_str(), a.id.c_str(), e.what());
    try {
      kind_->transition(a.id, JobStatus::Processing, JobStatus::Failed, now_epoch_seconds(),
                        std::string("The job failed with an internal error: ") + e.what());
    } catch (const std::exception&) {
      // Still PROCESSING: the next scan tries it again.
    }
  }
}

void JobWorker::scan() {
  const ProcessingMode mode = mode_.load();
  if (mode == ProcessingMode::Manual)
    return;
  const double delay = mode == ProcessingMode::Delayed ? delay_ms_.load() / 1000.0 : 0.0;
  std::vector<JobTicket> tickets;
  try {
    tickets = kind_->unfinished();
  } catch (const std::exception& e) {
    log::write(log::Level::Error, "%s queue: %s", kind_->noun().c_str(), e.what());
    return;
  }
  auto next = Clock::now() + kIdlePoll;
  for (const auto& t : tickets) {
    const double now = now_epoch_seconds();
    const double due = t.status_changed_at + delay;
    if (now < due) {
      next = std::min(next, Clock::now() + std::chrono::milliseconds(
                                               static_cast<std::int64_t>((due - now) * 1000) + 1));
      continue;
    }
    if (!claim(t.id))
      continue;
    if (t.status == JobStatus::Created) {
      // The cheap move is made here; the job's first step waits for its delay (if any) from
      // the new state, as a manual advance would.
      try {
        kind_->transition(t.id, JobStatus::Created, JobStatus::Processing, now, std::nullopt);
      } catch (const std::exception& e) {
        log::write(log::Level::Error, "%s %s: %s", kind_->noun().c_str(), t.id.c_str(), e.what());
      }
      release(t.id);
      continue;
    }
    auto a = std::make_unique<Active>();
    a->id = t.id;
    enqueue(std::move(a));
  }
  std::lock_guard lock(mutex_);
  next_scan_ = std::min(next_scan_, next);
}

JobStatus JobWorker::advance(const std::string& job_id) {
  const std::string noun = kind_->noun();
  auto status = kind_->status(job_id);
  if (!status)
    throw ApiError::not_found(noun + " " + job_id + " doesn't exist.");
  if (is_final(*status)) {
    throw ApiError::conflict(noun + " " + job_id + " is " + std::string(to_string(*status)) +
                             ", a final state; it cannot advance.");
  }
  if (!claim(job_id)) {
    throw ApiError::conflict(noun + " " + job_id + " is being processed right now.");
  }
  if (*status == JobStatus::Created) {
    bool moved = false;
    try {
      moved = kind_->transition(job_id, JobStatus::Created, JobStatus::Processing,
                                now_epoch_seconds(), std::nullopt);
    } catch (...) {
      release(job_id);
      throw;
    }
    release(job_id);
    if (!moved)
      throw ApiError::conflict(noun + " " + job_id + " changed state meanwhile.");
    return JobStatus::Processing;
  }
  auto a = std::make_unique<Active>();
  a->id = job_id;
  enqueue(std::move(a));
  return JobStatus::Processing;
}

bool JobWorker::cancel(const std::string& job_id) {
  // The pool may move the job CREATED -> PROCESSING between our read and our write; both
  // states may be cancelled, so look again once before giving up.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto status = kind_->status(job_id);
    if (!status)
      throw ApiError::not_found(kind_->noun() + " " + job_id + " doesn't exist.");
    if (!is_legal_transition(*status, JobStatus::Cancelled))
      return false;
    if (kind_->transition(job_id, *status, JobStatus::Cancelled, now_epoch_seconds(),
                          std::nullopt)) {
      return true;
    }
  }
  return false;
}

bool JobWorker::fail(const std::string& job_id, const std::string& message) {
  const double now = now_epoch_seconds();
  // Claiming a CREATED job keeps the pool from starting it between the two moves.
  if (claim(job_id)) {
    bool failed = false;
    try {
      failed = kind_->fail_unfinished(job_id, now, message);
    } catch (...) {
      release(job_id);
      throw;
    }
    release(job_id);
    return failed;
  }
  // In the pool's hands: its run sees the new state at its next commit and stops.
  return kind_->transition(job_id, JobStatus::Processing, JobStatus::Failed, now, message);
}

}  // namespace sesv2mock
