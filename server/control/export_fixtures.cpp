#include "server/control/export_fixtures.hpp"

#include <boost/json/serialize.hpp>

#include "server/core/export_job_json.hpp"
#include "server/exports/export_job_service.hpp"

namespace sesv2mock::fixture {

ExportJob parse_export_job(const Node& n, const Partition& fallback, double now) {
  n.only({"JobId", "Account", "Region", "ExportDataSource", "ExportDestination", "JobStatus",
          "CreatedTimestamp", "CompletedTimestamp", "Statistics", "FailureInfo"});
  ExportJob job;
  job.job_id = n.required_string("JobId");
  job.partition = partition_of(n, fallback);
  if (!n.child("ExportDataSource"))
    reject(n.at("ExportDataSource"), "is required.");
  if (!n.child("ExportDestination"))
    reject(n.at("ExportDestination"), "is required.");
  CreateExportJobRequest request;
  try {
    // Same shapes and checks as CreateExportJob.
    const json::object empty;
    JsonFields fields(empty, n.path(), /*exact_names=*/true);
    request.source = parse_export_data_source(fields, n.get("ExportDataSource")->as_object());
    request.destination = parse_export_destination(fields, n.get("ExportDestination")->as_object());
    ExportJobService::check_create(request);
  } catch (const ApiError& e) {
    reject(e.field().empty() ? n.path() : e.field(), e.message());
  }
  job.source_type =
      request.source.metrics ? ExportSourceType::MetricsData : ExportSourceType::MessageInsights;
  job.data_source_json = json::serialize(export_data_source_to_json(request.source));
  job.destination = request.destination;
  job.file_url = export_file_location(request.destination, job.job_id);
  job.status = n.get("JobStatus") ? n.enumeration<JobStatus>("JobStatus", parse_job_status,
                                                             "CREATED, PROCESSING, COMPLETED, "
                                                             "FAILED, CANCELLED")
                                  : JobStatus::Created;
  job.created_timestamp = n.timestamp("CreatedTimestamp").value_or(now);
  job.completed_timestamp = n.timestamp("CompletedTimestamp");
  if (is_final(job.status) && !job.completed_timestamp)
    job.completed_timestamp = job.created_timestamp;
  if (!is_final(job.status) && job.completed_timestamp)
    reject(n.at("CompletedTimestamp"), "is only allowed for COMPLETED, FAILED or CANCELLED jobs.");
  if (job.completed_timestamp && *job.completed_timestamp < job.created_timestamp)
    reject(n.at("CompletedTimestamp"), "is before CreatedTimestamp.");
  job.status_changed_at = job.completed_timestamp.value_or(job.created_timestamp);
  if (auto stats = n.child("Statistics")) {
    stats->only({"ProcessedRecordsCount", "ExportedRecordsCount"});
    job.processed_records = stats->count("ProcessedRecordsCount").value_or(0);
    job.exported_records = stats->count("ExportedRecordsCount").value_or(0);
    if (job.exported_records > job.processed_records)
      reject(stats->at("ExportedRecordsCount"), "is larger than ProcessedRecordsCount.");
  }
  // A fixture job in PROCESSING starts its file afresh: no checkpoint, no counts carried.
  if (job.status == JobStatus::Processing)
    job.processed_records = job.exported_records = 0;
  if (auto failure = n.child("FailureInfo")) {
    failure->only({"ErrorMessage"});
    job.error_message = failure->string("ErrorMessage");
    if (job.error_message && job.status != JobStatus::Failed)
      reject(failure->at("ErrorMessage"), "is only allowed for FAILED jobs.");
  }
  return job;
}

}  // namespace sesv2mock::fixture
