#include "server/http/router.hpp"
#include "server/service/import_job_service.hpp"
#include "server/service/json_fields.hpp"

namespace sesv2mock::http {

namespace json = boost::json;

namespace {

HttpResponse handle_health(Call& c) {
  return json_response(json::object{{"status", "ok"},
                                    {"processingMode", to_string(c.services.worker.mode())}});
}

HttpResponse handle_failed_records(Call& c) {
  auto file = failed_records_file(c.services, c.label("JobId"));
  HttpResponse r;
  r.content_type = file.content_type;
  r.body = std::move(file.body);
  return r;
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

}  // namespace

// The /_mock control API for tests (SPEC §5).
void register_control_routes(Router& r) {
  r.add("GET", "/_mock/health", "_mock", handle_health);
  r.add("POST", "/_mock/reset", "_mock", handle_reset);
  r.add("GET", "/_mock/import-jobs/{JobId}/failed-records", "_mock", handle_failed_records);
}

}  // namespace sesv2mock::http
