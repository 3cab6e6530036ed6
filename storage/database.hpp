#pragma once
// RAII wrapper over the SQLite connections of one database.
//
// Writes: one writer connection behind one mutex. The only way to use it is a
// WriteTransaction (lock + BEGIN IMMEDIATE ... COMMIT, rolled back in its destructor), so a
// write can never happen outside a transaction or without the lock.
//
// Reads: a ReadConnection lent from a small pool, one per concurrent reader. Each HTTP
// thread gets its own connection, so reads never wait for each other nor (WAL mode) for a
// write transaction; the pool mutex is held only to lend and take back. A ":memory:"
// database has one connection: readers then share the writer's connection and lock.
// Statements are prepared once per SQL literal per connection and reused.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "storage/key_filter.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sesv2mock::storage {

// A failure of the database itself (disk full, I/O error, locked, corrupt). Callers treat it
// as transient: the request fails with 500, a job pauses and retries.
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A prepared statement. Cached statements are reset (and their bindings cleared) by
// the Query guard that hands them out.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  // Binds text without copying it (bind() copies): `value` must stay unchanged until the
  // statement has run and been reset. For loops writing many rows from memory they own.
  Statement& bind_unowned(int index, std::string_view value);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances one row; false when done. Throws StorageError on failure.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();
  // Ready to run again with the same bindings (reset() clears them).
  void rewind();

  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::string_view column_view(int column) const;  // valid until the next step/reset
  std::optional<std::string> column_optional_text(int column) const;
  std::optional<double> column_optional_double(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Borrowed cached statement, reset when the guard goes away.
class Query {
 public:
  explicit Query(Statement& s) : s_(s) {}
  ~Query() { s_.reset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

// One SQLite connection with its statement cache.
struct Connection {
  sqlite3* db = nullptr;
  std::map<const char*, std::unique_ptr<Statement>> cache;
  ~Connection();
  // `sql` must be a string literal: statements are cached by its address.
  Query cached(const char* sql);
  void exec(std::string_view sql);
};

class Database;

// A read connection lent for the lifetime of this object (keep it short: one operation).
// Every query sees the state of the last commit when it started.
class ReadConnection {
 public:
  explicit ReadConnection(Database& db);
  ~ReadConnection();
  ReadConnection(const ReadConnection&) = delete;
  ReadConnection& operator=(const ReadConnection&) = delete;
  Query query(const char* sql) { return conn_->cached(sql); }
  // A statement of its own (not cached), for a cursor kept open across several operations;
  // it must go before this connection does.
  std::unique_ptr<Statement> prepare(std::string_view sql) {
    return std::make_unique<Statement>(conn_->db, sql);
  }

 private:
  Database& db_;
  std::unique_lock<std::mutex> shared_;  // ":memory:": the writer's lock
  std::unique_ptr<Connection> own_;      // a file database: a pooled reader
  Connection* conn_;
};

// BEGIN IMMEDIATE ... COMMIT under the writer lock: the only way to write. Rolls back in its
// destructor unless committed, and never throws from there. Reads inside a write (checks
// before writing) go through it too, so they see the transaction's own changes.
class WriteTransaction {
 public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  Query query(const char* sql);
  void exec(std::string_view sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  Database& database() const { return db_; }
  // Commits and advances the database's generation (caches of what it read go stale).
  void commit();
  // Commits a transaction that only added sent messages, which no cache holds: the
  // generation stays (group commits of sends do not empty the send path's caches).
  void commit_keeping_generation();

 private:
  Database& db_;
  std::unique_lock<std::mutex> lock_;
  Connection& conn_;
  bool done_ = false;
};

// When the WAL is checkpointed (pages of 4 KiB). Checkpoints run on a thread of their own,
// from a connection of their own, concurrently with writes: run by the committing writer
// (SQLite's automatic checkpoint) each held the writer lock for hundreds of milliseconds,
// seconds under load, while every write waited. A pass copies the WAL as it was when the
// pass began, so under steady writes the WAL is never copied whole and never starts over;
// only a copy of the tail with writers held off lets it restart.
//
// What a pass costs the writer: each synced pass fsyncs the WAL, and while the kernel writes
// the WAL back, the committing writer's pwrite can wait in ext4 (sched_switch stacks: in
// ext4_da_get_block_prep for i_data_sem, and in ext4_block_write_begin for a buffer), 5-30 ms
// at a time. A small program showed the pattern: 4,120-byte appends to a growing file with
// an fdatasync every 30 ms waited up to 12-24 ms; the same writes over blocks the file
// already had, 0.1-1.7 ms. So a WAL that starts over early and then reuses its blocks stalls
// the writer least. SendEmail p99 in 15 s runs: 3.65-4.18 ms with the restart at 128 MiB,
// 4.46-4.76 ms at 256 MiB, 3.89-14.92 ms at 1 GiB (the former default).
struct WalLimits {
  // Pages not yet copied after which the background thread copies them (SQLite's default
  // is 1000): fewer passes, each two fsyncs (50-300 ms on a busy disk), during a large
  // import. It copies on a connection of its own, concurrently with writes, so its fsyncs
  // overlap the writer's work.
  int checkpoint_pages = 4096;
  // WAL pages past which a job, between its batches, copies what the background pass left
  // (the commits made during it) itself, so the WAL starts over (checkpoint_if_large).
  int job_checkpoint_pages = 4096;
  // Writers without such pauses (sends): after a pass that found at least this many pages,
  // the checkpointer copies the tail under the writer lock (under a millisecond), without an
  // fsync; the database file is synced after the writers go on (see database_sync_owed_).
  int restart_pages = 32768;
  int hard_limit_pages = 524288;
};

class Database {
 public:
  // Schema version this code writes; a database with a higher user_version is refused.
  static constexpr int kSchemaVersion = 11;
  // Page cache of the writer connection (KiB): holds the B-tree pages an import batch
  // touches, so a batch of addresses in random order re-reads few pages.
  static constexpr int kWriterCacheKiB = 16 * 1024;
  using WalLimits = storage::WalLimits;
  // Idle read connections kept for reuse; more concurrent readers open (and close) extra.
  static constexpr std::size_t kMaxIdleReaders = 8;

  // Opens (creating if needed) and migrates. ":memory:" gives a throw-away database.
  explicit Database(const std::string& path, WalLimits wal = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Advances at every commit (and rollback) that may have changed something: a value read
  // while it was g is still current as long as it is g. Read it before reading the value.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // A WAL restart's unsynced tail copy still waits for its fsync (see run_checkpoints).
  bool database_sync_owed() const { return database_sync_owed_.load(); }
  // Tail copies that let the WAL start over under steady writes (see WalLimits).
  int wal_restarts() const { return wal_restarts_.load(); }

  // A ":memory:" database reads through the writer's connection and lock: a read kept open
  // while writing would wait for itself.
  bool in_memory() const { return in_memory_; }

  // The account-level suppression list's addresses (kept by storage/suppression_store.cpp,
  // whose writers reach it through their transaction): sends skip the database for a
  // recipient it says is absent.
  KeyFilter& suppression_filter() { return suppression_filter_; }

  // Where scratch files of this database go: the database's path and a dot (a ":memory:"
  // database: a name of its own in the temp directory). See import_scratch.hpp.
  const std::string& scratch_prefix() const { return scratch_prefix_; }

  // A connection of the caller's own to a file database (not from the pool, not read-only),
  // for long work that must not hold a pooled reader: a sort into its TEMP tables.
  std::unique_ptr<Connection> open_own_connection();

  // For a job between two batches (it holds no lock there), when the WAL holds more than
  // WalLimits::job_checkpoint_pages: copies on the calling thread what the last background pass
  // left (the commits made while it ran), unless a pass is running or much is left (then it is the
  // background's). No commit of the job can land during that short copy, so it reaches the end of
  // the WAL and the job's next write starts the WAL over: without it, commits kept the background
  // copy from ever reaching the end and the WAL only started over at the hard limit. Never call it
  // inside a WriteTransaction.
  void checkpoint_if_large();

 private:
  friend class ReadConnection;
  friend class WriteTransaction;

  std::unique_ptr<Connection> lend_reader();
  void take_back(std::unique_ptr<Connection> c);
  void migrate();
  void run_checkpoints();
  // One PASSIVE pass on the checkpoint connection (opened on first use), telling the WAL's
  // size in pages when asked; false when the connection cannot be opened.
  // `sync` false: without SQLite's fsyncs (the tail under the writer lock).
  bool checkpoint_pass(int* wal_pages, bool sync);
  bool checkpoint_pass_locked(int* wal_pages, bool sync);  // checkpointer_conn_mutex_ held
  // fsync of the database file through SQLite's handle (checkpointer_conn_mutex_ held).
  void sync_database_file_locked();
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);

  bool in_memory_;
  std::string path_;
  std::string scratch_prefix_;
  WalLimits wal_;
  std::mutex writer_mutex_;
  Connection writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  std::atomic<std::uint64_t> generation_{0};
  KeyFilter suppression_filter_;

  // WAL pages after the last commit (0 before any), and how many of them the last pass
  // copied (reset when the WAL starts over).
  std::atomic<int> wal_frames_{0};
  std::atomic<int> wal_copied_{0};
  // The tail copy before a WAL restart wrote the database file without an fsync; the next
  // synced pass (or, when none is asked for within kOwedSyncDelayMs, the checkpoint thread)
  // syncs it first. Written under checkpointer_conn_mutex_.
  std::atomic<bool> database_sync_owed_{false};
  static constexpr int kOwedSyncDelayMs = 100;
  std::atomic<int> wal_restarts_{0};
  // The connection checkpoints run on, shared by the background thread and the jobs: one
  // pass at a time.
  std::mutex checkpointer_conn_mutex_;
  Connection checkpointer_conn_;

  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_cv_;
  bool checkpoint_wanted_ = false;
  bool stopping_ = false;
  std::thread checkpointer_;  // file databases only
};

}  // namespace sesv2mock::storage
