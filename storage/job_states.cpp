#include "storage/job_states.hpp"

namespace sesv2mock::storage {

bool move_job(WriteTransaction& tx, const JobTableSql& sql, const std::string& job_id,
              JobStatus from, JobStatus to, double now,
              const std::optional<std::string>& error_message) {
  auto q = tx.query(sql.move);
  q->bind(1, job_id).bind(2, to_string(from)).bind(3, to_string(to)).bind(4, now);
  q->bind(5, is_final(to) ? 1 : 0).bind(6, error_message);
  q->run();
  return tx.changes() == 1;
}

bool job_is_processing(WriteTransaction& tx, const JobTableSql& sql, const std::string& job_id) {
  auto status = tx.query(sql.status);
  status->bind(1, job_id);
  return status->step() && status->column_view(0) == to_string(JobStatus::Processing);
}

}  // namespace sesv2mock::storage
