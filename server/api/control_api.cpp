#include "server/api/control_api.hpp"

#include "server/api/control_codec.hpp"
#include "server/api/import_job_codec.hpp"
#include "server/api/sesv2_operations.hpp"
#include "server/core/json_fields.hpp"
#include "server/core/messages.hpp"

namespace sesv2mock::api {

namespace json = boost::json;

namespace {

// Control answers show the whole job, in GetImportJob's shape plus where it lives.
ApiResponse job_response(const ApiRequest& r, const ImportJob& job) {
  std::string url = job.failed_records > 0 ? failed_records_url(r.context, job.job_id) : "";
  return json_response(mock_import_job_to_json(job, url));
}

}  // namespace

ApiResponse ControlApi::health(const ApiRequest&) {
  return json_response(
      json::object{{"status", "ok"}, {"processingMode", to_string(control_.mode())}});
}

ApiResponse ControlApi::get_config(const ApiRequest&) {
  return json_response(config_to_json(control_.config()));
}

ApiResponse ControlApi::set_config(const ApiRequest& r) {
  control_.update_config(parse_config_update(parse_json_body(r.body)));
  return json_response(config_to_json(control_.config()));
}

ApiResponse ControlApi::reset(const ApiRequest& r) {
  auto partition = parse_reset(parse_json_body(r.body));
  state_.reset(partition ? &*partition : nullptr);
  return json_response(json::object{{"reset", true}});
}

ApiResponse ControlApi::get_job(const ApiRequest& r) {
  return job_response(r, control_.job(r.label("JobId")));
}

ApiResponse ControlApi::failed_records(const ApiRequest& r) {
  auto file = jobs_.failed_records_file(r.label("JobId"));
  ApiResponse out;
  out.content_type = std::move(file.content_type);
  out.body_stream = std::move(file.next_chunk);
  return out;
}

ApiResponse ControlApi::advance(const ApiRequest& r) {
  return job_response(r, control_.advance(r.label("JobId")));
}

ApiResponse ControlApi::cancel(const ApiRequest& r) {
  return job_response(r, control_.cancel(r.label("JobId")));
}

ApiResponse ControlApi::fail(const ApiRequest& r) {
  std::string message = JsonFields(parse_json_body(r.body))
                            .string("message")
                            .value_or("The import job was failed by the control API.");
  return job_response(r, control_.fail(r.label("JobId"), message));
}

ApiResponse ControlApi::add_fault(const ApiRequest& r) {
  Fault fault = parse_fault(parse_json_body(r.body));
  // A misspelt operation would never fire and let a test pass for the wrong reason.
  if (fault.operation != "*" && !is_sesv2_operation(fault.operation)) {
    throw ApiError::validation("operation",
                               "Member must be an SES v2 operation name (e.g. GetImportJob) or "
                               "\"*\"");
  }
  fault.id = faults_.add(fault);
  for (const auto& f : faults_.list()) {
    if (f.id == fault.id)
      return json_response(fault_to_json(f));
  }
  return json_response(json::object{{"id", fault.id}});
}

ApiResponse ControlApi::list_faults(const ApiRequest&) {
  json::array faults;
  for (const auto& f : faults_.list())
    faults.push_back(fault_to_json(f));
  return json_response(json::object{{"faults", std::move(faults)}});
}

ApiResponse ControlApi::clear_faults(const ApiRequest&) {
  faults_.clear();
  return empty_response();
}

ApiResponse ControlApi::delete_fault(const ApiRequest& r) {
  if (!faults_.remove(r.label("FaultId")))
    throw errors::fault_not_found(r.label("FaultId"));
  return empty_response();
}

ApiResponse ControlApi::load_fixtures(const ApiRequest& r) {
  return json_response(fixtures_.load(parse_json_body(r.body)));
}

RouteTable ControlApi::routes() {
  auto bind = [this](auto method) { return bind_handler(this, method); };
  const std::string job = "/_mock/import-jobs/{JobId}";
  const char* op = kControlOperation;
  return {
      {"GET", "/_mock/health", op, bind(&ControlApi::health)},
      {"GET", "/_mock/config", op, bind(&ControlApi::get_config)},
      {"POST", "/_mock/config", op, bind(&ControlApi::set_config)},
      {"POST", "/_mock/reset", op, bind(&ControlApi::reset)},
      {"GET", job, op, bind(&ControlApi::get_job)},
      {"GET", job + "/failed-records", op, bind(&ControlApi::failed_records)},
      {"POST", job + "/advance", op, bind(&ControlApi::advance)},
      {"POST", job + "/cancel", op, bind(&ControlApi::cancel)},
      {"POST", job + "/fail", op, bind(&ControlApi::fail)},
      {"GET", "/_mock/faults", op, bind(&ControlApi::list_faults)},
      {"POST", "/_mock/faults", op, bind(&ControlApi::add_fault)},
      {"DELETE", "/_mock/faults", op, bind(&ControlApi::clear_faults)},
      {"DELETE", "/_mock/faults/{FaultId}", op, bind(&ControlApi::delete_fault)},
      {"POST", "/_mock/fixtures", op, bind(&ControlApi::load_fixtures)},
  };
}

OperationGuard fault_guard(FaultInjector& faults) {
  return [&faults](const std::string& operation) {
    if (auto fault = faults.check(operation, now_epoch_seconds()))
      throw *fault;
  };
}

}  // namespace sesv2mock::api
