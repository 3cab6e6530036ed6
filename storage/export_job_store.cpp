#include "storage/export_job_store.hpp"

#include "storage/job_states.hpp"

namespace sesv2mock::storage {

namespace {

constexpr JobTableSql kExportJobSql{
    "UPDATE export_jobs SET status = ?3, status_changed_at = ?4, "
    "completed_at = CASE WHEN ?5 THEN ?4 ELSE completed_at END, "
    "error_message = CASE WHEN ?3 = 'FAILED' THEN ?6 ELSE error_message END "
    "WHERE job_id = ?1 AND status = ?2",
    "SELECT status FROM export_jobs WHERE job_id = ?1"};

#define EXPORT_COLUMNS                                                                 \
  "seq, job_id, account, region, source_type, data_source_json, data_format, s3_url, " \
  "file_url, status, created_at, completed_at, status_changed_at, processed_records, " \
  "exported_records, error_message, checkpoint_seq, checkpoint_offset"

#define EXPORT_VALUES                                                                          \
  "(job_id, account, region, source_type, data_source_json, data_format, s3_url, file_url, "   \
  "status, created_at, completed_at, status_changed_at, processed_records, exported_records, " \
  "error_message, checkpoint_seq, checkpoint_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " \
  "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"

ExportJob read_export_job(const Statement& s) {
  ExportJob job;
  job.seq = s.column_int64(0);
  job.job_id = s.column_text(1);
  job.partition = {s.column_text(2), s.column_text(3)};
  job.source_type =
      parse_export_source_type(s.column_text(4)).value_or(ExportSourceType::MessageInsights);
  job.data_source_json = s.column_text(5);
  job.destination.data_format = parse_data_format(s.column_text(6)).value_or(DataFormat::Csv);
  job.destination.s3_url = s.column_optional_text(7);
  job.file_url = s.column_text(8);
  job.status = parse_job_status(s.column_text(9)).value_or(JobStatus::Failed);
  job.created_timestamp = s.column_double(10);
  job.completed_timestamp = s.column_optional_double(11);
  job.status_changed_at = s.column_double(12);
  job.processed_records = s.column_int64(13);
  job.exported_records = s.column_int64(14);
  job.error_message = s.column_optional_text(15);
  job.checkpoint_seq = s.column_int64(16);
  job.checkpoint_offset = s.column_int64(17);
  return job;
}

void bind_job(Statement& s, const ExportJob& job) {
  s.bind(1, job.job_id).bind(2, job.partition.account).bind(3, job.partition.region);
  s.bind(4, to_string(job.source_type)).bind(5, job.data_source_json);
  s.bind(6, to_string(job.destination.data_format)).bind(7, job.destination.s3_url);
  s.bind(8, job.file_url).bind(9, to_string(job.status)).bind(10, job.created_timestamp);
  s.bind(11, job.completed_timestamp).bind(12, job.status_changed_at);
  s.bind(13, job.processed_records).bind(14, job.exported_records).bind(15, job.error_message);
  s.bind(16, job.checkpoint_seq).bind(17, job.checkpoint_offset);
}

std::vector<ExportJob> read_all(Query& q) {
  std::vector<ExportJob> out;
  while (q->step())
    out.push_back(read_export_job(*q));
  return out;
}

}  // namespace

bool ExportJobStore::insert_if_below_limit(ExportJob& job, std::int64_t max_unfinished) {
  WriteTransaction tx(db_);
  {
    auto count = tx.query(
        "SELECT count(*) FROM export_jobs WHERE account = ?1 AND region = ?2 "
        "AND status IN ('CREATED', 'PROCESSING')");
    count->bind(1, job.partition.account).bind(2, job.partition.region);
    count->step();
    if (count->column_int64(0) >= max_unfinished)
      return false;
  }
  {
    auto insert = tx.query("INSERT INTO export_jobs " EXPORT_VALUES);
    bind_job(*insert, job);
    insert->run();
    job.seq = tx.last_insert_rowid();
  }
  tx.commit();
  return true;
}

void ExportJobStore::upsert(WriteTransaction& tx, const ExportJob& job) {
  auto q = tx.query("INSERT OR REPLACE INTO export_jobs " EXPORT_VALUES);
  bind_job(*q, job);
  q->run();
}

std::optional<ExportJob> ExportJobStore::find(const std::string& job_id) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " EXPORT_COLUMNS " FROM export_jobs WHERE job_id = ?1");
  q->bind(1, job_id);
  if (!q->step())
    return std::nullopt;
  return read_export_job(*q);
}

std::optional<ExportJob> ExportJobStore::find(const Partition& p, const std::string& job_id) {
  auto job = find(job_id);
  if (!job || !(job->partition == p))
    return std::nullopt;
  return job;
}

std::vector<ExportJob> ExportJobStore::list(const Partition* p,
                                            std::optional<ExportSourceType> type,
                                            std::optional<JobStatus> status,
                                            const std::optional<ListPosition>& after, int limit) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " EXPORT_COLUMNS
                   " FROM export_jobs WHERE (?1 IS NULL OR (account = ?1 AND region = ?2)) "
                   "AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND seq < ?4)) "
                   "AND (?5 IS NULL OR source_type = ?5) AND (?6 IS NULL OR status = ?6) "
                   "ORDER BY created_at DESC, seq DESC LIMIT ?7");
  if (p) {
    q->bind(1, p->account).bind(2, p->region);
  } else {
    q->bind_null(1).bind_null(2);
  }
  if (after) {
    q->bind(3, after->created_timestamp).bind(4, after->seq);
  } else {
    q->bind_null(3).bind_null(4);
  }
  if (type) {
    q->bind(5, to_string(*type));
  } else {
    q->bind_null(5);
  }
  if (status) {
    q->bind(6, to_string(*status));
  } else {
    q->bind_null(6);
  }
  q->bind(7, limit);
  return read_all(q);
}

std::vector<ExportJob> ExportJobStore::unfinished() {
  ReadConnection r(db_);
  auto q = r.query("SELECT " EXPORT_COLUMNS
                   " FROM export_jobs WHERE status IN ('CREATED', 'PROCESSING') ORDER BY seq");
  return read_all(q);
}

bool ExportJobStore::transition(const std::string& job_id, JobStatus from, JobStatus to, double now,
                                const std::optional<std::string>& error_message) {
  if (!is_legal_transition(from, to))
    return false;
  WriteTransaction tx(db_);
  bool moved = move_job(tx, kExportJobSql, job_id, from, to, now, error_message);
  tx.commit();
  return moved;
}

bool ExportJobStore::fail_unfinished(const std::string& job_id, double now,
                                     const std::string& error_message) {
  WriteTransaction tx(db_);
  move_job(tx, kExportJobSql, job_id, JobStatus::Created, JobStatus::Processing, now, std::nullopt);
  bool failed = move_job(tx, kExportJobSql, job_id, JobStatus::Processing, JobStatus::Failed, now,
                         error_message);
  tx.commit();
  return failed;
}

bool ExportJobStore::restart(const std::string& job_id) {
  WriteTransaction tx(db_);
  if (!job_is_processing(tx, kExportJobSql, job_id))
    return false;
  auto q = tx.query(
      "UPDATE export_jobs SET processed_records = 0, exported_records = 0, checkpoint_seq = 0, "
      "checkpoint_offset = 0 WHERE job_id = ?1");
  q->bind(1, job_id);
  q->run();
  tx.commit();
  return true;
}

bool ExportJobStore::commit_batch(const std::string& job_id, const ExportBatch& batch) {
  WriteTransaction tx(db_);
  if (!job_is_processing(tx, kExportJobSql, job_id))
    return false;
  auto q = tx.query(
      "UPDATE export_jobs SET processed_records = processed_records + ?2, "
      "exported_records = exported_records + ?3, checkpoint_seq = ?4, checkpoint_offset = ?5 "
      "WHERE job_id = ?1");
  q->bind(1, job_id).bind(2, batch.processed).bind(3, batch.exported);
  q->bind(4, batch.checkpoint_seq).bind(5, batch.checkpoint_offset);
  q->run();
  tx.commit();
  return true;
}

bool ExportJobStore::complete(const std::string& job_id) {
  WriteTransaction tx(db_);
  bool moved = move_job(tx, kExportJobSql, job_id, JobStatus::Processing, JobStatus::Completed,
                        now_epoch_seconds(), std::nullopt);
  tx.commit();
  return moved;
}

void ExportJobStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto q = tx.query("DELETE FROM export_jobs WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM export_jobs");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
