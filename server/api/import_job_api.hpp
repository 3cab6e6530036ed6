#pragma once
// Routes of CreateImportJob, GetImportJob and ListImportJobs (SPEC §1).
#include "server/api/api.hpp"
#include "server/imports/import_job_service.hpp"

namespace sesv2mock::api {

class ImportJobApi {
 public:
  explicit ImportJobApi(ImportJobService& jobs) : jobs_(jobs) {}
  RouteTable routes();

 private:
  ApiResponse create(const ApiRequest& r);
  ApiResponse get(const ApiRequest& r);
  ApiResponse list(const ApiRequest& r);

  ImportJobService& jobs_;
};

}  // namespace sesv2mock::api
