#pragma once
// CreateImportJob, GetImportJob, ListImportJobs and the failed-records file of a job.
#include <functional>
#include <optional>
#include <string>

#include "server/core/model.hpp"
#include "server/core/paging.hpp"
#include "server/core/request_context.hpp"
#include "server/core/settings.hpp"
#include "server/imports/failed_records_download.hpp"
#include "server/s3/s3_location.hpp"  // matches_s3_url_pattern

// The stores are only referred to here; callers above the domain (server/api) need not see
// storage at all.
namespace sesv2mock::storage {
class ContactStore;
class ImportJobStore;
}  // namespace sesv2mock::storage

namespace sesv2mock {

struct CreateImportJobRequest {
  ImportDestination destination;
  ImportDataSource source;
};

struct ListImportJobsRequest {
  std::optional<DestinationType> destination_type;
  PageRequest paging;
};

using ListImportJobsResult = Page<ImportJob>;

class ImportJobService {
 public:
  // `wake` tells the job runner that a new job waits (the worker, wired by main).
  ImportJobService(storage::ImportJobStore& jobs, storage::ContactStore& contacts,
                   const Pager& pager, const Settings& settings, std::function<void()> wake);

  std::string create(const RequestContext& ctx, const CreateImportJobRequest& request);
  ImportJob get(const RequestContext& ctx, const std::string& job_id) const;
  ListImportJobsResult list(const RequestContext& ctx, const ListImportJobsRequest& request) const;

  // Any partition's job (the control API addresses jobs by id alone).
  ImportJob find_any(const std::string& job_id) const;
  // The job's failed-records file, produced page by page (streamed to the client).
  FailedRecordsDownload failed_records_file(const std::string& job_id) const;

 private:
  storage::ImportJobStore& jobs_;
  storage::ContactStore& contacts_;
  const Pager& pager_;
  const Settings& settings_;
  std::function<void()> wake_;
};

// The download URL of a job's failed records, on this server as the client reached it.
std::string failed_records_url(const RequestContext& ctx, const std::string& job_id);

}  // namespace sesv2mock
