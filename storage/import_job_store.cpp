#include "storage/import_job_store.hpp"

#include "storage/import_scratch.hpp"
#include "storage/job_states.hpp"

namespace sesv2mock::storage {

namespace {

constexpr JobTableSql kImportJobSql{
    "UPDATE import_jobs SET status = ?3, status_changed_at = ?4, "
    "completed_at = CASE WHEN ?5 THEN ?4 ELSE completed_at END, "
    "error_message = CASE WHEN ?3 = 'FAILED' THEN ?6 ELSE error_message END "
    "WHERE job_id = ?1 AND status = ?2",
    "SELECT status FROM import_jobs WHERE job_id = ?1"};

}  // namespace

#define JOB_COLUMNS                                                                            \
  "seq, job_id, account, region, destination_type, import_action, contact_list_name, s3_url, " \
  "data_format, status, created_at, completed_at, processed_records, failed_records, "         \
  "error_message, checkpoint_offset, checkpoint_line, status_changed_at, total_records"

ImportJob read_import_job(const Statement& s) {
  ImportJob job;
  job.seq = s.column_int64(0);
  job.job_id = s.column_text(1);
  job.partition = {s.column_text(2), s.column_text(3)};
  job.destination.type =
      parse_destination_type(s.column_text(4)).value_or(DestinationType::SuppressionList);
  job.destination.action = parse_import_action(s.column_text(5)).value_or(ImportAction::Put);
  job.destination.contact_list_name = s.column_optional_text(6).value_or("");
  job.source.s3_url = s.column_text(7);
  job.source.data_format = parse_data_format(s.column_text(8)).value_or(DataFormat::Csv);
  job.status = parse_job_status(s.column_text(9)).value_or(JobStatus::Failed);
  job.created_timestamp = s.column_double(10);
  job.completed_timestamp = s.column_optional_double(11);
  job.processed_records = s.column_int64(12);
  job.failed_records = s.column_int64(13);
  job.error_message = s.column_optional_text(14);
  job.checkpoint_offset = s.column_int64(15);
  job.checkpoint_line = s.column_int64(16);
  job.status_changed_at = s.column_double(17);
  if (!s.is_null(18))
    job.total_records = s.column_int64(18);
  return job;
}

std::vector<FailedRecord> ImportJobStore::failed_records_page(const std::string& job_id,
                                                              std::int64_t after_line, int limit) {
  ReadConnection r(db_);
  auto q = r.query(
      "SELECT line, record, reason FROM failed_records WHERE job_id = ?1 AND line > ?2 "
      "ORDER BY line LIMIT ?3");
  q->bind(1, job_id).bind(2, after_line).bind(3, limit);
  std::vector<FailedRecord> out;
  out.reserve(static_cast<std::size_t>(limit));
  while (q->step())
    out.push_back({q->column_int64(0), q->column_text(1), q->column_text(2)});
  return out;
}

namespace {

void bind_job(Statement& s, const ImportJob& job) {
  s.bind(1, job.job_id)
      .bind(2, job.partition.account)
      .bind(3, job.partition.region)
      .bind(4, to_string(job.destination.type))
      .bind(5, to_string(job.destination.action));
  if (job.destination.type == DestinationType::ContactList) {
    s.bind(6, job.destination.contact_list_name);
  } else {
    s.bind_null(6);
  }
  s.bind(7, job.source.s3_url)
      .bind(8, to_string(job.source.data_format))
      .bind(9, to_string(job.status))
      .bind(10, job.created_timestamp)
      .bind(11, job.completed_timestamp)
      .bind(12, job.processed_records)
      .bind(13, job.failed_records)
      .bind(14, job.error_message)
      .bind(15, job.checkpoint_offset)
      .bind(16, job.checkpoint_line)
      .bind(17, job.status_changed_at);
}

}  // namespace

bool ImportJobStore::insert_if_below_limit(ImportJob& job, std::int64_t max_unfinished) {
  WriteTransaction tx(db_);
  {
    auto count = tx.query(
        "SELECT count(*) FROM import_jobs WHERE account = ?1 AND region = ?2 "
        "AND status IN ('CREATED', 'PROCESSING')");
    count->bind(1, job.partition.account).bind(2, job.partition.region);
    count->step();
    if (count->column_int64(0) >= max_unfinished)
      return false;
  }
  {
    auto insert = tx.query(
        "INSERT INTO import_jobs (job_id, account, region, destination_type, import_action, "
        "contact_list_name, s3_url, data_format, status, created_at, completed_at, "
        "processed_records, failed_records, error_message, checkpoint_offset, checkpoint_line, "
        "status_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17)");
    bind_job(*insert, job);
    insert->run();
    job.seq = tx.last_insert_rowid();
  }
  tx.commit();
  return true;
}

namespace {

// Forgets the job's scratch file (how much of it counts, how far its merge got); the file
// itself goes with the run that ends the job, or with sweep_import_scratch.
void drop_staging(WriteTransaction& tx, const std::string& job_id) {
  auto q =
      tx.query("DELETE FROM meta WHERE key IN ('import-scratch:' || ?1, 'import-merge:' || ?1)");
  q->bind(1, job_id);
  q->run();
}

void add_failed_records(WriteTransaction& tx, const std::string& job_id,
                        const std::vector<FailedRecord>& records) {
  // A line already recorded (a batch retried after a crash) is replaced.
  auto insert = tx.query(
      "INSERT OR REPLACE INTO failed_records (job_id, line, record, reason) "
      "VALUES (?1, ?2, ?3, ?4)");
  for (const auto& f : records) {
    insert->bind(1, job_id).bind(2, f.line).bind(3, f.record).bind(4, f.reason);
    insert->run();
    insert->reset();
  }
}

void replace_failed_records(WriteTransaction& tx, const std::string& job_id,
                            const std::vector<FailedRecord>& records) {
  auto clear = tx.query("DELETE FROM failed_records WHERE job_id = ?1");
  clear->bind(1, job_id);
  clear->run();
  add_failed_records(tx, job_id, records);
}

}  // namespace

void ImportJobStore::upsert(WriteTransaction& tx, const ImportJob& job,
                            const std::vector<FailedRecord>& failed) {
  auto q = tx.query(
      "INSERT INTO import_jobs (job_id, account, region, destination_type, import_action, "
      "contact_list_name, s3_url, data_format, status, created_at, completed_at, "
      "processed_records, failed_records, error_message, checkpoint_offset, checkpoint_line, "
      "status_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
      "?15, ?16, ?17) ON CONFLICT (job_id) DO UPDATE SET account = excluded.account, "
      "region = excluded.region, destination_type = excluded.destination_type, "
      "import_action = excluded.import_action, contact_list_name = excluded.contact_list_name, "
      "s3_url = excluded.s3_url, data_format = excluded.data_format, status = excluded.status, "
      "created_at = excluded.created_at, completed_at = excluded.completed_at, "
      "processed_records = excluded.processed_records, failed_records = excluded.failed_records, "
      "error_message = excluded.error_message, checkpoint_offset = excluded.checkpoint_offset, "
      "checkpoint_line = excluded.checkpoint_line, status_changed_at = excluded.status_changed_at, "
      "source_stamp = NULL, total_records = NULL");
  ImportJob fresh = job;
  fresh.checkpoint_offset = fresh.checkpoint_line = 0;  // a fixture job starts its file afresh
  bind_job(*q, fresh);
  q->run();
  replace_failed_records(tx, job.job_id, failed);
  drop_staging(tx, job.job_id);
}

std::optional<ImportJob> ImportJobStore::find(const std::string& job_id) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " JOB_COLUMNS " FROM import_jobs WHERE job_id = ?1");
  q->bind(1, job_id);
  if (!q->step())
    return std::nullopt;
  return read_import_job(*q);
}

std::optional<ImportJob> ImportJobStore::find(const Partition& p, const std::string& job_id) {
  return find_cache_.get(&db_, p, job_id, [&] { return load(p, job_id); });
}

std::optional<ImportJob> ImportJobStore::load(const Partition& p, const std::string& job_id) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " JOB_COLUMNS
                   " FROM import_jobs WHERE job_id = ?1 AND account = ?2 AND region = ?3");
  q->bind(1, job_id).bind(2, p.account).bind(3, p.region);
  if (!q->step())
    return std::nullopt;
  return read_import_job(*q);
}

std::vector<ImportJob> ImportJobStore::list(const Partition& p, std::optional<DestinationType> type,
                                            const std::optional<ListPosition>& after, int limit) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " JOB_COLUMNS
                   " FROM import_jobs WHERE account = ?1 AND region = ?2 "
                   "AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND seq < ?4)) "
                   "AND (?5 IS NULL OR destination_type = ?5) "
                   "ORDER BY created_at DESC, seq DESC LIMIT ?6");
  q->bind(1, p.account).bind(2, p.region);
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
  q->bind(6, limit);
  std::vector<ImportJob> jobs;
  while (q->step())
    jobs.push_back(read_import_job(*q));
  return jobs;
}

std::vector<ImportJob> ImportJobStore::unfinished() {
  ReadConnection r(db_);
  auto q = r.query("SELECT " JOB_COLUMNS
                   " FROM import_jobs WHERE status IN ('CREATED', 'PROCESSING') ORDER BY seq");
  std::vector<ImportJob> jobs;
  while (q->step())
    jobs.push_back(read_import_job(*q));
  return jobs;
}

namespace {

// One conditional state change; the caller holds the lock inside a transaction.
bool transition_in(WriteTransaction& tx, const std::string& job_id, JobStatus from, JobStatus to,
                   double now, const std::optional<std::string>& error_message) {
  const bool moved = move_job(tx, kImportJobSql, job_id, from, to, now, error_message);
  if (moved && is_final(to))
    drop_staging(tx, job_id);  // an ended job stages nothing more
  return moved;
}

}  // namespace

bool ImportJobStore::transition(const std::string& job_id, JobStatus from, JobStatus to, double now,
                                const std::optional<std::string>& error_message) {
  if (!is_legal_transition(from, to))
    return false;
  WriteTransaction tx(db_);
  bool moved = transition_in(tx, job_id, from, to, now, error_message);
  tx.commit();
  return moved;
}

bool ImportJobStore::fail_unfinished(const std::string& job_id, double now,
                                     const std::string& error_message) {
  WriteTransaction tx(db_);
  transition_in(tx, job_id, JobStatus::Created, JobStatus::Processing, now, std::nullopt);
  bool failed =
      transition_in(tx, job_id, JobStatus::Processing, JobStatus::Failed, now, error_message);
  tx.commit();
  return failed;
}

std::vector<FailedRecord> ImportJobStore::failed_records(const std::string& job_id) {
  ReadConnection r(db_);
  auto q =
      r.query("SELECT line, record, reason FROM failed_records WHERE job_id = ?1 ORDER BY line");
  q->bind(1, job_id);
  std::vector<FailedRecord> out;
  while (q->step())
    out.push_back({q->column_int64(0), q->column_text(1), q->column_text(2)});
  return out;
}

namespace {

bool is_processing(WriteTransaction& tx, const std::string& job_id) {
  return job_is_processing(tx, kImportJobSql, job_id);
}

}  // namespace

std::optional<std::string> ImportJobStore::begin_run(const std::string& job_id, bool from_top,
                                                     const std::string& stamp) {
  WriteTransaction tx(db_);
  if (!is_processing(tx, job_id))
    return std::nullopt;
  std::optional<std::string> recorded;
  if (!from_top) {
    auto q = tx.query("SELECT source_stamp FROM import_jobs WHERE job_id = ?1");
    q->bind(1, job_id);
    if (q->step())
      recorded = q->column_optional_text(0);
  }
  if (recorded)
    return recorded;
  if (from_top) {
    replace_failed_records(tx, job_id, {});
    drop_staging(tx, job_id);
  }
  auto j = tx.query(
      "UPDATE import_jobs SET source_stamp = ?2, "
      "processed_records = CASE WHEN ?3 THEN 0 ELSE processed_records END, "
      "failed_records = CASE WHEN ?3 THEN 0 ELSE failed_records END, "
      "checkpoint_offset = CASE WHEN ?3 THEN 0 ELSE checkpoint_offset END, "
      "checkpoint_line = CASE WHEN ?3 THEN 0 ELSE checkpoint_line END WHERE job_id = ?1");
  j->bind(1, job_id).bind(2, stamp).bind(3, from_top ? 1 : 0);
  j->run();
  tx.commit();
  return stamp;
}

void ImportJobStore::set_total_records(const std::string& job_id, std::int64_t records) {
  WriteTransaction tx(db_);
  auto q = tx.query("UPDATE import_jobs SET total_records = ?2 WHERE job_id = ?1");
  q->bind(1, job_id).bind(2, records);
  q->run();
  tx.commit();
}

BatchOutcome ImportJobStore::complete(const std::string& job_id, const BatchEffects& finish) {
  WriteTransaction tx(db_);
  if (!is_processing(tx, job_id))
    return BatchOutcome::JobNotProcessing;
  if (finish && !finish(tx))
    return BatchOutcome::DestinationMissing;
  transition_in(tx, job_id, JobStatus::Processing, JobStatus::Completed, now_epoch_seconds(),
                std::nullopt);
  tx.commit();
  return BatchOutcome::Committed;
}

BatchOutcome ImportJobStore::commit_batch(const std::string& job_id, const JobBatch& batch,
                                          const BatchEffects& effects) {
  WriteTransaction tx(db_);
  if (!is_processing(tx, job_id))
    return BatchOutcome::JobNotProcessing;
  if (effects && !effects(tx))
    return BatchOutcome::DestinationMissing;
  add_failed_records(tx, job_id, batch.failures);
  {
    auto update = tx.query(
        "UPDATE import_jobs SET processed_records = processed_records + ?2, "
        "failed_records = failed_records + ?3, checkpoint_offset = ?4, checkpoint_line = ?5 "
        "WHERE job_id = ?1");
    update->bind(1, job_id).bind(2, batch.processed);
    update->bind(3, static_cast<std::int64_t>(batch.failures.size()));
    update->bind(4, batch.checkpoint_offset).bind(5, batch.checkpoint_line);
    update->run();
  }
  tx.commit();
  return BatchOutcome::Committed;
}

void ImportJobStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto staged = tx.query(
        "DELETE FROM meta WHERE key IN (SELECT 'import-scratch:' || job_id FROM import_jobs "
        "WHERE account = ?1 AND region = ?2 UNION ALL SELECT 'import-merge:' || job_id FROM "
        "import_jobs WHERE account = ?1 AND region = ?2)");
    staged->bind(1, p->account).bind(2, p->region);
    staged->run();
    auto f = tx.query(
        "DELETE FROM failed_records WHERE job_id IN "
        "(SELECT job_id FROM import_jobs WHERE account = ?1 AND region = ?2)");
    f->bind(1, p->account).bind(2, p->region);
    f->run();
    auto j = tx.query("DELETE FROM import_jobs WHERE account = ?1 AND region = ?2");
    j->bind(1, p->account).bind(2, p->region);
    j->run();
  } else {
    tx.exec(
        "DELETE FROM meta WHERE key LIKE 'import-scratch:%' OR key LIKE 'import-merge:%'; "
        "DELETE FROM failed_records; DELETE FROM import_jobs");
  }
  tx.commit();
  sweep_import_scratch(db_);  // the files of the jobs just deleted
}

}  // namespace sesv2mock::storage
