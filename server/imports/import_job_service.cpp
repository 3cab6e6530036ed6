#include "server/imports/import_job_service.hpp"

#include <boost/json.hpp>
#include <cinttypes>
#include <cstdio>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "server/core/errors.hpp"
#include "server/s3/s3_location.hpp"

namespace sesv2mock {
namespace {

constexpr int kDefaultImportJobsPageSize = 100;

std::string new_job_id() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string list_scope(const RequestContext& ctx, const std::optional<DestinationType>& type) {
  return "ListImportJobs|" + ctx.partition.account + "|" + ctx.partition.region + "|" +
         std::string(type ? to_string(*type) : "ALL");
}

}  // namespace

std::string create_import_job(Services& s, const RequestContext& ctx,
                              const CreateImportJobRequest& request) {
  if (!parse_s3_url(request.source.s3_url)) {
    throw ApiError::validation("importDataSource.s3Url",
                               "Member must satisfy regular expression pattern: "
                               "^s3:\\/\\/([^\\/]+)\\/(.*?([^\\/]+)\\/?)$");
  }
  if (request.destination.type == DestinationType::ContactList &&
      !s.contacts.exists(ctx.partition, request.destination.contact_list_name)) {
    throw ApiError::not_found("ContactList " + request.destination.contact_list_name +
                              " doesn't exist");
  }
  ImportJob job;
  job.job_id = new_job_id();
  job.partition = ctx.partition;
  job.destination = request.destination;
  job.source = request.source;
  job.status = JobStatus::Created;
  job.created_timestamp = now_epoch_seconds();
  job.status_changed_at = job.created_timestamp;
  if (!s.jobs.insert_if_below_limit(job, s.settings.max_unfinished_import_jobs)) {
    throw ApiError::limit_exceeded("You have reached the limit of " +
                                   std::to_string(s.settings.max_unfinished_import_jobs) +
                                   " import jobs that are not finished.");
  }
  s.worker.wake();
  return job.job_id;
}

ImportJob get_import_job(Services& s, const RequestContext& ctx, const std::string& job_id) {
  auto job = s.jobs.find(ctx.partition, job_id);
  if (!job) throw ApiError::not_found("Import job " + job_id + " does not exist.");
  return std::move(*job);
}

ListImportJobsResult list_import_jobs(Services& s, const RequestContext& ctx,
                                      const ListImportJobsRequest& request) {
  std::int64_t page_size = request.page_size.value_or(kDefaultImportJobsPageSize);
  if (page_size < Limits::kMinPageSize || page_size > Limits::kMaxImportJobsPageSize) {
    throw ApiError::validation("pageSize", "Member must be between 1 and 100");
  }
  const std::string scope = list_scope(ctx, request.destination_type);
  // The position is "<created_timestamp> <seq>" of the last job of the previous page.
  std::optional<storage::ImportJobStore::ListPosition> after;
  if (request.next_token) {
    auto position = s.tokens.decode(scope, *request.next_token);
    storage::ImportJobStore::ListPosition p;
    if (!position || std::sscanf(position->c_str(), "%lf %" SCNd64, &p.created_timestamp, &p.seq) != 2) {
      throw ApiError::bad_request("The NextToken is not valid for this listing.");
    }
    after = p;
  }
  ListImportJobsResult result;
  result.jobs = s.jobs.list(ctx.partition, request.destination_type, after,
                            static_cast<int>(page_size) + 1);
  if (static_cast<std::int64_t>(result.jobs.size()) > page_size) {
    result.jobs.resize(page_size);
    char position[64];
    std::snprintf(position, sizeof position, "%.17g %" PRId64,
                  result.jobs.back().created_timestamp, result.jobs.back().seq);
    result.next_token = s.tokens.encode(scope, position);
  }
  return result;
}

std::string failed_records_url(const RequestContext& ctx, const std::string& job_id) {
  return "http://" + ctx.host + "/_mock/import-jobs/" + job_id + "/failed-records";
}

}  // namespace sesv2mock

namespace sesv2mock {
namespace {

std::string csv_quote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

FailedRecordsFile failed_records_file(Services& s, const std::string& job_id) {
  auto job = s.jobs.find(job_id);
  if (!job) throw ApiError::not_found("Import job " + job_id + " does not exist.");
  FailedRecordsFile file;
  const auto records = s.jobs.failed_records(job_id);
  if (job->source.data_format == DataFormat::Csv) {
    file.content_type = "text/csv";
    file.body = "lineNumber,failureReason,record\n";
    for (const auto& r : records) {
      file.body += std::to_string(r.line) + "," + csv_quote(r.reason) + "," + csv_quote(r.record) + "\n";
    }
  } else {
    file.content_type = "application/x-ndjson";
    for (const auto& r : records) {
      file.body += boost::json::serialize(boost::json::object{
          {"lineNumber", r.line}, {"failureReason", r.reason}, {"record", r.record}});
      file.body.push_back('\n');
    }
  }
  return file;
}

}  // namespace sesv2mock
