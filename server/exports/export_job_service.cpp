#include "server/exports/export_job_service.hpp"

#include <boost/json/serialize.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "server/core/export_job_json.hpp"
#include "server/core/messages.hpp"
#include "server/exports/export_run.hpp"
#include "server/exports/export_worker.hpp"
#include "server/s3/s3_location.hpp"
#include "storage/export_job_store.hpp"

namespace sesv2mock {
namespace {

constexpr PageRule kExportJobsPage{100, 100};
constexpr double kSecondsPerDay = 86'400;
constexpr std::size_t kDownloadChunk = 64 * 1024;
// Where an export without an S3Url writes its file.
constexpr const char* kDefaultBucket = "sesv2-mock-exports";

std::string new_job_id() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string position_of(const ExportJob& job) {
  char position[64];
  std::snprintf(position, sizeof position, "%.17g %" PRId64, job.created_timestamp, job.seq);
  return position;
}

storage::ExportJobStore::ListPosition parse_position(const std::string& text) {
  storage::ExportJobStore::ListPosition p;
  if (std::sscanf(text.c_str(), "%lf %" SCNd64, &p.created_timestamp, &p.seq) != 2)
    throw Pager::invalid_token(kExportJobsPage);
  return p;
}

bool is_midnight(double t) {
  return std::fmod(t, kSecondsPerDay) == 0;
}

}  // namespace

std::string export_file_location(const ExportDestination& d, const std::string& job_id) {
  const std::string name = job_id + (d.data_format == DataFormat::Csv ? ".csv" : ".json");
  if (!d.s3_url)
    return std::string("s3://") + kDefaultBucket + "/" + name;
  if (d.s3_url->back() == '/')
    return *d.s3_url + name;
  return *d.s3_url;
}

namespace {

// A job ended by the API or the control routes: its partial file goes, unless a run holds
// it (that run removes it at its next commit, when it sees the job has ended).
void drop_partial_file(ExportWorker& worker, const Settings& settings, const std::string& id) {
  if (!worker.is_busy(id))
    std::remove(ExportRun::partial_path(settings, id).c_str());
}

ApiError illegal(const ExportJob& job, JobStatus to) {
  return errors::illegal_job_move(job.job_id, std::string(to_string(job.status)),
                                  std::string(to_string(to)), "Export job");
}

}  // namespace

void ExportJobService::check_create(const CreateExportJobRequest& request) {
  const auto& s = request.source;
  if (s.metrics.has_value() == s.message_insights.has_value())
    throw errors::export_data_source_count();
  if (s.metrics) {
    if (s.metrics->start_date >= s.metrics->end_date)
      throw errors::export_dates_out_of_order("MetricsDataSource");
    if (!is_midnight(s.metrics->start_date) || !is_midnight(s.metrics->end_date))
      throw errors::export_metrics_not_midnight();
  }
  if (s.message_insights && s.message_insights->start_date >= s.message_insights->end_date)
    throw errors::export_dates_out_of_order("MessageInsightsDataSource");
  if (request.destination.s3_url && !matches_s3_url_pattern(*request.destination.s3_url))
    throw errors::export_s3_url_pattern();
}

std::string ExportJobService::create(const RequestContext& ctx,
                                     const CreateExportJobRequest& request) {
  check_create(request);
  ExportJob job;
  job.job_id = new_job_id();
  job.partition = ctx.partition;
  job.source_type =
      request.source.metrics ? ExportSourceType::MetricsData : ExportSourceType::MessageInsights;
  job.data_source_json = boost::json::serialize(export_data_source_to_json(request.source));
  job.destination = request.destination;
  job.file_url = export_file_location(request.destination, job.job_id);
  job.status = JobStatus::Created;
  job.created_timestamp = now_epoch_seconds();
  job.status_changed_at = job.created_timestamp;
  if (!jobs_.insert_if_below_limit(job, settings_.max_unfinished_import_jobs))
    throw errors::export_jobs_limit(settings_.max_unfinished_import_jobs);
  worker_.wake();
  return job.job_id;
}

ExportJob ExportJobService::get(const RequestContext& ctx, const std::string& job_id) const {
  auto job = jobs_.find(ctx.partition, job_id);
  if (!job)
    throw errors::export_job_not_found(job_id);
  return std::move(*job);
}

ExportJobPage ExportJobService::list(const RequestContext& ctx,
                                     const ListExportJobsRequest& request) const {
  const std::string scope =
      "ListExportJobs|" + ctx.partition.account + "|" + ctx.partition.region + "|" +
      std::string(request.source_type ? to_string(*request.source_type) : "ALL") + "|" +
      std::string(request.status ? to_string(*request.status) : "ALL");
  auto fetch = [&](const std::optional<std::string>& after, int limit) {
    std::optional<storage::ExportJobStore::ListPosition> position;
    if (after)
      position = parse_position(*after);
    return jobs_.list(&ctx.partition, request.source_type, request.status, position, limit);
  };
  return pager_.page(scope, kExportJobsPage, request.paging, fetch, position_of);
}

void ExportJobService::cancel(const RequestContext& ctx, const std::string& job_id) {
  get(ctx, job_id);
  if (!worker_.cancel(job_id)) {
    throw errors::export_cancel_finished(job_id, std::string(to_string(get(ctx, job_id).status)));
  }
  drop_partial_file(worker_, settings_, job_id);
}

ExportJob ExportJobService::find_any(const std::string& job_id) const {
  auto job = jobs_.find(job_id);
  if (!job)
    throw errors::export_job_not_found(job_id);
  return std::move(*job);
}

ExportJobPage ExportJobService::list_any(const ControlExportListRequest& request) const {
  const std::string scope =
      "ControlExportJobs|" +
      (request.partition ? request.partition->account + "|" + request.partition->region : "ALL");
  auto fetch = [&](const std::optional<std::string>& after, int limit) {
    std::optional<storage::ExportJobStore::ListPosition> position;
    if (after)
      position = parse_position(*after);
    return jobs_.list(request.partition ? &*request.partition : nullptr, std::nullopt, std::nullopt,
                      position, limit);
  };
  return pager_.page(scope, kExportJobsPage, request.paging, fetch, position_of);
}

ExportJob ExportJobService::advance(const std::string& job_id) {
  find_any(job_id);
  worker_.advance(job_id);
  return find_any(job_id);
}

ExportJob ExportJobService::control_cancel(const std::string& job_id) {
  find_any(job_id);
  if (!worker_.cancel(job_id))
    throw illegal(find_any(job_id), JobStatus::Cancelled);
  drop_partial_file(worker_, settings_, job_id);
  return find_any(job_id);
}

ExportJob ExportJobService::fail(const std::string& job_id, const std::string& message) {
  ExportJob current = find_any(job_id);
  if (is_final(current.status))
    throw illegal(current, JobStatus::Failed);
  if (!worker_.fail(job_id, message))
    throw illegal(find_any(job_id), JobStatus::Failed);
  drop_partial_file(worker_, settings_, job_id);
  return find_any(job_id);
}

ExportFileDownload ExportJobService::file(const std::string& job_id) const {
  ExportJob job = find_any(job_id);
  if (job.status != JobStatus::Completed) {
    throw ApiError::not_found("Export job " + job_id + " is " + std::string(to_string(job.status)) +
                              "; it has no file yet.");
  }
  auto loc = parse_s3_url(job.file_url);
  std::string path;
  try {
    if (!loc)
      throw std::runtime_error("not a valid S3 URL");
    path = resolve_local_object(settings_.effective_s3_dir(), *loc);
  } catch (const std::exception& e) {
    throw ApiError::not_found("The file of export job " + job_id + " (" + job.file_url +
                              ") cannot be read: " + e.what());
  }
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (!*in)
    throw ApiError::not_found("The file of export job " + job_id + " cannot be opened.");
  ExportFileDownload out;
  out.content_type =
      job.destination.data_format == DataFormat::Csv ? "text/csv" : "application/x-ndjson";
  out.next_chunk = [in](std::string& chunk) {
    const std::size_t had = chunk.size();
    chunk.resize(had + kDownloadChunk);
    in->read(chunk.data() + had, static_cast<std::streamsize>(kDownloadChunk));
    chunk.resize(had + static_cast<std::size_t>(in->gcount()));
    return static_cast<bool>(*in);
  };
  return out;
}

std::string export_file_url(const RequestContext& ctx, const std::string& job_id) {
  return "http://" + ctx.host + "/_mock/export-jobs/" + job_id + "/file";
}

}  // namespace sesv2mock
