#include "server/imports/import_job_service.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <cinttypes>
#include <cstdio>

#include "server/core/messages.hpp"
#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"

namespace sesv2mock {
namespace {

std::string new_job_id() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string list_scope(const RequestContext& ctx, const std::optional<DestinationType>& type) {
  return "ListImportJobs|" + ctx.partition.account + "|" + ctx.partition.region + "|" +
         std::string(type ? to_string(*type) : "ALL");
}

// A listing position is "<created_timestamp> <seq>" of the last job of the previous page.
std::string position_of(const ImportJob& job) {
  char position[64];
  std::snprintf(position, sizeof position, "%.17g %" PRId64, job.created_timestamp, job.seq);
  return position;
}

storage::ImportJobStore::ListPosition parse_position(const std::string& text) {
  storage::ImportJobStore::ListPosition p;
  if (std::sscanf(text.c_str(), "%lf %" SCNd64, &p.created_timestamp, &p.seq) != 2) {
    throw Pager::invalid_token(PageRules::kImportJobs);
  }
  return p;
}

}  // namespace

ImportJobService::ImportJobService(storage::ImportJobStore& jobs, storage::ContactStore& contacts,
                                   const Pager& pager, const Settings& settings,
                                   std::function<void()> wake)
    : jobs_(jobs),
      contacts_(contacts),
      pager_(pager),
      settings_(settings),
      wake_(std::move(wake)) {}

std::string ImportJobService::create(const RequestContext& ctx,
                                     const CreateImportJobRequest& request) {
  if (!matches_s3_url_pattern(request.source.s3_url))
    throw errors::s3_url_pattern();
  if (request.destination.type == DestinationType::ContactList &&
      !contacts_.exists(ctx.partition, request.destination.contact_list_name)) {
    throw errors::import_list_not_found(request.destination.contact_list_name);
  }
  ImportJob job;
  job.job_id = new_job_id();
  job.partition = ctx.partition;
  job.destination = request.destination;
  job.source = request.source;
  job.status = JobStatus::Created;
  job.created_timestamp = now_epoch_seconds();
  job.status_changed_at = job.created_timestamp;
  if (!jobs_.insert_if_below_limit(job, settings_.max_unfinished_import_jobs)) {
    throw errors::import_jobs_limit(settings_.max_unfinished_import_jobs);
  }
  if (wake_)
    wake_();
  return job.job_id;
}

ImportJob ImportJobService::get(const RequestContext& ctx, const std::string& job_id) const {
  auto job = jobs_.find(ctx.partition, job_id);
  if (!job)
    throw errors::import_job_not_found(job_id);
  return std::move(*job);
}

ListImportJobsResult ImportJobService::list(const RequestContext& ctx,
                                            const ListImportJobsRequest& request) const {
  auto fetch = [&](const std::optional<std::string>& after, int limit) {
    std::optional<storage::ImportJobStore::ListPosition> position;
    if (after)
      position = parse_position(*after);
    return jobs_.list(ctx.partition, request.destination_type, position, limit);
  };
  return pager_.page(list_scope(ctx, request.destination_type), PageRules::kImportJobs,
                     request.paging, fetch, position_of);
}

ImportJob ImportJobService::find_any(const std::string& job_id) const {
  auto job = jobs_.find(job_id);
  if (!job)
    throw errors::import_job_not_found(job_id);
  return std::move(*job);
}

FailedRecordsDownload ImportJobService::failed_records_file(const std::string& job_id) const {
  return failed_records_download(jobs_, find_any(job_id));
}

std::string failed_records_url(const RequestContext& ctx, const std::string& job_id) {
  return "http://" + ctx.host + "/_mock/import-jobs/" + job_id + "/failed-records";
}

}  // namespace sesv2mock
