#include "server/http/router.hpp"
#include "server/control/control_service.hpp"
#include "server/control/fixtures.hpp"
#include "server/api/import_job_codec.hpp"
#include "server/imports/failed_records_download.hpp"
#include "server/imports/import_job_service.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock::http {

namespace json = boost::json;

namespace {

// Control answers show the whole job, in GetImportJob's shape plus where it lives.
HttpResponse job_response(Call& c, const ImportJob& job) {
  std::string url = job.failed_records > 0 ? failed_records_url(c.context, job.job_id) : "";
  json::object out = import_job_to_json(job, url);
  out["Account"] = job.partition.account;
  out["Region"] = job.partition.region;
  return json_response(out);
}

HttpResponse handle_health(Call& c) {
  return json_response(json::object{{"status", "ok"},
                                    {"processingMode", to_string(c.services.worker.mode())}});
}

HttpResponse handle_get_config(Call& c) { return json_response(config_to_json(c.services)); }

HttpResponse handle_set_config(Call& c) {
  update_config(c.services, parse_json_body(c.request.body));
  return json_response(config_to_json(c.services));
}

HttpResponse handle_reset(Call& c) {
  auto body = parse_json_body(c.request.body);
  JsonFields f(body);
  auto account = f.string("account");
  auto region = f.string("region");
  if (account || region) {
    Partition p;
    if (account) p.account = *account;
    if (region) p.region = *region;
    c.services.reset(&p);
  } else {
    c.services.reset(nullptr);
  }
  return json_response(json::object{{"reset", true}});
}

HttpResponse handle_failed_records(Call& c) {
  auto job = c.services.jobs.find(c.label("JobId"));
  if (!job) throw ApiError::not_found("Import job " + c.label("JobId") + " does not exist.");
  auto download = failed_records_download(c.services.db, *job);  // streamed from storage
  HttpResponse r;
  r.content_type = download.content_type;
  r.body_stream = std::move(download.next_chunk);
  return r;
}

HttpResponse handle_get_job(Call& c) {
  auto job = c.services.jobs.find(c.label("JobId"));
  if (!job) throw ApiError::not_found("Import job " + c.label("JobId") + " does not exist.");
  return job_response(c, *job);
}

HttpResponse handle_advance(Call& c) {
  return job_response(c, advance_import_job(c.services, c.label("JobId")));
}

HttpResponse handle_cancel(Call& c) {
  return job_response(c, cancel_import_job(c.services, c.label("JobId")));
}

HttpResponse handle_fail(Call& c) {
  auto body = parse_json_body(c.request.body);
  std::string message =
      JsonFields(body).string("message").value_or("The import job was failed by the control API.");
  return job_response(c, fail_import_job(c.services, c.label("JobId"), message));
}

HttpResponse handle_add_fault(Call& c) {
  Fault fault = parse_fault(parse_json_body(c.request.body));
  // A misspelt operation would never fire and let a test pass for the wrong reason.
  if (fault.operation != "*" && !is_sesv2_operation(fault.operation)) {
    throw ApiError::validation("operation", "Member must be an SES v2 operation name (e.g. "
                                            "GetImportJob) or \"*\"");
  }
  fault.id = c.services.faults.add(fault);
  for (const auto& f : c.services.faults.list()) {
    if (f.id == fault.id) return json_response(fault_to_json(f));
  }
  return json_response(json::object{{"id", fault.id}});
}

HttpResponse handle_list_faults(Call& c) {
  json::array faults;
  for (const auto& f : c.services.faults.list()) faults.push_back(fault_to_json(f));
  return json_response(json::object{{"faults", std::move(faults)}});
}

HttpResponse handle_clear_faults(Call& c) {
  c.services.faults.clear();
  return json_response(json::object{});
}

HttpResponse handle_delete_fault(Call& c) {
  if (!c.services.faults.remove(c.label("FaultId"))) {
    throw ApiError::not_found("Fault " + c.label("FaultId") + " does not exist.");
  }
  return json_response(json::object{});
}

HttpResponse handle_load_fixtures(Call& c) {
  auto body = parse_json_body(c.request.body);
  return json_response(load_fixture(c.services, body));
}

}  // namespace

// The /_mock control API for tests (SPEC §5). Never under /v2/, never fault-injected.
void register_control_routes(Router& r) {
  r.add("GET", "/_mock/health", "_mock", handle_health);
  r.add("GET", "/_mock/config", "_mock", handle_get_config);
  r.add("POST", "/_mock/config", "_mock", handle_set_config);
  r.add("POST", "/_mock/reset", "_mock", handle_reset);
  r.add("GET", "/_mock/import-jobs/{JobId}", "_mock", handle_get_job);
  r.add("GET", "/_mock/import-jobs/{JobId}/failed-records", "_mock", handle_failed_records);
  r.add("POST", "/_mock/import-jobs/{JobId}/advance", "_mock", handle_advance);
  r.add("POST", "/_mock/import-jobs/{JobId}/cancel", "_mock", handle_cancel);
  r.add("POST", "/_mock/import-jobs/{JobId}/fail", "_mock", handle_fail);
  r.add("GET", "/_mock/faults", "_mock", handle_list_faults);
  r.add("POST", "/_mock/faults", "_mock", handle_add_fault);
  r.add("DELETE", "/_mock/faults", "_mock", handle_clear_faults);
  r.add("DELETE", "/_mock/faults/{FaultId}", "_mock", handle_delete_fault);
  r.add("POST", "/_mock/fixtures", "_mock", handle_load_fixtures);
}

}  // namespace sesv2mock::http
