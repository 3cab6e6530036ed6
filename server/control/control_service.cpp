#include "server/control/control_service.hpp"

#include "server/core/messages.hpp"
#include "server/jobs/import_worker.hpp"
#include "storage/contact_store.hpp"
#include "storage/import_job_store.hpp"
#include "storage/meta_store.hpp"
#include "storage/suppression_store.hpp"

namespace sesv2mock {
namespace {

constexpr const char* kTokenKeyName = "page_token_key";

ApiError illegal(const ImportJob& job, JobStatus to) {
  return errors::illegal_job_move(job.job_id, std::string(to_string(job.status)),
                                  std::string(to_string(to)));
}

}  // namespace

ImportJob ControlService::job(const std::string& job_id) const {
  auto job = jobs_.find(job_id);
  if (!job)
    throw errors::import_job_not_found(job_id);
  return std::move(*job);
}

ImportJob ControlService::advance(const std::string& job_id) {
  job(job_id);
  worker_.advance(job_id);
  return job(job_id);
}

ImportJob ControlService::cancel(const std::string& job_id) {
  job(job_id);
  if (!worker_.cancel(job_id))
    throw illegal(job(job_id), JobStatus::Cancelled);
  return job(job_id);
}

ImportJob ControlService::fail(const std::string& job_id, const std::string& message) {
  ImportJob current = job(job_id);
  if (is_final(current.status))
    throw illegal(current, JobStatus::Failed);
  if (!worker_.fail(job_id, message))
    throw illegal(job(job_id), JobStatus::Failed);
  return job(job_id);
}

ProcessingMode ControlService::mode() const {
  return worker_.mode();
}

MockConfig ControlService::config() const {
  return {worker_.mode(), worker_.delay_ms(), settings_};
}

void ControlService::update_config(const ConfigUpdate& update) {
  const ProcessingMode mode = update.mode.value_or(worker_.mode());
  const int delay_ms = update.delay_ms.value_or(worker_.delay_ms());
  worker_.set_mode(mode, delay_ms);
  for (const auto& follow : mode_followers_)
    follow(mode, delay_ms);
}

void StateReset::reset(const Partition* only) {
  jobs_.erase_all(only);
  suppression_.erase_all(only);
  contacts_.erase_all(only);
  for (const auto& erase : erasers_)
    erase(only);
  if (!only) {
    faults_.clear();
    std::string key = random_token_key();
    storage::MetaStore(db_).set(kTokenKeyName, key);
    tokens_.set_key(key);
  }
}

std::string stored_page_token_key(storage::Database& db) {
  storage::MetaStore meta(db);
  if (auto key = meta.get(kTokenKeyName))
    return *key;
  std::string key = random_token_key();
  meta.set(kTokenKeyName, key);
  return key;
}

}  // namespace sesv2mock
