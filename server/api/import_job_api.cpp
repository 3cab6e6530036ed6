#include "server/api/import_job_api.hpp"

#include "server/api/import_job_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

ApiResponse ImportJobApi::create(const ApiRequest& r) {
  auto request = parse_create_import_job(parse_json_body(r.body));
  return json_response(json::object{{"JobId", jobs_.create(r.context, request)}});
}

ApiResponse ImportJobApi::get(const ApiRequest& r) {
  ImportJob job = jobs_.get(r.context, r.label("JobId"));
  std::string url = job.failed_records > 0 ? failed_records_url(r.context, job.job_id) : "";
  return json_response(import_job_to_json(job, url));
}

ApiResponse ImportJobApi::list(const ApiRequest& r) {
  auto request = parse_list_import_jobs(parse_json_body(r.body));
  // The older GET form (AWS CLI v2 2.9, Go SDK v2 1.17) sends PageSize and NextToken in the
  // query string and only ImportDestinationType in the body.
  apply_paging_query(r.query, request.paging.page_size, request.paging.next_token);
  return json_response(list_import_jobs_to_json(jobs_.list(r.context, request)));
}

RouteTable ImportJobApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  // Literal paths before templates that could also match them.
  return {
      {"POST", "/v2/email/import-jobs/list", "ListImportJobs", bind(&ImportJobApi::list)},
      {"GET", "/v2/email/import-jobs", "ListImportJobs", bind(&ImportJobApi::list)},  // older SDKs
      {"POST", "/v2/email/import-jobs", "CreateImportJob", bind(&ImportJobApi::create)},
      {"GET", "/v2/email/import-jobs/{JobId}", "GetImportJob", bind(&ImportJobApi::get)},
  };
}

}  // namespace sesv2mock::api
