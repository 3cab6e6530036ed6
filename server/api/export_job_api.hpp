#pragma once
// Routes of CreateExportJob, GetExportJob, ListExportJobs and CancelExportJob, and the
// control routes of export jobs (/_mock/export-jobs: listing, file download, advance,
// cancel, fail).
#include "server/api/api.hpp"
#include "server/exports/export_job_service.hpp"

namespace sesv2mock::api {

class ExportJobApi {
 public:
  explicit ExportJobApi(ExportJobService& jobs) : jobs_(jobs) {}
  RouteTable routes();

 private:
  ApiResponse create(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);
  ApiResponse cancel(const ApiRequest& r);
  ApiResponse control_list(const ApiRequest& r);
  ApiResponse control_get(const ApiRequest& r);
  ApiResponse file(const ApiRequest& r);
  ApiResponse advance(const ApiRequest& r);
  ApiResponse control_cancel(const ApiRequest& r);
  ApiResponse fail(const ApiRequest& r);

  ExportJobService& jobs_;
};

}  // namespace sesv2mock::api
