#include "server/api/export_job_api.hpp"

#include "server/api/export_job_codec.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

namespace {

std::string url_of(const ApiRequest& r, const ExportJob& job) {
  return job.status == JobStatus::Completed ? export_file_url(r.context, job.job_id) : "";
}

// Control answers show the whole job, in GetExportJob's shape plus where it lives.
ApiResponse job_response(const ApiRequest& r, const ExportJob& job) {
  json::object out = export_job_to_json(job, url_of(r, job));
  out["Account"] = job.partition.account;
  out["Region"] = job.partition.region;
  return json_response(std::move(out));
}

}  // namespace

ApiResponse ExportJobApi::create(const ApiRequest& r) {
  auto request = parse_create_export_job(parse_json_body(r.body));
  return json_response(json::object{{"JobId", jobs_.create(r.context, request)}});
}

ApiResponse ExportJobApi::get(const ApiRequest& r) {
  ExportJob job = jobs_.get(r.context, r.label("JobId"));
  return json_response(export_job_to_json(job, url_of(r, job)));
}

ApiResponse ExportJobApi::list(const ApiRequest& r) {
  auto request = parse_list_export_jobs(parse_json_body(r.body));
  return json_response(list_export_jobs_to_json(jobs_.list(r.context, request)));
}

ApiResponse ExportJobApi::cancel(const ApiRequest& r) {
  jobs_.cancel(r.context, r.label("JobId"));
  return empty_response();
}

ApiResponse ExportJobApi::control_list(const ApiRequest& r) {
  ControlExportListRequest request;
  std::optional<std::string> account;
  std::optional<std::string> region;
  for (const auto& [name, value] : r.query) {
    if (name == "account")
      account = value;
    else if (name == "region")
      region = value;
  }
  if (account || region) {
    Partition p;
    p.account = account.value_or(p.account);
    p.region = region.value_or(p.region);
    request.partition = p;
  }
  apply_paging_query(r.query, request.paging.page_size, request.paging.next_token);
  auto page = jobs_.list_any(request);
  json::array jobs;
  for (const auto& job : page.rows)
    jobs.push_back(export_job_control_summary(job, url_of(r, job)));
  json::object out{{"ExportJobs", std::move(jobs)}};
  if (page.next_token)
    out["NextToken"] = *page.next_token;
  return json_response(std::move(out));
}

ApiResponse ExportJobApi::control_get(const ApiRequest& r) {
  return job_response(r, jobs_.find_any(r.label("JobId")));
}

ApiResponse ExportJobApi::file(const ApiRequest& r) {
  auto download = jobs_.file(r.label("JobId"));
  ApiResponse out;
  out.content_type = std::move(download.content_type);
  out.body_stream = std::move(download.next_chunk);
  return out;
}

ApiResponse ExportJobApi::advance(const ApiRequest& r) {
  return job_response(r, jobs_.advance(r.label("JobId")));
}

ApiResponse ExportJobApi::control_cancel(const ApiRequest& r) {
  return job_response(r, jobs_.control_cancel(r.label("JobId")));
}

ApiResponse ExportJobApi::fail(const ApiRequest& r) {
  std::string message = JsonFields(parse_json_body(r.body))
                            .string("message")
                            .value_or("The export job was failed by the control API.");
  return job_response(r, jobs_.fail(r.label("JobId"), message));
}

RouteTable ExportJobApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string job = "/_mock/export-jobs/{JobId}";
  const char* op = kControlOperation;
  return {
      {"POST", "/v2/email/export-jobs", "CreateExportJob", bind(&ExportJobApi::create)},
      {"GET", "/v2/email/export-jobs/{JobId}", "GetExportJob", bind(&ExportJobApi::get)},
      {"POST", "/v2/email/list-export-jobs", "ListExportJobs", bind(&ExportJobApi::list)},
      {"PUT", "/v2/email/export-jobs/{JobId}/cancel", "CancelExportJob",
       bind(&ExportJobApi::cancel)},
      {"GET", "/_mock/export-jobs", op, bind(&ExportJobApi::control_list)},
      {"GET", job, op, bind(&ExportJobApi::control_get)},
      {"GET", job + "/file", op, bind(&ExportJobApi::file)},
      {"POST", job + "/advance", op, bind(&ExportJobApi::advance)},
      {"POST", job + "/cancel", op, bind(&ExportJobApi::control_cancel)},
      {"POST", job + "/fail", op, bind(&ExportJobApi::fail)},
  };
}

}  // namespace sesv2mock::api
