#include "server/api/export_job_codec.hpp"

#include <boost/json/parse.hpp>

#include "server/core/errors.hpp"
#include "server/core/export_job_json.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

CreateExportJobRequest parse_create_export_job(const json::object& body) {
  JsonFields f(body);
  const json::object* source = f.object("ExportDataSource");
  if (!source)
    throw ApiError::missing_field(f.path("ExportDataSource"));
  const json::object* destination = f.object("ExportDestination");
  if (!destination)
    throw ApiError::missing_field(f.path("ExportDestination"));
  return {parse_export_data_source(f, *source), parse_export_destination(f, *destination)};
}

ListExportJobsRequest parse_list_export_jobs(const json::object& body) {
  JsonFields f(body);
  ListExportJobsRequest r;
  if (auto type = f.string("ExportSourceType")) {
    r.source_type = parse_export_source_type(*type);
    if (!r.source_type) {
      throw ApiError::validation(f.path("ExportSourceType"),
                                 "Member must satisfy enum value set: [METRICS_DATA, "
                                 "MESSAGE_INSIGHTS]");
    }
  }
  if (auto status = f.string("JobStatus")) {
    r.status = parse_job_status(*status);
    if (!r.status) {
      throw ApiError::validation(f.path("JobStatus"),
                                 "Member must satisfy enum value set: [CREATED, PROCESSING, "
                                 "COMPLETED, FAILED, CANCELLED]");
    }
  }
  r.paging.page_size = f.integer("PageSize");
  r.paging.next_token = f.string("NextToken");
  return r;
}

json::object export_job_summary_to_json(const ExportJob& job) {
  json::object out{{"JobId", job.job_id},
                   {"ExportSourceType", to_string(job.source_type)},
                   {"JobStatus", to_string(job.status)},
                   {"CreatedTimestamp", job.created_timestamp}};
  if (job.completed_timestamp)
    out["CompletedTimestamp"] = *job.completed_timestamp;
  return out;
}

namespace {

json::object statistics(const ExportJob& job) {
  return {{"ProcessedRecordsCount", job.processed_records},
          {"ExportedRecordsCount", job.exported_records}};
}

}  // namespace

json::object export_job_to_json(const ExportJob& job, const std::string& file_url) {
  json::object out = export_job_summary_to_json(job);
  json::object destination{{"DataFormat", to_string(job.destination.data_format)}};
  if (!file_url.empty()) {
    destination["S3Url"] = file_url;
  } else if (job.destination.s3_url) {
    destination["S3Url"] = *job.destination.s3_url;
  }
  out["ExportDestination"] = std::move(destination);
  json::value source = json::parse(job.data_source_json);
  out["ExportDataSource"] = source.is_object() ? source.as_object() : json::object{};
  if (job.error_message)
    out["FailureInfo"] = json::object{{"ErrorMessage", *job.error_message}};
  out["Statistics"] = statistics(job);
  return out;
}

json::object list_export_jobs_to_json(const ExportJobPage& page) {
  json::array jobs;
  for (const auto& job : page.rows)
    jobs.push_back(export_job_summary_to_json(job));
  json::object out{{"ExportJobs", std::move(jobs)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return out;
}

json::object export_job_control_summary(const ExportJob& job, const std::string& file_url) {
  json::object out = export_job_summary_to_json(job);
  out["Statistics"] = statistics(job);
  if (job.error_message)
    out["FailureInfo"] = json::object{{"ErrorMessage", *job.error_message}};
  if (!file_url.empty())
    out["DownloadUrl"] = file_url;
  return out;
}

}  // namespace sesv2mock
