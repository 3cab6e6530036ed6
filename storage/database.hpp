#pragma once
// RAII wrapper over the SQLite connections of one database.
//
// Threading: a file database has two connections, each behind its own mutex. The writer
// (lock() + query()) serves every write and the reads inside write transactions; the
// reader (read_lock() + read_query()) serves plain reads from the HTTP threads. In WAL
// mode the reader sees the last committed state without waiting for a write transaction,
// so GetImportJob stays fast while the worker commits an import batch. A ":memory:"
// database has one connection, and read_lock()/read_query() fall back to it.
// Statements, transactions and the statement caches are used only under their lock.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sesv2mock::storage {

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
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances one row; false when done. Throws StorageError on failure.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
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
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

class Database {
 public:
  // Schema version this code writes; a database with a higher user_version is refused.
  static constexpr int kSchemaVersion = 2;

  // Opens (creating if needed) and migrates. ":memory:" gives a throw-away database.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  std::unique_lock<std::mutex> lock() { return std::unique_lock(writer_.mutex); }
  std::unique_lock<std::mutex> read_lock() { return std::unique_lock(reader().mutex); }

  // Caller holds lock(). `sql` must be a string literal: statements are prepared once per
  // literal, then reused.
  void exec(std::string_view sql);
  Query query(const char* sql);
  // Caller holds read_lock(). Read-only statements only.
  Query read_query(const char* sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  const std::string& path() const { return path_; }

 private:
  struct Connection {
    sqlite3* db = nullptr;
    std::mutex mutex;
    std::map<const char*, std::unique_ptr<Statement>> cache;
  };
  static sqlite3* open_connection(const std::string& path);
  static Query cached(Connection& c, const char* sql);
  Connection& reader() { return reader_.db ? reader_ : writer_; }
  void configure_connection();
  void migrate();

  std::string path_;
  Connection writer_;
  Connection reader_;  // unused (db == nullptr) for ":memory:"
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in its destructor unless committed, never throws
// from there. Caller holds the Database lock for the transaction's lifetime.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace sesv2mock::storage
