#include "server/api/import_job_codec.hpp"

#include "server/core/errors.hpp"
#include "server/core/import_job_json.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

CreateImportJobRequest parse_create_import_job(const json::object& body) {
  JsonFields f(body);
  const json::object* destination = f.object("ImportDestination");
  if (!destination)
    throw ApiError::missing_field(f.path("ImportDestination"));
  const json::object* source = f.object("ImportDataSource");
  if (!source)
    throw ApiError::missing_field(f.path("ImportDataSource"));
  return {parse_import_destination(f, *destination), parse_import_data_source(f, *source)};
}

ListImportJobsRequest parse_list_import_jobs(const json::object& body) {
  JsonFields f(body);
  ListImportJobsRequest r;
  if (auto type = f.string("ImportDestinationType")) {
    r.destination_type = parse_destination_type(*type);
    if (!r.destination_type) {
      throw ApiError::validation(f.path("ImportDestinationType"),
                                 "Member must satisfy enum value set: [SUPPRESSION_LIST, "
                                 "CONTACT_LIST]");
    }
  }
  r.paging.page_size = f.integer("PageSize");
  r.paging.next_token = f.string("NextToken");
  return r;
}

json::object import_job_summary_to_json(const ImportJob& job) {
  return {{"JobId", job.job_id},
          {"ImportDestination", import_destination_to_json(job.destination)},
          {"JobStatus", to_string(job.status)},
          {"CreatedTimestamp", job.created_timestamp},
          {"ProcessedRecordsCount", job.processed_records},
          {"FailedRecordsCount", job.failed_records}};
}

json::object import_job_to_json(const ImportJob& job, const std::string& failed_records_url) {
  json::object out = import_job_summary_to_json(job);
  out["ImportDataSource"] = {{"S3Url", job.source.s3_url},
                             {"DataFormat", to_string(job.source.data_format)}};
  if (job.completed_timestamp)
    out["CompletedTimestamp"] = *job.completed_timestamp;
  json::object failure;
  if (job.error_message)
    failure["ErrorMessage"] = *job.error_message;
  if (!failed_records_url.empty())
    failure["FailedRecordsS3Url"] = failed_records_url;
  if (!failure.empty())
    out["FailureInfo"] = std::move(failure);
  return out;
}

json::object mock_import_job_to_json(const ImportJob& job, const std::string& failed_records_url) {
  json::object out = import_job_to_json(job, failed_records_url);
  out["Account"] = job.partition.account;
  out["Region"] = job.partition.region;
  if (job.total_records)
    out["TotalRecordsCount"] = *job.total_records;
  return out;
}

json::object list_import_jobs_to_json(const ListImportJobsResult& r) {
  json::array jobs;
  for (const auto& job : r.rows)
    jobs.push_back(import_job_summary_to_json(job));
  json::object out{{"ImportJobs", std::move(jobs)}};
  if (r.next_token)
    out["NextToken"] = *r.next_token;
  return out;
}

}  // namespace sesv2mock
