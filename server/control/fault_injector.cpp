#include "server/control/fault_injector.hpp"

#include <algorithm>

namespace sesv2mock {

std::string FaultInjector::add(Fault fault) {
  std::lock_guard lock(mutex_);
  fault.id = "fault-" + std::to_string(next_id_++);
  if (fault.status == 0)
    fault.status = status_of_error_code(fault.error_code);
  faults_.push_back(fault);
  counted();
  return fault.id;
}

std::vector<Fault> FaultInjector::list() {
  std::lock_guard lock(mutex_);
  return faults_;
}

bool FaultInjector::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it =
      std::remove_if(faults_.begin(), faults_.end(), [&](const Fault& f) { return f.id == id; });
  bool found = it != faults_.end();
  faults_.erase(it, faults_.end());
  counted();
  return found;
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  counted();
}

void FaultInjector::counted() {
  count_.store(faults_.size(), std::memory_order_release);
}

std::optional<ApiError> FaultInjector::check(const std::string& operation, double now) {
  if (count_.load(std::memory_order_acquire) == 0)
    return std::nullopt;
  std::lock_guard lock(mutex_);
  if (faults_.empty())
    return std::nullopt;
  // Drop what has run out, then use the first fault that matches, oldest first.
  std::erase_if(faults_, [&](const Fault& f) {
    return (f.remaining && *f.remaining <= 0) || (f.until && now >= *f.until);
  });
  for (auto& f : faults_) {
    if (f.operation != operation && f.operation != "*")
      continue;
    ++f.matched;
    if (f.remaining)
      --*f.remaining;
    ApiError error(f.error_code, f.status, f.message);
    std::erase_if(faults_, [](const Fault& x) { return x.remaining && *x.remaining <= 0; });
    counted();
    return error;
  }
  counted();
  return std::nullopt;
}

}  // namespace sesv2mock
