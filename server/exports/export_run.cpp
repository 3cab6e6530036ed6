#include "server/exports/export_run.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/core/export_job_json.hpp"
#include "server/core/log.hpp"
#include "server/exports/insight_rows.hpp"
#include "server/exports/metrics_rows.hpp"

namespace sesv2mock {

namespace {

namespace fs = std::filesystem;

// With a rate cap a batch is a tenth of a second's worth, so progress stays smooth.
constexpr int kRateSlicesPerSecond = 10;

std::int64_t file_size(const std::string& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? -1 : static_cast<std::int64_t>(size);
}

}  // namespace

ExportRun::ExportRun(storage::Database& db, const Settings& settings, S3FileUploader uploader,
                     SendingIdentityOf identity_of, ExportJob job)
    : jobs_(db),
      messages_(db),
      settings_(settings),
      uploader_(std::move(uploader)),
      identity_of_(std::move(identity_of)),
      job_(std::move(job)) {}

ExportRun::~ExportRun() {
  close_file();
}

std::string ExportRun::partial_path(const Settings& settings, const std::string& job_id) {
  return (fs::path(settings.effective_s3_dir()) / ".spool" / ("export-" + job_id + ".part"))
      .string();
}

void ExportRun::close_file() {
  if (file_)
    std::fclose(file_);
  file_ = nullptr;
}

JobRun::Step ExportRun::step() {
  try {
    if (!file_) {
      prepare();
      return {file_ == nullptr, {}};
    }
    return next_batch();
  } catch (const storage::StorageError&) {
    close_file();
    throw;  // the worker pauses the job and retries from its checkpoint
  } catch (const JobFailure& e) {
    end_failed(e.what());
  } catch (const std::exception& e) {
    end_failed(std::string("The export job failed with an internal error: ") + e.what());
  }
  return {true, {}};
}

void ExportRun::prepare() {
  ExportDataSource source = export_data_source_from_text(job_.data_source_json);
  path_ = partial_path(settings_, job_.job_id);
  fs::create_directories(fs::path(path_).parent_path());
  if (source.metrics) {
    export_metrics(*source.metrics);
    return;
  }
  if (!source.message_insights)
    throw JobFailure("The export job has no data source.");
  source_ = *source.message_insights;
  bool fresh = job_.checkpoint_offset == 0;
  if (!fresh && file_size(path_) < job_.checkpoint_offset) {
    // The partial file is gone or shorter than what was committed (a lost disk cache, a
    // cleaned spool folder): start over, which writes the same file.
    if (!jobs_.restart(job_.job_id))
      return;
    job_.processed_records = job_.exported_records = 0;
    job_.checkpoint_seq = 0;
    job_.checkpoint_offset = 0;
    fresh = true;
  }
  if (fresh) {
    if (!jobs_.restart(job_.job_id))
      return;  // cancelled or failed meanwhile
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_)
      throw JobFailure("The export file could not be created: " +
                       std::string(std::strerror(errno)));
    offset_ = 0;
    buffer_.clear();
    append_insight_header(job_.destination.data_format, buffer_);
    write_out(buffer_);
    // The header is re-written by any run that starts over, so it needs no commit.
  } else {
    // Cut back what an interrupted batch wrote past its checkpoint, then append.
    if (::truncate(path_.c_str(), static_cast<off_t>(job_.checkpoint_offset)) != 0)
      throw JobFailure("The partial export file could not be resumed: " +
                       std::string(std::strerror(errno)));
    file_ = std::fopen(path_.c_str(), "ab");
    if (!file_)
      throw JobFailure("The partial export file could not be opened: " +
                       std::string(std::strerror(errno)));
    offset_ = job_.checkpoint_offset;
  }
  exported_total_ = job_.exported_records;
  started_ = Clock::now();
}

// The rows of a METRICS_DATA job are few (days x dimension values): counted, written and
// committed in one step, so there is nothing to resume.
void ExportRun::export_metrics(const MetricsDataSource& source) {
  if (!jobs_.restart(job_.job_id))
    return;  // cancelled or failed meanwhile
  const VdmMetrics vdm(messages_, identity_of_);
  buffer_.clear();
  const std::int64_t rows =
      write_metrics_file(vdm, job_.partition, source, job_.destination.data_format, buffer_);
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_)
    throw JobFailure("The export file could not be created: " + std::string(std::strerror(errno)));
  offset_ = 0;
  write_out(buffer_);
  storage::ExportBatch batch;
  batch.processed = batch.exported = rows;
  batch.checkpoint_offset = offset_;
  if (!jobs_.commit_batch(job_.job_id, batch)) {
    close_file();
    std::remove(path_.c_str());
    return;
  }
  finish();
}

void ExportRun::write_out(const std::string& text) {
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw JobFailure("Writing the export file failed: " + std::string(std::strerror(errno)));
  // Flushed to the kernel before the batch commits: a kill -9 after the commit keeps the rows.
  if (std::fflush(file_) != 0)
    throw JobFailure("Writing the export file failed: " + std::string(std::strerror(errno)));
  offset_ += static_cast<std::int64_t>(text.size());
}

JobRun::Step ExportRun::next_batch() {
  const int batch_messages =
      settings_.import_rate > 0
          ? std::max(1, std::min(settings_.import_batch_size,
                                 settings_.import_rate / kRateSlicesPerSecond))
          : settings_.import_batch_size;
  const auto messages = messages_.scan(job_.partition, source_.start_date, source_.end_date,
                                       job_.checkpoint_seq, batch_messages);
  storage::ExportBatch batch;
  batch.checkpoint_seq = job_.checkpoint_seq;
  buffer_.clear();
  bool full = false;
  for (const auto& m : messages) {
    for (const auto& r : m.recipients) {
      const InsightRow row = insight_row(m, r);
      ++batch.processed;
      if (!insight_wanted(source_, row))
        continue;
      append_insight_row(job_.destination.data_format, row, buffer_);
      ++batch.exported;
      if (source_.max_results && exported_total_ + batch.exported >= *source_.max_results) {
        full = true;
        break;
      }
    }
    batch.checkpoint_seq = m.seq;
    if (full)
      break;
  }
  write_out(buffer_);
  batch.checkpoint_offset = offset_;
  if (!jobs_.commit_batch(job_.job_id, batch)) {
    close_file();
    std::remove(path_.c_str());  // cancelled or failed meanwhile
    return {true, {}};
  }
  job_.checkpoint_seq = batch.checkpoint_seq;
  job_.checkpoint_offset = batch.checkpoint_offset;
  exported_total_ += batch.exported;
  if (full || static_cast<int>(messages.size()) < batch_messages)
    return finish();
  done_ += batch.processed;
  Step next;
  if (settings_.import_rate > 0)
    next.not_before = started_ + std::chrono::milliseconds(done_ * 1000 / settings_.import_rate);
  return next;
}

JobRun::Step ExportRun::finish() {
  close_file();
  auto loc = parse_s3_url(job_.file_url);
  if (!loc)
    throw JobFailure("The export destination " + job_.file_url + " is not a valid S3 URL.");
  if (uploader_) {
    try {
      uploader_(*loc, path_);
    } catch (const std::exception& e) {
      throw JobFailure("The export file could not be uploaded to " + job_.file_url + ": " +
                       e.what());
    }
  }
  try {
    install_local_object(settings_.effective_s3_dir(), *loc, path_);
  } catch (const std::exception& e) {
    throw JobFailure("The export file could not be written to " + job_.file_url + ": " + e.what());
  }
  if (jobs_.complete(job_.job_id)) {
    log::write(log::Level::Info, "export job %s COMPLETED", job_.job_id.c_str());
  }
  return {true, {}};
}

void ExportRun::end_failed(const std::string& message) {
  close_file();
  if (!path_.empty())
    std::remove(path_.c_str());
  log::write(log::Level::Info, "export job %s FAILED: %s", job_.job_id.c_str(), message.c_str());
  // A storage error here propagates: the job stays PROCESSING and is retried.
  jobs_.transition(job_.job_id, JobStatus::Processing, JobStatus::Failed, now_epoch_seconds(),
                   message);
}

}  // namespace sesv2mock
