#include "server/jobs/import_worker.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "server/core/errors.hpp"
#include "server/imports/import_target.hpp"
#include "server/core/log.hpp"
#include "server/imports/record_readers.hpp"
#include "storage/import_batch_writer.hpp"

namespace sesv2mock {
namespace {

constexpr auto kIdlePoll = std::chrono::seconds(5);
constexpr auto kRetryAfterError = std::chrono::seconds(1);

// Lines in the file: an upper bound on its records, cheap to get.
std::int64_t count_lines(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return 0;
  std::int64_t lines = 0;
  char buffer[64 * 1024];
  std::size_t n;
  bool last_was_newline = true;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    for (const char* p = buffer; (p = static_cast<const char*>(std::memchr(p, '\n', buffer + n - p)));
         ++p) {
      ++lines;
    }
    last_was_newline = buffer[n - 1] == '\n';
  }
  std::fclose(f);
  return lines + (last_was_newline ? 0 : 1);
}

// Exact record count (headers excluded), read up to limit + 1 records.
std::int64_t count_records(const ImportJob& job, const std::string& path, std::int64_t limit) {
  bool contacts = job.destination.type == DestinationType::ContactList;
  auto reader = make_record_reader(job.source.data_format, path, contacts);
  RecordItem item;
  std::int64_t n = 0;
  bool first = true;
  while (n <= limit && reader->next(item)) {
    bool header = first && job.source.data_format == DataFormat::Csv &&
                  (contacts || (!item.fields.empty() && item.fields[0] == "emailAddress"));
    first = false;
    if (!header) ++n;
  }
  return n;
}

}  // namespace

ImportWorker::ImportWorker(storage::Database& db, const Settings& settings, S3Fetcher fetcher)
    : db_(db),
      jobs_(db),
      settings_(settings),
      fetcher_(std::move(fetcher)),
      mode_(settings.processing_mode),
      delay_ms_(settings.processing_delay_ms) {}

ImportWorker::~ImportWorker() { stop(); }

void ImportWorker::start() {
  stop_requested_ = false;
  thread_ = std::thread([this] { run(); });
}

void ImportWorker::request_stop() {
  stop_requested_ = true;
  cv_.notify_all();
}

void ImportWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ImportWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void ImportWorker::set_mode(ProcessingMode mode, int delay_ms) {
  mode_ = mode;
  delay_ms_ = delay_ms;
  wake();
}

bool ImportWorker::claim(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  return busy_.insert(job_id).second;
}

bool ImportWorker::is_busy(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  return busy_.count(job_id) > 0;
}

void ImportWorker::release(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  busy_.erase(job_id);
}

void ImportWorker::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      woken_ = false;
    }
    auto next_check = std::chrono::steady_clock::now() + kIdlePoll;
    bool worked = false;
    try {
      worked = run_one_due_job(next_check);
    } catch (const std::exception& e) {
      // A storage error (a locked or full disk, say) must not end the worker or the server:
      // log it and look again a little later.
      log::write(log::Level::Error, "import worker: %s", e.what());
      next_check = std::chrono::steady_clock::now() + kRetryAfterError;
      worked = false;
    }
    if (worked) continue;
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, next_check, [this] { return stopping_ || woken_; });
  }
}

bool ImportWorker::run_one_due_job(std::chrono::steady_clock::time_point& next_check) {
  ProcessingMode mode = mode_.load();
  if (mode == ProcessingMode::Manual) return false;
  double delay = mode == ProcessingMode::Delayed ? delay_ms_.load() / 1000.0 : 0.0;
  for (const auto& job : jobs_.unfinished()) {
    double due = job.status_changed_at + delay;
    double now = now_epoch_seconds();
    if (now < due) {
      auto wait = std::chrono::milliseconds(static_cast<std::int64_t>((due - now) * 1000) + 1);
      next_check = std::min(next_check, std::chrono::steady_clock::now() + wait);
      continue;
    }
    if (!claim(job.job_id)) continue;
    if (job.status == JobStatus::Created) {
      struct Release {
        ImportWorker* self;
        const std::string& id;
        ~Release() { self->release(id); }
      } guard{this, job.job_id};
      jobs_.transition(job.job_id, JobStatus::Created, JobStatus::Processing, now);
    } else {
      process_claimed(job);
    }
    return true;  // the queue may have changed: look again
  }
  return false;
}

JobStatus ImportWorker::advance(const std::string& job_id) {
  auto job = jobs_.find(job_id);
  if (!job) throw ApiError::not_found("Import job " + job_id + " doesn't exist.");
  if (is_final(job->status)) {
    throw ApiError::conflict("Import job " + job_id + " is " + std::string(to_string(job->status)) +
                             ", a final state; it cannot advance.");
  }
  if (!claim(job_id)) {
    throw ApiError::conflict("Import job " + job_id + " is being processed right now.");
  }
  if (job->status == JobStatus::Created) {
    bool moved =
        jobs_.transition(job_id, JobStatus::Created, JobStatus::Processing, now_epoch_seconds());
    release(job_id);
    if (!moved) throw ApiError::conflict("Import job " + job_id + " changed state meanwhile.");
    return JobStatus::Processing;
  }
  process_claimed(*job);
  auto after = jobs_.find(job_id);
  if (!after) throw ApiError::not_found("Import job " + job_id + " does not exist.");
  return after->status;
}

bool ImportWorker::fail(const std::string& job_id, const std::string& message) {
  double now = now_epoch_seconds();
  // Claiming a CREATED job keeps the worker thread from starting it between the two moves.
  if (claim(job_id)) {
    bool failed = false;
    try {
      failed = jobs_.fail_unfinished(job_id, now, message);
    } catch (...) {
      release(job_id);
      throw;
    }
    release(job_id);
    return failed;
  }
  // Being processed right now: the worker sees the new state at its next batch and stops.
  return jobs_.transition(job_id, JobStatus::Processing, JobStatus::Failed, now, message);
}

void ImportWorker::process(const std::string& job_id) {
  auto job = jobs_.find(job_id);
  if (!job || job->status != JobStatus::Processing || !claim(job_id)) return;
  process_claimed(*job);
}

std::string ImportWorker::local_path_of(const ImportJob& job, std::string& spool_path) {
  auto loc = parse_s3_url(job.source.s3_url);
  if (!loc) throw JobFailure("The S3 URL " + job.source.s3_url + " is not valid.");
  if (!fetcher_) return resolve_local_object(settings_.effective_s3_dir(), *loc);
  auto spool_dir = std::filesystem::path(settings_.effective_s3_dir()) / ".spool";
  std::filesystem::create_directories(spool_dir);
  spool_path = (spool_dir / job.job_id).string();
  fetcher_(*loc, spool_path);
  return spool_path;
}

void ImportWorker::process_claimed(ImportJob job) {
  struct Release {
    ImportWorker* self;
    std::string id;
    std::string spool;
    ~Release() {
      if (!spool.empty()) std::remove(spool.c_str());
      self->release(id);
    }
  } guard{this, job.job_id, {}};

  auto fail = [&](const std::string& message) {
    log::write(log::Level::Info, "import job %s FAILED: %s", job.job_id.c_str(), message.c_str());
    try {
      jobs_.transition(job.job_id, JobStatus::Processing, JobStatus::Failed, now_epoch_seconds(),
                       message);
    } catch (const std::exception& e) {
      // The job stays PROCESSING and is retried from its checkpoint later.
      log::write(log::Level::Error, "import job %s: cannot record its failure: %s",
                 job.job_id.c_str(), e.what());
    }
  };
  try {
    std::string path;
    try {
      path = local_path_of(job, guard.spool);
    } catch (const JobFailure&) {
      throw;
    } catch (const std::exception& e) {
      throw JobFailure(e.what());
    }
    auto target = job.destination.type == DestinationType::SuppressionList
                      ? make_suppression_target(job)
                      : make_contact_target(job, db_);
    const std::int64_t limit = target->record_limit();
    // Lines bound the records from above (a contact CSV spends one on its header), so the
    // exact count, a second read of the file, is only needed near the limit.
    const bool has_header = job.destination.type == DestinationType::ContactList &&
                            job.source.data_format == DataFormat::Csv;
    if (count_lines(path) - (has_header ? 1 : 0) > limit &&
        count_records(job, path, limit) > limit) {
      throw JobFailure(target->limit_message());
    }
    auto reader = make_record_reader(job.source.data_format, path,
                                     job.destination.type == DestinationType::ContactList);
    const bool resuming = job.checkpoint_offset > 0;
    if (!resuming) jobs_.reset_progress(job.job_id);
    target->begin(*reader, resuming);
    if (resuming) reader->seek(job.checkpoint_offset, job.checkpoint_line);

    storage::ImportBatchWriter writer(db_);
    storage::BatchProgress progress;
    auto flush = [&]() -> bool {
      progress.checkpoint_offset = reader->offset();
      progress.checkpoint_line = reader->line();
      auto outcome = target->flush(writer, progress);
      progress.failures.clear();
      progress.processed = 0;
      if (outcome == storage::BatchOutcome::JobNotProcessing) return false;
      if (outcome == storage::BatchOutcome::ContactListMissing) {
        throw JobFailure("The contact list " + job.destination.contact_list_name +
                         " was deleted while the job was running.");
      }
      return true;
    };

    // With a rate cap, commit in tenth-of-a-second slices and sleep off the surplus.
    const int rate = settings_.import_rate;
    const std::int64_t batch_size =
        rate > 0 ? std::max(1, std::min(settings_.import_batch_size, rate / 10))
                 : settings_.import_batch_size;
    const auto started = std::chrono::steady_clock::now();
    std::int64_t done = 0;
    RecordItem item;
    std::string reason;
    while (reader->next(item)) {
      reason.clear();
      RecordOutcome outcome = target->take(item, reason);
      if (outcome == RecordOutcome::Header) continue;
      ++progress.processed;
      if (outcome == RecordOutcome::Failed) {
        progress.failures.push_back({item.line, item.raw, reason});
      }
      if (progress.processed >= batch_size && reader->at_boundary()) {
        done += progress.processed;
        if (!flush()) return;  // cancelled or failed from outside
        if (stop_requested_) return;  // shutting down: resume from the checkpoint later
        if (rate > 0) {
          // Sleep in short steps so a shutdown is not held up by the rate cap.
          const auto until = started + std::chrono::milliseconds(done * 1000 / rate);
          while (!stop_requested_ && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                until - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
          }
          if (stop_requested_) return;
        }
      }
    }
    if (!flush()) return;
    if (jobs_.transition(job.job_id, JobStatus::Processing, JobStatus::Completed,
                         now_epoch_seconds())) {
      log::write(log::Level::Info, "import job %s COMPLETED", job.job_id.c_str());
    }
  } catch (const JobFailure& e) {
    fail(e.what());
  } catch (const std::exception& e) {
    fail(std::string("The job failed with an internal error: ") + e.what());
  }
}

}  // namespace sesv2mock
