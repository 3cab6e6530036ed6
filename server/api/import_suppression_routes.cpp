#include "server/http/router.hpp"
#include "server/api/import_job_codec.hpp"
#include "server/imports/import_job_service.hpp"
#include "server/core/json_fields.hpp"
#include "server/suppression/suppression_service.hpp"

namespace sesv2mock::http {

namespace json = boost::json;

void register_contact_routes(Router& router);
void register_control_routes(Router& router);

namespace {

HttpResponse handle_create_import_job(Call& c) {
  auto request = parse_create_import_job(parse_json_body(c.request.body));
  return json_response(json::object{{"JobId", create_import_job(c.services, c.context, request)}});
}

HttpResponse handle_get_import_job(Call& c) {
  ImportJob job = get_import_job(c.services, c.context, c.label("JobId"));
  std::string url = job.failed_records > 0 ? failed_records_url(c.context, job.job_id) : "";
  return json_response(import_job_to_json(job, url));
}

HttpResponse handle_list_import_jobs(Call& c) {
  auto request = parse_list_import_jobs(parse_json_body(c.request.body));
  // The older GET form (AWS CLI v2 2.9, Go SDK v2 1.17) sends PageSize and NextToken in the
  // query string and only ImportDestinationType in the body.
  apply_paging_query(c.query, request.page_size, request.next_token);
  auto result = list_import_jobs(c.services, c.context, request);
  json::array jobs;
  for (const auto& job : result.jobs) jobs.push_back(import_job_summary_to_json(job));
  json::object out{{"ImportJobs", std::move(jobs)}};
  if (result.next_token) out["NextToken"] = *result.next_token;
  return json_response(out);
}

HttpResponse handle_put_suppressed_destination(Call& c) {
  auto [email, reason] = parse_put_suppressed_destination(parse_json_body(c.request.body));
  put_suppressed_destination(c.services, c.context, email, reason);
  return json_response(json::object{});
}

HttpResponse handle_get_suppressed_destination(Call& c) {
  auto d = get_suppressed_destination(c.services, c.context, c.label("EmailAddress"));
  return json_response(json::object{{"SuppressedDestination", suppressed_destination_to_json(d)}});
}

HttpResponse handle_delete_suppressed_destination(Call& c) {
  delete_suppressed_destination(c.services, c.context, c.label("EmailAddress"));
  return json_response(json::object{});
}

HttpResponse handle_list_suppressed_destinations(Call& c) {
  auto result = list_suppressed_destinations(c.services, c.context,
                                             parse_list_suppressed_destinations(c.query));
  return json_response(list_suppressed_destinations_to_json(result));
}

}  // namespace

void register_routes(Router& r) {
  // Literal paths before templates that could also match them.
  r.add("POST", "/v2/email/import-jobs/list", "ListImportJobs", handle_list_import_jobs);
  r.add("GET", "/v2/email/import-jobs", "ListImportJobs", handle_list_import_jobs);  // older SDKs
  r.add("POST", "/v2/email/import-jobs", "CreateImportJob", handle_create_import_job);
  r.add("GET", "/v2/email/import-jobs/{JobId}", "GetImportJob", handle_get_import_job);

  r.add("PUT", "/v2/email/suppression/addresses", "PutSuppressedDestination",
        handle_put_suppressed_destination);
  r.add("GET", "/v2/email/suppression/addresses", "ListSuppressedDestinations",
        handle_list_suppressed_destinations);
  r.add("GET", "/v2/email/suppression/addresses/{EmailAddress}", "GetSuppressedDestination",
        handle_get_suppressed_destination);
  r.add("DELETE", "/v2/email/suppression/addresses/{EmailAddress}",
        "DeleteSuppressedDestination", handle_delete_suppressed_destination);

  register_contact_routes(r);
  register_control_routes(r);
}

}  // namespace sesv2mock::http
