#include "storage/database.hpp"

#include <sqlite3.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace sesv2mock::storage {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw StorageError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no connection"));
}

// Migrations, applied in order; entry i brings user_version from i to i + 1.
// Timestamps are epoch seconds (REAL). Every table is keyed by account and region.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE import_jobs (
  seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id              TEXT NOT NULL UNIQUE,
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  destination_type    TEXT NOT NULL,
  import_action       TEXT NOT NULL,
  contact_list_name   TEXT,
  s3_url              TEXT NOT NULL,
  data_format         TEXT NOT NULL,
  status              TEXT NOT NULL,
  created_at          REAL NOT NULL,
  completed_at        REAL,
  processed_records   INTEGER NOT NULL DEFAULT 0,
  failed_records      INTEGER NOT NULL DEFAULT 0,
  error_message       TEXT,
  checkpoint_offset   INTEGER NOT NULL DEFAULT 0,
  checkpoint_line     INTEGER NOT NULL DEFAULT 0,
  status_changed_at   REAL NOT NULL
);
CREATE INDEX import_jobs_by_partition ON import_jobs (account, region, seq);
CREATE INDEX import_jobs_unfinished ON import_jobs (status) WHERE status IN ('CREATED', 'PROCESSING');
CREATE TABLE failed_records (
  job_id  TEXT NOT NULL,
  line    INTEGER NOT NULL,
  record  TEXT NOT NULL,
  reason  TEXT NOT NULL,
  PRIMARY KEY (job_id, line)
) WITHOUT ROWID;
CREATE TABLE suppressed_destinations (
  account           TEXT NOT NULL,
  region            TEXT NOT NULL,
  email_address     TEXT NOT NULL,
  reason            TEXT NOT NULL,
  last_update_time  REAL NOT NULL,
  PRIMARY KEY (account, region, email_address)
) WITHOUT ROWID;
CREATE TABLE contact_lists (
  account            TEXT NOT NULL,
  region             TEXT NOT NULL,
  name               TEXT NOT NULL,
  description        TEXT,
  topics_json        TEXT NOT NULL,
  tags_json          TEXT NOT NULL,
  created_at         REAL NOT NULL,
  last_updated_at    REAL NOT NULL,
  PRIMARY KEY (account, region, name)
) WITHOUT ROWID;
CREATE TABLE contacts (
  account            TEXT NOT NULL,
  region             TEXT NOT NULL,
  list_name          TEXT NOT NULL,
  email_address      TEXT NOT NULL,
  unsubscribe_all    INTEGER NOT NULL,
  attributes_data    TEXT,
  preferences_json   TEXT NOT NULL,
  created_at         REAL NOT NULL,
  last_updated_at    REAL NOT NULL,
  PRIMARY KEY (account, region, list_name, email_address)
) WITHOUT ROWID;
)sql",
    // 2: listings are newest first by creation time (fixtures may load old jobs late).
    R"sql(
CREATE INDEX import_jobs_by_created ON import_jobs (account, region, created_at, seq);
)sql",
    // 3: what the source file looked like when its job first read it (size, mtime or ETag),
    // so a file that changes under a job is noticed; and the staging area of contact imports
    // whose addresses come in random order (appended in file order, merged sorted at the end).
    R"sql(
ALTER TABLE import_jobs ADD COLUMN source_stamp TEXT;
CREATE TABLE import_staging (
  job_id            TEXT NOT NULL,
  email_address     TEXT NOT NULL,
  unsubscribe_all   INTEGER NOT NULL,
  attributes_data   TEXT,
  preferences_json  TEXT NOT NULL,
  updated_at        REAL NOT NULL
);
CREATE INDEX import_staging_by_job ON import_staging (job_id);
)sql",
    // 4: sending resources. Identities are keyed by identity_key() (domain lower-cased);
    // suppressed_reasons NULL means "no override", '' an override with no reasons.
    R"sql(
CREATE TABLE email_identities (
  account                 TEXT NOT NULL,
  region                  TEXT NOT NULL,
  identity_key            TEXT NOT NULL,
  identity_name           TEXT NOT NULL,
  identity_type           TEXT NOT NULL,
  status                  TEXT NOT NULL,
  configuration_set_name  TEXT,
  tags_json               TEXT NOT NULL,
  created_at              REAL NOT NULL,
  PRIMARY KEY (account, region, identity_key)
) WITHOUT ROWID;
CREATE TABLE configuration_sets (
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  name                TEXT NOT NULL,
  suppressed_reasons  TEXT,
  sending_enabled     INTEGER NOT NULL,
  tags_json           TEXT NOT NULL,
  created_at          REAL NOT NULL,
  options_json        TEXT NOT NULL,
  PRIMARY KEY (account, region, name)
) WITHOUT ROWID;
CREATE TABLE account_settings (
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  sending_enabled     INTEGER,
  suppressed_reasons  TEXT,
  PRIMARY KEY (account, region)
) WITHOUT ROWID;
)sql",
    // 5 (sending): email templates, and every accepted message with its recipients. A
    // recipient row keeps its fate and its events (JSON), so a one-recipient send writes two
    // rows.
    R"sql(
CREATE TABLE email_templates (
  account            TEXT NOT NULL,
  region             TEXT NOT NULL,
  name               TEXT NOT NULL,
  subject            TEXT,
  text_part          TEXT,
  html_part          TEXT,
  tags_json          TEXT NOT NULL,
  created_at         REAL NOT NULL,
  PRIMARY KEY (account, region, name)
) WITHOUT ROWID;
CREATE TABLE messages (
  seq                INTEGER PRIMARY KEY,
  message_id         TEXT NOT NULL UNIQUE,
  account            TEXT NOT NULL,
  region             TEXT NOT NULL,
  kind               TEXT NOT NULL,
  source             TEXT NOT NULL,
  subject            TEXT NOT NULL,
  raw_mime           BLOB NOT NULL,
  destination_json   TEXT,
  template_name      TEXT,
  template_data      TEXT,
  configuration_set  TEXT,
  list_name          TEXT,
  topic_name         TEXT,
  tags_json          TEXT NOT NULL,
  recipient_count    INTEGER NOT NULL,
  created_at         REAL NOT NULL
);
CREATE INDEX messages_by_time ON messages (account, region, created_at);
CREATE TABLE message_recipients (
  message_seq        INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
  position           INTEGER NOT NULL,
  kind               TEXT NOT NULL,
  address            TEXT NOT NULL,
  fate               TEXT NOT NULL,
  events_json        TEXT NOT NULL,
  PRIMARY KEY (message_seq, position)
) WITHOUT ROWID;
CREATE INDEX message_recipients_by_address ON message_recipients (address);
)sql",
    // 6: the record count of an import job's file (the inspector's progress bar), counted
    // when a run prepares the job.
    R"sql(
ALTER TABLE import_jobs ADD COLUMN total_records INTEGER;
)sql",
    // 7: export jobs. data_source_json is the request's ExportDataSource; a run
    // resumes after message checkpoint_seq, its partial file cut back to checkpoint_offset
    // bytes.
    R"sql(
CREATE TABLE export_jobs (
  seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id              TEXT NOT NULL UNIQUE,
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  source_type         TEXT NOT NULL,
  data_source_json    TEXT NOT NULL,
  data_format         TEXT NOT NULL,
  s3_url              TEXT,
  file_url            TEXT NOT NULL,
  status              TEXT NOT NULL,
  created_at          REAL NOT NULL,
  completed_at        REAL,
  status_changed_at   REAL NOT NULL,
  processed_records   INTEGER NOT NULL DEFAULT 0,
  exported_records    INTEGER NOT NULL DEFAULT 0,
  error_message       TEXT,
  checkpoint_seq      INTEGER NOT NULL DEFAULT 0,
  checkpoint_offset   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX export_jobs_by_created ON export_jobs (account, region, created_at, seq);
CREATE INDEX export_jobs_unfinished ON export_jobs (status) WHERE status IN ('CREATED', 'PROCESSING');
)sql",
    // 8: no query reads recipients by address alone (the recipient filter of the message
    // list looks them up per message by primary key), and the index, in address order,
    // made each sent message dirty a page of its own: half of the WAL pages of a send.
    R"sql(
DROP INDEX message_recipients_by_address;
)sql",
    // 9: contact imports stage in scratch files (import_scratch.hpp), not in a table. A job
    // that staged rows here under an earlier version reads its file again from the top (its
    // staged records were not applied yet; what it wrote directly is written again, the same).
    R"sql(
UPDATE import_jobs SET checkpoint_offset = 0, checkpoint_line = 0
  WHERE job_id IN (SELECT DISTINCT job_id FROM import_staging);
DROP TABLE import_staging;
DELETE FROM meta WHERE key LIKE 'import-merge:%';
)sql",
    // 10: sent messages are in time order by seq (MessageStore::count_sent_since); the time
    // index added three WAL pages to every group commit of sends.
    R"sql(
DROP INDEX messages_by_time;
)sql",
    // 11: recipients keyed by one integer (MessageStore: message_seq * 1024 + position), so
    // group commits append to the table instead of splitting and rebalancing index pages.
    // Deleting a message deletes its recipients itself (no foreign key: its cascade would
    // need an index on message_seq, which every commit would have to write).
    R"sql(
CREATE TABLE message_recipients_by_id (
  id                 INTEGER PRIMARY KEY,
  message_seq        INTEGER NOT NULL,
  position           INTEGER NOT NULL,
  kind               TEXT NOT NULL,
  address            TEXT NOT NULL,
  fate               TEXT NOT NULL,
  events_json        TEXT NOT NULL
);
INSERT INTO message_recipients_by_id
  SELECT message_seq * 1024 + position, message_seq, position, kind, address, fate, events_json
  FROM message_recipients;
DROP TABLE message_recipients;
ALTER TABLE message_recipients_by_id RENAME TO message_recipients;
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == Database::kSchemaVersion);

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    fail(db, "prepare failed");
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
    fail(db_, "bind failed");
  return *this;
}
Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK)
    fail(db_, "bind failed");
  return *this;
}
Statement& Statement::bind_unowned(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_STATIC) != SQLITE_OK) {
    fail(db_, "bind failed");
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(db_, "bind failed");
  }
  return *this;
}
Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
    fail(db_, "bind failed");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  fail(db_, "step failed");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::rewind() {
  sqlite3_reset(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}
std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text), size) : std::string();
}
std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column))
    return std::nullopt;
  return column_text(column);
}
std::optional<double> Statement::column_optional_double(int column) const {
  if (is_null(column))
    return std::nullopt;
  return column_double(column);
}

std::string_view Statement::column_view(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return text ? std::string_view(reinterpret_cast<const char*>(text), size) : std::string_view();
}

namespace {

// SQLite keeps memory statistics behind a global mutex taken on every allocation (about 7 %
// of an import's CPU); nothing here reads them. Only possible before SQLite's first use;
// later (a test binary that used SQLite already) the call is refused and changes nothing.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

sqlite3* open_connection(const std::string& path) {
  configure_sqlite_once();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " + sqlite3_errmsg(db);
    sqlite3_close(db);
    throw StorageError(message);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return db;
}

}  // namespace

Connection::~Connection() {
  cache.clear();  // statements must be finalized before their connection closes
  sqlite3_close(db);
}

Query Connection::cached(const char* sql) {
  auto it = cache.find(sql);
  if (it == cache.end())
    it = cache.emplace(sql, std::make_unique<Statement>(db, sql)).first;
  return Query(*it->second);
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw StorageError("exec failed: " + message);
  }
}

Database::Database(const std::string& path, WalLimits wal)
    : in_memory_(path == ":memory:"), path_(path), wal_(wal) {
  if (in_memory_) {
    static std::atomic<int> count{0};
    scratch_prefix_ =
        (std::filesystem::temp_directory_path() /
         ("sesv2-mock-" + std::to_string(::getpid()) + "-" + std::to_string(++count) + "."))
            .string();
  } else {
    scratch_prefix_ = path_ + ".";
  }
  writer_.db = open_connection(path);
  writer_.exec("PRAGMA journal_mode = WAL");
  // In WAL mode NORMAL loses at most the last commits on power loss, never consistency;
  // every batch still carries its own checkpoint, so a resumed job stays exact. A file
  // database's writer runs with OFF once migrated (see WalLimits): its commits sync nothing
  // either way, and OFF also drops the fsync of the WAL's header when a commit starts the
  // WAL over; the checkpointer's connection keeps NORMAL and makes every sync.
  writer_.exec("PRAGMA synchronous = NORMAL");
  writer_.exec("PRAGMA foreign_keys = ON");
  // Debian's SQLite zeroes every freed page and deleted cell by default (SECURE_DELETE): a
  // DELETE of an import's million staged rows then wrote ~200 MB of zeros to the WAL. A
  // mock keeps no secrets worth scrubbing from its file.
  writer_.exec("PRAGMA secure_delete = OFF");
  writer_.exec("PRAGMA cache_size = -" + std::to_string(kWriterCacheKiB));
  migrate();
  if (!in_memory_) {
    writer_.exec("PRAGMA synchronous = OFF");
    // Replaces SQLite's automatic checkpoint (which is itself a WAL hook).
    sqlite3_wal_hook(writer_.db, &Database::on_wal_commit, this);
    checkpointer_ = std::thread([this] { run_checkpoints(); });
  }
}

int Database::on_wal_commit(void* self, sqlite3* db, const char* name, int frames) {
  auto* database = static_cast<Database*>(self);
  const WalLimits& wal = database->wal_;
  if (frames >= wal.hard_limit_pages) {
    // Writes outran the checkpointer: the committing writer, still holding the writer lock,
    // waits for the running pass to end and copies the tail itself, so the next write
    // restarts the WAL (back-pressure). It copies through the checkpoint connection, which
    // syncs (this one does not); waiting for that connection's mutex is waiting for the pass.
    (void)db;
    (void)name;
    database->checkpoint_pass(nullptr, true);
    return SQLITE_OK;
  }
  // Fewer frames than the last commit left: the WAL started over, nothing of it is copied.
  // (A pass that ends just after a restart may store its old count: the background is then
  // asked late, and the hard limit above still bounds the WAL.)
  if (frames < database->wal_frames_.exchange(frames, std::memory_order_relaxed))
    database->wal_copied_.store(0, std::memory_order_relaxed);
  if (frames - database->wal_copied_.load(std::memory_order_relaxed) >= wal.checkpoint_pages) {
    std::lock_guard lock(database->checkpoint_mutex_);
    database->checkpoint_wanted_ = true;
    database->checkpoint_wanted_cv_.notify_one();
  }
  return SQLITE_OK;
}

bool Database::checkpoint_pass(int* wal_pages, bool sync) {
  std::lock_guard lock(checkpointer_conn_mutex_);
  return checkpoint_pass_locked(wal_pages, sync);
}

// The tail copied with writers held off skips SQLite's fsyncs (their 20-70 ms there held
// every send: p99 31-47 ms against 4.7-5.1 ms without, side by side). The database file is
// synced later, through SQLite's own handle: by the next synced pass before its fsync of
// the WAL, or by the checkpoint thread kOwedSyncDelayMs after the restart when no pass comes.
// Until then the disk should keep the old WAL (a power loss replays it over a database file
// that may lack the tail): the writer runs with synchronous OFF, so it never syncs the
// restarted WAL, and no pass syncs it first. Only the kernel's own writeback could write it
// earlier, and that waits 30 s by default (vm.dirty_expire_centisecs). Syncing at once,
// while the writers started the WAL over, stalled the committing writer for 82-235 ms at a
// time (p99 6.4-80 ms against 3.9-7.4 ms, 15 s runs side by side).
void Database::sync_database_file_locked() {
  sqlite3_file* file = nullptr;
  if (checkpointer_conn_.db &&
      sqlite3_file_control(checkpointer_conn_.db, "main", SQLITE_FCNTL_FILE_POINTER, &file) ==
          SQLITE_OK &&
      file && file->pMethods)
    file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

bool Database::checkpoint_pass_locked(int* wal_pages, bool sync) {
  // A synced pass begins with an fsync of the WAL, which makes a WAL that started over after
  // an unsynced tail copy durable: the database file must be durable before it (see
  // run_checkpoints).
  if (sync && database_sync_owed_) {
    sync_database_file_locked();
    database_sync_owed_ = false;
  }
  if (!checkpointer_conn_.db) {
    try {
      checkpointer_conn_.db = open_connection(path_);
      // A connection learns that the database is in WAL mode when it first reads it; until
      // then sqlite3_wal_checkpoint_v2 returns SQLITE_OK having done nothing (log and
      // checkpointed counts -1), and the WAL grew without bound.
      checkpointer_conn_.exec("SELECT count(*) FROM sqlite_master");
      checkpointer_conn_.exec("PRAGMA synchronous = NORMAL");  // checkpoints fsync
    } catch (const StorageError&) {
      sqlite3_close(checkpointer_conn_.db);
      checkpointer_conn_.db = nullptr;
      return false;  // the WAL is checkpointed when the database closes
    }
  }
  // PASSIVE: copies what no reader still needs, waiting for no one. A failure (disk full)
  // leaves the WAL as it is; the next commit past the threshold asks again.
  // sqlite3_exec, not Connection::exec: nothing may throw on the checkpoint thread.
  if (!sync)
    sqlite3_exec(checkpointer_conn_.db, "PRAGMA synchronous = OFF", nullptr, nullptr, nullptr);
  int copied = 0;
  if (sqlite3_wal_checkpoint_v2(checkpointer_conn_.db, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                wal_pages, &copied) == SQLITE_OK &&
      copied > 0) {
    wal_copied_.store(copied, std::memory_order_relaxed);
  }
  if (!sync)
    sqlite3_exec(checkpointer_conn_.db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
  return true;
}

void Database::checkpoint_if_large() {
  const int frames = wal_frames_.load(std::memory_order_relaxed);
  if (in_memory_ || frames < wal_.job_checkpoint_pages)
    return;
  std::unique_lock lock(checkpointer_conn_mutex_, std::try_to_lock);
  if (!lock.owns_lock())
    return;  // a background pass is copying; what it leaves is copied after a later batch
  if (frames - wal_copied_.load(std::memory_order_relaxed) >= wal_.checkpoint_pages)
    return;  // the background thread has been asked to copy that much
  checkpoint_pass_locked(nullptr, true);
}

void Database::run_checkpoints() {
  std::unique_lock lock(checkpoint_mutex_);
  for (;;) {
    checkpoint_wanted_cv_.wait(lock, [this] { return checkpoint_wanted_ || stopping_; });
    if (stopping_)
      return;
    checkpoint_wanted_ = false;
    lock.unlock();
    int wal_pages = 0;
    bool ok = checkpoint_pass(&wal_pages, true);
    if (ok && wal_pages >= wal_.restart_pages) {
      // The tail (what was committed during the pass) with writers held off: the next write
      // restarts the WAL (see WalLimits). A second pass first, without the lock, leaves a
      // shorter tail for the writers to wait for: 55-75 ms stalls otherwise.
      ok = checkpoint_pass(nullptr, true);
      {
        std::lock_guard writer(writer_mutex_);
        std::lock_guard conn(checkpointer_conn_mutex_);
        ok = ok && checkpoint_pass_locked(nullptr, false);
        database_sync_owed_ = true;
        ++wal_restarts_;
      }
    }
    lock.lock();
    if (ok && database_sync_owed_.load()) {
      // Sync the tail soon even when no further pass is asked for (sending stopped).
      checkpoint_wanted_cv_.wait_for(lock, std::chrono::milliseconds(kOwedSyncDelayMs),
                                     [this] { return checkpoint_wanted_ || stopping_; });
      if (!checkpoint_wanted_ && !stopping_) {
        lock.unlock();
        {
          std::lock_guard conn(checkpointer_conn_mutex_);
          if (database_sync_owed_) {
            sync_database_file_locked();
            database_sync_owed_ = false;
          }
        }
        lock.lock();
      }
    }
    if (!ok)
      return;
  }
}

Database::~Database() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_wanted_cv_.notify_one();
    checkpointer_.join();
  }
  idle_readers_.clear();
  {
    std::lock_guard lock(checkpointer_conn_mutex_);
    if (database_sync_owed_)
      sync_database_file_locked();
    checkpointer_conn_.cache.clear();
    sqlite3_close(checkpointer_conn_.db);
    checkpointer_conn_.db = nullptr;
  }
  if (!in_memory_) {
    // The last checkpoint syncs: the writer's own setting is OFF (see the constructor).
    sqlite3_exec(writer_.db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
    sqlite3_exec(writer_.db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  } else {
    // Scratch files of a ":memory:" database go with it (its jobs do).
    namespace fs = std::filesystem;
    const fs::path prefix(scratch_prefix_);
    const std::string stem = prefix.filename().string();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(prefix.parent_path(), ec)) {
      if (entry.path().filename().string().starts_with(stem))
        fs::remove(entry.path(), ec);
    }
  }
}

void Database::migrate() {
  int version = 0;
  {
    Statement s(writer_.db, "PRAGMA user_version");
    if (s.step())
      version = static_cast<int>(s.column_int64(0));
  }
  if (version > kSchemaVersion) {
    throw StorageError("database " + path_ + " has schema version " + std::to_string(version) +
                       ", newer than this server understands (" + std::to_string(kSchemaVersion) +
                       ")");
  }
  for (int v = version; v < kSchemaVersion; ++v) {
    WriteTransaction tx(*this);
    tx.exec(kMigrations[v]);
    tx.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
}

std::unique_ptr<Connection> Database::lend_reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<Connection>();
  c->db = open_connection(path_);
  c->exec("PRAGMA query_only = ON");
  return c;
}

std::unique_ptr<Connection> Database::open_own_connection() {
  auto c = std::make_unique<Connection>();
  c->db = open_connection(path_);
  return c;
}

void Database::take_back(std::unique_ptr<Connection> c) {
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < kMaxIdleReaders)
    idle_readers_.push_back(std::move(c));
}

ReadConnection::ReadConnection(Database& db) : db_(db) {
  if (db.in_memory_) {
    shared_ = std::unique_lock(db.writer_mutex_);
    conn_ = &db.writer_;
  } else {
    own_ = db.lend_reader();
    conn_ = own_.get();
  }
}

ReadConnection::~ReadConnection() {
  if (own_)
    db_.take_back(std::move(own_));
}

WriteTransaction::WriteTransaction(Database& db)
    : db_(db), lock_(db.writer_mutex_), conn_(db.writer_) {
  conn_.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  if (!done_) {
    // A failed rollback leaves SQLite to roll back on the next statement; nothing to add.
    sqlite3_exec(conn_.db, "ROLLBACK", nullptr, nullptr, nullptr);
    // Whatever a failed COMMIT or ROLLBACK left, caches read before are not trusted.
    db_.generation_.fetch_add(1, std::memory_order_acq_rel);
  }
}

Query WriteTransaction::query(const char* sql) {
  return conn_.cached(sql);
}
void WriteTransaction::exec(std::string_view sql) {
  conn_.exec(sql);
}
std::int64_t WriteTransaction::changes() const {
  return sqlite3_changes64(conn_.db);
}
std::int64_t WriteTransaction::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(conn_.db);
}

void WriteTransaction::commit() {
  commit_keeping_generation();
  db_.generation_.fetch_add(1, std::memory_order_acq_rel);
}

void WriteTransaction::commit_keeping_generation() {
  conn_.exec("COMMIT");
  done_ = true;
}

}  // namespace sesv2mock::storage
