#pragma once
// CreateImportJob, GetImportJob, ListImportJobs: plain functions over typed requests.
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "server/control/services.hpp"

namespace sesv2mock {

struct CreateImportJobRequest {
  ImportDestination destination;
  ImportDataSource source;
};

struct ListImportJobsRequest {
  std::optional<DestinationType> destination_type;
  std::optional<std::int64_t> page_size;
  std::optional<std::string> next_token;
};

struct ListImportJobsResult {
  std::vector<ImportJob> jobs;
  std::optional<std::string> next_token;
};

std::string create_import_job(Services& s, const RequestContext& ctx,
                              const CreateImportJobRequest& request);
ImportJob get_import_job(Services& s, const RequestContext& ctx, const std::string& job_id);
ListImportJobsResult list_import_jobs(Services& s, const RequestContext& ctx,
                                      const ListImportJobsRequest& request);

// The download URL of a job's failed records, on this server as the client reached it.
std::string failed_records_url(const RequestContext& ctx, const std::string& job_id);

}  // namespace sesv2mock

namespace sesv2mock {

// The failed-records file of a job, in the job's data format:
// CSV: header `lineNumber,failureReason,record`, one RFC 4180 row per failed record;
// JSON: one {"lineNumber", "failureReason", "record"} object per line.
struct FailedRecordsFile {
  std::string content_type;
  std::string body;
};
FailedRecordsFile failed_records_file(Services& s, const std::string& job_id);

}  // namespace sesv2mock
