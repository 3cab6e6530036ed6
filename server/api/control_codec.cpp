#include "server/api/control_codec.hpp"

#include "server/core/errors.hpp"
#include "server/core/json_fields.hpp"

namespace sesv2mock {

namespace json = boost::json;

namespace {
constexpr std::int64_t kMaxProcessingDelayMs = 24 * 3600 * 1000;
}

ConfigUpdate parse_config_update(const json::object& body) {
  JsonFields f(body);
  ConfigUpdate update;
  if (auto text = f.string("processingMode")) {
    update.mode = parse_processing_mode(*text);
    if (!update.mode) {
      throw ApiError::validation(
          "processingMode", "Member must satisfy enum value set: [immediate, delayed, manual]");
    }
  }
  if (auto ms = f.integer("processingDelayMs")) {
    if (*ms < 0 || *ms > kMaxProcessingDelayMs) {
      throw ApiError::validation("processingDelayMs", "Member must be between 0 and " +
                                                          std::to_string(kMaxProcessingDelayMs));
    }
    update.delay_ms = static_cast<int>(*ms);
  }
  return update;
}

json::object config_to_json(const MockConfig& config) {
  const Settings& st = config.settings;
  return {{"processingMode", to_string(config.mode)},
          {"processingDelayMs", config.delay_ms},
          {"maxUnfinishedImportJobs", st.max_unfinished_import_jobs},
          {"maxContactLists", st.max_contact_lists},
          {"importBatchSize", st.import_batch_size},
          {"importRate", st.import_rate},
          {"s3Dir", st.effective_s3_dir()},
          {"s3Endpoint", st.s3.endpoint},
          {"db", st.db_path},
          {"maxBodyBytes", st.max_body_bytes},
          {"sandbox", st.sandbox}};
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
    if (*count < 1)
      throw ApiError::validation("count", "Member must be at least 1");
    fault.remaining = *count;
  }
  if (auto ms = f.integer("durationMs")) {
    if (*ms < 1)
      throw ApiError::validation("durationMs", "Member must be at least 1");
    fault.until = now_epoch_seconds() + static_cast<double>(*ms) / 1000.0;
  }
  return fault;
}

json::object fault_to_json(const Fault& f) {
  json::object out{{"id", f.id},         {"operation", f.operation}, {"errorCode", f.error_code},
                   {"status", f.status}, {"message", f.message},     {"matched", f.matched}};
  if (f.remaining)
    out["remaining"] = *f.remaining;
  if (f.until)
    out["until"] = *f.until;
  return out;
}

std::optional<Partition> parse_reset(const json::object& body) {
  JsonFields f(body);
  auto account = f.string("account");
  auto region = f.string("region");
  if (!account && !region)
    return std::nullopt;
  Partition p;
  if (account)
    p.account = *account;
  if (region)
    p.region = *region;
  return p;
}

}  // namespace sesv2mock
