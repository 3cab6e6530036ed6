#pragma once
// CreateExportJob, GetExportJob, ListExportJobs, CancelExportJob, the export file download
// and the control moves of export jobs (/_mock/export-jobs).
#include <functional>
#include <optional>
#include <string>

#include "server/core/export_job.hpp"
#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"
#include "server/core/settings.hpp"

namespace sesv2mock::storage {
class ExportJobStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

class ExportWorker;

struct CreateExportJobRequest {
  ExportDataSource source;
  ExportDestination destination;
};

struct ListExportJobsRequest {
  std::optional<ExportSourceType> source_type;
  std::optional<JobStatus> status;
  PageRequest paging;
};

// GET /_mock/export-jobs: every partition unless one is named.
struct ControlExportListRequest {
  std::optional<Partition> partition;
  PageRequest paging;
};

using ExportJobPage = Page<ExportJob>;

// A finished export file, read a piece at a time (streamed to the client).
struct ExportFileDownload {
  std::string content_type;
  std::function<bool(std::string& chunk)> next_chunk;
};

class ExportJobService {
 public:
  ExportJobService(storage::ExportJobStore& jobs, ExportWorker& worker, const Pager& pager,
                   const Settings& settings)
      : jobs_(jobs), worker_(worker), pager_(pager), settings_(settings) {}

  // Checks the request (see check_create) and stores a CREATED job.
  std::string create(const RequestContext& ctx, const CreateExportJobRequest& request);
  ExportJob get(const RequestContext& ctx, const std::string& job_id) const;
  ExportJobPage list(const RequestContext& ctx, const ListExportJobsRequest& request) const;
  // BadRequestException naming the state when the job has ended.
  void cancel(const RequestContext& ctx, const std::string& job_id);

  // Control API (any partition). Moves the state machine forbids are ConflictException.
  ExportJob find_any(const std::string& job_id) const;
  ExportJobPage list_any(const ControlExportListRequest& request) const;
  ExportJob advance(const std::string& job_id);
  ExportJob control_cancel(const std::string& job_id);
  ExportJob fail(const std::string& job_id, const std::string& message);
  // The COMPLETED job's file; NotFoundException before that.
  ExportFileDownload file(const std::string& job_id) const;

  // The rules between members the model cannot say: one data source, dates in order,
  // metrics on whole UTC days, a valid S3Url. Throws BadRequestException.
  static void check_create(const CreateExportJobRequest& request);

 private:
  storage::ExportJobStore& jobs_;
  ExportWorker& worker_;
  const Pager& pager_;
  const Settings& settings_;
};

// The object a job's file is written to: s3://sesv2-mock-exports/<JobId>.csv|json without an
// S3Url; an S3Url ending in '/' gets <JobId>.csv|json appended; any other S3Url as given.
std::string export_file_location(const ExportDestination& d, const std::string& job_id);

// The mock URL GetExportJob gives as ExportDestination.S3Url once the file is written.
std::string export_file_url(const RequestContext& ctx, const std::string& job_id);

}  // namespace sesv2mock
