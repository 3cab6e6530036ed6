#pragma once
// The state moves every job table shares (import_jobs, export_jobs): one conditional UPDATE
// per move and the PROCESSING check a batch commit starts with. Each store names its table's
// statements once (string literals: statements are cached by their address).
#include <optional>
#include <string>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

struct JobTableSql {
  // UPDATE ... SET status = ?3, status_changed_at = ?4, completed_at when ?5 (final),
  // error_message = ?6 when FAILED ... WHERE job_id = ?1 AND status = ?2
  const char* move;
  // SELECT status ... WHERE job_id = ?1
  const char* status;
};

// Moves the job from `from` to `to` if it is still in `from`; the caller's transaction
// holds the write lock. True when the row changed.
bool move_job(WriteTransaction& tx, const JobTableSql& sql, const std::string& job_id,
              JobStatus from, JobStatus to, double now,
              const std::optional<std::string>& error_message);

bool job_is_processing(WriteTransaction& tx, const JobTableSql& sql, const std::string& job_id);

}  // namespace sesv2mock::storage
