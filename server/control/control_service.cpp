#include "server/control/control_service.hpp"

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {

ImportJob find_job(Services& s, const std::string& job_id) {
  auto job = s.jobs.find(job_id);
  if (!job) throw ApiError::not_found("Import job " + job_id + " does not exist.");
  return *job;
}

ApiError illegal(const ImportJob& job, JobStatus to) {
  return ApiError::conflict("Import job " + job.job_id + " is " +
                            std::string(to_string(job.status)) + "; it cannot move to " +
                            std::string(to_string(to)) + ".");
}

}  // namespace

ImportJob advance_import_job(Services& s, const std::string& job_id) {
  find_job(s, job_id);
  s.worker.advance(job_id);
  return find_job(s, job_id);
}

ImportJob cancel_import_job(Services& s, const std::string& job_id) {
  // The worker may move the job CREATED -> PROCESSING between our read and our write; both
  // states may be cancelled, so look again once before refusing.
  for (int attempt = 0; attempt < 2; ++attempt) {
    ImportJob job = find_job(s, job_id);
    if (!is_legal_transition(job.status, JobStatus::Cancelled)) throw illegal(job, JobStatus::Cancelled);
    if (s.jobs.transition(job_id, job.status, JobStatus::Cancelled, now_epoch_seconds())) {
      return find_job(s, job_id);
    }
  }
  throw illegal(find_job(s, job_id), JobStatus::Cancelled);
}

ImportJob fail_import_job(Services& s, const std::string& job_id, const std::string& message) {
  ImportJob job = find_job(s, job_id);
  if (is_final(job.status)) throw illegal(job, JobStatus::Failed);
  if (!s.worker.fail(job_id, message)) throw illegal(find_job(s, job_id), JobStatus::Failed);
  return find_job(s, job_id);
}

void update_config(Services& s, const json::object& body) {
  JsonFields f(body);
  ProcessingMode mode = s.worker.mode();
  if (auto text = f.string("processingMode")) {
    auto parsed = parse_processing_mode(*text);
    if (!parsed) {
      throw ApiError::validation("processingMode",
                                 "Member must satisfy enum value set: [immediate, delayed, manual]");
    }
    mode = *parsed;
  }
  int delay = s.worker.delay_ms();
  if (auto ms = f.integer("processingDelayMs")) {
    if (*ms < 0 || *ms > 24 * 3600 * 1000) {
      throw ApiError::validation("processingDelayMs", "Member must be between 0 and 86400000");
    }
    delay = static_cast<int>(*ms);
  }
  s.worker.set_mode(mode, delay);
}

json::object config_to_json(Services& s) {
  const Settings& st = s.settings;
  return {{"processingMode", to_string(s.worker.mode())},
          {"processingDelayMs", s.worker.delay_ms()},
          {"maxUnfinishedImportJobs", st.max_unfinished_import_jobs},
          {"maxContactLists", st.max_contact_lists},
          {"importBatchSize", st.import_batch_size},
          {"importRate", st.import_rate},
          {"s3Dir", st.effective_s3_dir()},
          {"s3Endpoint", st.s3.endpoint},
          {"db", st.db_path},
          {"maxBodyBytes", st.max_body_bytes}};
}

Fault parse_fault(const json::object& body) {
  JsonFields f(body);
  Fault fault;
  fault.operation = f.required_string("operation");
  fault.error_code = f.required_string("errorCode");
  fault.message = f.string("message").value_or("Injected by sesv2-mock.");
  if (auto status = f.integer("status")) {
    if (*status < 400 || *status > 599) {
      throw ApiError::validation("status", "Member must be between 400 and 599");
    }
    fault.status = static_cast<unsigned>(*status);
  }
  if (auto count = f.integer("count")) {
    if (*count < 1) throw ApiError::validation("count", "Member must be at least 1");
    fault.remaining = *count;
  }
  if (auto ms = f.integer("durationMs")) {
    if (*ms < 1) throw ApiError::validation("durationMs", "Member must be at least 1");
    fault.until = now_epoch_seconds() + static_cast<double>(*ms) / 1000.0;
  }
  return fault;
}

json::object fault_to_json(const Fault& f) {
  json::object out{{"id", f.id},
                   {"operation", f.operation},
                   {"errorCode", f.error_code},
                   {"status", f.status},
                   {"message", f.message},
                   {"matched", f.matched}};
  if (f.remaining) out["remaining"] = *f.remaining;
  if (f.until) out["until"] = *f.until;
  return out;
}

}  // namespace sesv2mock
