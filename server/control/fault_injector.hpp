#pragma once
// Makes chosen operations fail on purpose, for testing clients' error handling.
// Thread-safe: HTTP threads consult it on every request.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/core/errors.hpp"

namespace sesv2mock {

struct Fault {
  std::string id;
  std::string operation;   // e.g. "GetImportJob", or "*" for every operation
  std::string error_code;  // e.g. "TooManyRequestsException"
  unsigned status = 0;     // 0: the usual status of error_code
  std::string message;
  std::optional<std::int64_t> remaining;  // next N calls; nullopt: until `until`
  std::optional<double> until;            // epoch seconds; nullopt with remaining: no end
  std::int64_t matched = 0;
};

class FaultInjector {
 public:
  std::string add(Fault fault);  // returns the fault's id
  std::vector<Fault> list();
  bool remove(const std::string& id);
  void clear();
  // The error to answer `operation` with now, if a fault matches (and uses one count).
  std::optional<ApiError> check(const std::string& operation, double now);

 private:
  void counted();  // after a change to faults_, under mutex_

  std::mutex mutex_;
  std::vector<Fault> faults_;
  // faults_.size(), read without the lock: with no fault set (nearly always) a request does
  // not take the mutex the two HTTP threads would otherwise share on every call.
  std::atomic<std::size_t> count_{0};
  std::int64_t next_id_ = 1;
};

}  // namespace sesv2mock
