#include "server/imports/import_run.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "server/core/log.hpp"

namespace sesv2mock {
namespace {

// With a rate cap a batch is a tenth of a second's worth, so progress stays smooth.
constexpr int kRateSlicesPerSecond = 10;

}  // namespace

ImportRun::ImportRun(storage::Database& db, const Settings& settings, S3Fetcher fetcher,
                     ImportJob job)
    : db_(db), jobs_(db), settings_(settings), fetcher_(std::move(fetcher)), job_(std::move(job)) {}

ImportRun::~ImportRun() {
  ahead_.reset();  // waits for a read that uses the reader and the target
  reader_.reset();
  if (!spool_path_.empty())
    std::remove(spool_path_.c_str());
}

std::string ImportRun::source_stamp(const std::string& path, bool with_mtime) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return "missing";
  std::string stamp = "size=" + std::to_string(static_cast<long long>(st.st_size));
  if (with_mtime) {
    stamp += " mtime=" + std::to_string(static_cast<long long>(st.st_mtim.tv_sec)) + "." +
             std::to_string(static_cast<long long>(st.st_mtim.tv_nsec));
  }
  return stamp;
}

std::string ImportRun::local_path() {
  auto loc = parse_s3_url(job_.source.s3_url);
  if (!loc)
    throw JobFailure("The S3 URL " + job_.source.s3_url + " is not valid.");
  if (!fetcher_)
    return resolve_local_object(settings_.effective_s3_dir(), *loc);
  auto spool_dir = std::filesystem::path(settings_.effective_s3_dir()) / ".spool";
  std::filesystem::create_directories(spool_dir);
  spool_path_ = (spool_dir / job_.job_id).string();
  fetcher_(*loc, spool_path_);
  return spool_path_;
}

JobRun::Step ImportRun::step() {
  try {
    if (!reader_) {
      prepare();
      return {reader_ == nullptr, {}};
    }
    return next_batch();
  } catch (const storage::StorageError&) {
    throw;  // the worker pauses the job and retries from its checkpoint
  } catch (const JobFailure& e) {
    end_failed(e.what());
  } catch (const std::exception& e) {
    end_failed(std::string("The job failed with an internal error: ") + e.what());
  }
  return {true, {}};
}

void ImportRun::prepare() {
  try {
    path_ = local_path();
  } catch (const JobFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw JobFailure(e.what());
  }
  // A fetched spool file is new on every run: only the object's size says it is the same
  // one. A local file also keeps its modification time.
  stamp_ = source_stamp(path_, /*with_mtime=*/fetcher_ == nullptr);
  bool resuming = job_.checkpoint_offset > 0;
  auto recorded = jobs_.begin_run(job_.job_id, !resuming, stamp_);
  if (!recorded)
    return;  // cancelled or failed meanwhile
  if (*recorded != stamp_) {
    throw JobFailure("The object " + job_.source.s3_url +
                     " changed after the import job started reading it (" + *recorded + " then, " +
                     stamp_ + " now); the job cannot resume on a different file.");
  }
  target_ = job_.destination.type == DestinationType::SuppressionList
                ? make_suppression_target(job_, db_)
                : make_contact_target(job_, db_);
  // A resumed run keeps the count of the run that started the file (the stamp says it is
  // the same file).
  if (!job_.total_records || !resuming) {
    const std::int64_t records = target_->count_records(job_, path_);
    jobs_.set_total_records(job_.job_id, records);  // shown beside a failure for the limit too
    target_->check_record_limit(records);
  }
  auto reader = make_record_reader(job_.source.data_format, path_,
                                   job_.destination.type == DestinationType::ContactList);
  if (!target_->begin(*reader, resuming)) {
    log::write(log::Level::Info, "import job %s reads its file again from the top: %s",
               job_.job_id.c_str(), "its staged records are lost");
    if (!jobs_.begin_run(job_.job_id, /*from_top=*/true, stamp_))
      return;
    resuming = false;
  }
  if (resuming)
    reader->seek(job_.checkpoint_offset, job_.checkpoint_line);
  const int rate = settings_.import_rate;
  batch_size_ =
      rate > 0 ? std::max(1, std::min(settings_.import_batch_size, rate / kRateSlicesPerSecond))
               : settings_.import_batch_size;
  if (rate <= 0)
    ahead_ = std::make_unique<ReadAhead>();
  started_ = Clock::now();
  reader_ = std::move(reader);
}

bool ImportRun::read_batch(storage::JobBatch& into) {
  bool at_end = false;
  while (into.processed < batch_size_ || !reader_->at_boundary()) {
    if (!reader_->next(item_)) {
      at_end = true;
      break;
    }
    reason_.clear();
    RecordOutcome outcome = target_->take(item_, reason_);
    if (outcome == RecordOutcome::Header)
      continue;
    ++into.processed;
    if (outcome == RecordOutcome::Failed) {
      into.failures.push_back({item_.line, item_.raw, reason_});
    }
  }
  into.checkpoint_offset = reader_->offset();
  into.checkpoint_line = reader_->line();
  target_->seal();
  return at_end;
}

JobRun::Step ImportRun::next_batch() {
  if (read_all_)
    return finish_piece();
  bool at_end = false;
  if (ahead_ && ahead_->pending()) {
    at_end = ahead_->wait();  // rethrows what the reading thread threw
    std::swap(batch_, ahead_batch_);
  } else {
    at_end = read_batch(batch_);
  }
  target_->hand_over();
  if (ahead_ && !at_end) {
    ahead_batch_.clear();
    ahead_->start([this] { return read_batch(ahead_batch_); });
  }
  check_source_unchanged();
  const std::int64_t processed = batch_.processed;
  auto outcome = jobs_.commit_batch(
      job_.job_id, batch_, [this](storage::WriteTransaction& tx) { return target_->apply(tx); });
  target_->clear();
  batch_.clear();
  db_.checkpoint_if_large();  // between batches: see Database::checkpoint_if_large
  if (outcome == storage::BatchOutcome::JobNotProcessing) {
    job_ended();
    return {true, {}};
  }
  fail_if_destination_missing(outcome);
  if (at_end) {
    read_all_ = true;
    return finish_piece();
  }
  done_ += processed;
  Step next;
  if (settings_.import_rate > 0) {
    next.not_before = started_ + std::chrono::milliseconds(done_ * 1000 / settings_.import_rate);
  }
  return next;
}

JobRun::Step ImportRun::finish_piece() {
  // Read one piece ahead, as batches are.
  const bool more = ahead_ && ahead_->pending() ? ahead_->wait() : target_->prepare_piece();
  if (more) {
    target_->hand_over();
    if (ahead_)
      ahead_->start([this] { return target_->prepare_piece(); });
    // Committed like a batch of no records (same checkpoint), so a cancel is seen between
    // pieces and other jobs get their turn.
    auto outcome = jobs_.commit_batch(job_.job_id, batch_, [this](storage::WriteTransaction& tx) {
      return target_->apply_piece(tx);
    });
    db_.checkpoint_if_large();
    if (outcome == storage::BatchOutcome::JobNotProcessing) {
      job_ended();
      return {true, {}};
    }
    fail_if_destination_missing(outcome);
    return {};
  }
  auto outcome = jobs_.complete(
      job_.job_id, [this](storage::WriteTransaction& tx) { return target_->finish(tx); });
  if (outcome == storage::BatchOutcome::JobNotProcessing)
    job_ended();
  fail_if_destination_missing(outcome);
  if (outcome == storage::BatchOutcome::Committed) {
    job_ended();
    log::write(log::Level::Info, "import job %s COMPLETED", job_.job_id.c_str());
  }
  return {true, {}};
}

void ImportRun::fail_if_destination_missing(storage::BatchOutcome outcome) const {
  if (outcome == storage::BatchOutcome::DestinationMissing) {
    throw JobFailure("The contact list " + job_.destination.contact_list_name +
                     " was deleted while the job was running.");
  }
}

void ImportRun::check_source_unchanged() const {
  // A file cut or rewritten under the job would end it COMPLETED with records it never read.
  if (spool_path_.empty() && source_stamp(path_, true) != stamp_) {
    throw JobFailure("The object " + job_.source.s3_url +
                     " changed while the import job was reading it; the job cannot finish on a "
                     "different file.");
  }
}

void ImportRun::job_ended() {
  if (ahead_ && ahead_->pending()) {
    try {
      ahead_->wait();  // its batch is not wanted any more, nor what went wrong reading it
    } catch (const std::exception&) {
    }
  }
  if (target_)
    target_->job_ended();
}

void ImportRun::end_failed(const std::string& message) {
  log::write(log::Level::Info, "import job %s FAILED: %s", job_.job_id.c_str(), message.c_str());
  // A storage error here propagates: the job stays PROCESSING and is retried.
  jobs_.transition(job_.job_id, JobStatus::Processing, JobStatus::Failed, now_epoch_seconds(),
                   message);
  job_ended();  // failed now, or ended by someone else before
}

}  // namespace sesv2mock
