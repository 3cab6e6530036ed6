// Database: the background checkpointer keeps a file database's WAL bounded.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "storage/database.hpp"
#include "test_support.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

namespace {

std::uintmax_t size_of(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

}  // namespace

TEST_CASE("the background checkpointer copies the WAL into the database file") {
  testing::TempDir dir;
  const std::string path = dir.file("mock.db");
  // The default limits (16 MiB, 128 MiB, 2 GiB), the two upper ones changed to keep the
  // test short.
  Database::WalLimits limits;
  limits.restart_pages = 16384;
  limits.hard_limit_pages = 24576;
  Database db(path, limits);
  {
    WriteTransaction tx(db);
    tx.exec("CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    tx.commit();
  }
  // Well past checkpoint_pages (4,096 pages of 4 KiB = 16 MiB): 48 MiB in 48
  // commits of 1 MiB each.
  constexpr int kCommits = 48;
  constexpr int kBlobsPerCommit = 16;
  const std::string blob(64 * 1024, 'x');
  for (int c = 0; c < kCommits; ++c) {
    WriteTransaction tx(db);
    for (int i = 0; i < kBlobsPerCommit; ++i)
      tx.query("INSERT INTO filler (data) VALUES (?1)")->bind(1, blob).run();
    tx.commit();
  }
  // The checkpoint runs on its own thread: wait for the database file to hold the first
  // 32 MiB (before the fix it stayed at one page while the WAL grew without bound).
  const std::uintmax_t want = 32u * 1024 * 1024;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (size_of(path) < want && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(size_of(path) >= want);
  // Once copied, the WAL starts over instead of growing: 160 MiB more of back-to-back
  // commits (which the background passes alone never catch up with) leave it near
  // restart_pages (64 MiB here), not at 160 MiB.
  for (int c = 0; c < 160; ++c) {
    WriteTransaction tx(db);
    for (int i = 0; i < kBlobsPerCommit; ++i)
      tx.query("INSERT INTO filler (data) VALUES (?1)")->bind(1, blob).run();
    tx.commit();
  }
  CHECK(size_of(path + "-wal") < 100u * 1024 * 1024);
}

TEST_CASE("a WAL restart under steady writes syncs the database file after the writers go on") {
  testing::TempDir dir;
  const std::string path = dir.file("mock.db");
  Database::WalLimits limits;
  limits.restart_pages = 8192;  // 32 MiB
  Database db(path, limits);
  {
    WriteTransaction tx(db);
    tx.exec("CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    tx.commit();
  }
  const std::string blob(64 * 1024, 'x');
  auto write_mib = [&] {
    WriteTransaction tx(db);
    for (int i = 0; i < 16; ++i)
      tx.query("INSERT INTO filler (data) VALUES (?1)")->bind(1, blob).run();
    tx.commit();
  };
  // Back-to-back commits until the checkpointer copied the tail with the writer held off.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int written = 0;
  while (db.wal_restarts() == 0 && std::chrono::steady_clock::now() < deadline) {
    write_mib();
    ++written;
  }
  REQUIRE(db.wal_restarts() >= 1);
  CHECK(written >= 32);
  // Writes stop here. The tail's fsync still comes: from a pass that commits made during the
  // restart asked for, or from the checkpoint thread when none was asked for. (With neither,
  // it stays owed.)
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (db.database_sync_owed() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK_FALSE(db.database_sync_owed());
  // The next write starts the WAL over: the file does not grow.
  const auto wal = size_of(path + "-wal");
  CHECK(wal >= 32u * 1024 * 1024);
  write_mib();
  CHECK(size_of(path + "-wal") == wal);
}

TEST_CASE(
    "a job's call between its batches copies what the background left, so the WAL "
    "starts over") {
  testing::TempDir dir;
  const std::string path = dir.file("mock.db");
  Database db(path);
  {
    WriteTransaction tx(db);
    tx.exec("CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    tx.commit();
  }
  auto write_mib = [&](char fill = 'x') {
    const std::string blob(64 * 1024, fill);
    WriteTransaction tx(db);
    for (int i = 0; i < 16; ++i)
      tx.query("INSERT INTO filler (data) VALUES (?1)")->bind(1, blob).run();
    tx.commit();
  };
  // Whether the database file (not the WAL) holds a page of `fill` bytes.
  auto db_file_has = [&](char fill) {
    std::ifstream in(path, std::ios::binary);
    const std::string page(4000, fill);
    std::string buffer(4096, '\0');
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())))
      if (buffer.find(page) != std::string::npos)
        return true;
    return false;
  };
  // 12 MiB, then 6 MiB while a reader keeps a snapshot of the first 12: past
  // checkpoint_pages (16 MiB) the background thread copies what it can, the first 12
  // (as an import's commits during a background pass stay uncopied). Too little is left to
  // ask it again, and the WAL cannot start over while it is not copied.
  REQUIRE(Database::WalLimits{}.checkpoint_pages * 4096 == 16 * 1024 * 1024);
  for (int c = 0; c < 12; ++c)
    write_mib('x');
  auto reader = db.open_own_connection();
  reader->exec("BEGIN; SELECT count(*) FROM filler");
  for (int c = 0; c < 6; ++c)
    write_mib('y');
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!db_file_has('x') && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the pass has ended
  reader->exec("COMMIT");
  REQUIRE(db_file_has('x'));
  REQUIRE_FALSE(db_file_has('y'));
  // The job's call copies the rest on its own thread...
  db.checkpoint_if_large();
  CHECK(db_file_has('y'));
  // ...so the next commit writes at the start of the WAL instead of growing it.
  const auto wal = size_of(path + "-wal");
  write_mib();
  CHECK(size_of(path + "-wal") == wal);
}

TEST_CASE("a DELETE frees pages without writing zeros over them") {
  testing::TempDir dir;
  const std::string path = dir.file("mock.db");
  Database db(path);
  {
    WriteTransaction tx(db);
    tx.exec("CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    const std::string blob(64 * 1024, 'x');
    for (int i = 0; i < 64; ++i)  // 4 MiB
      tx.query("INSERT INTO filler (data) VALUES (?1)")->bind(1, blob).run();
    tx.commit();
  }
  const auto before = size_of(path + "-wal");
  {
    WriteTransaction tx(db);
    tx.exec("DELETE FROM filler");
    tx.commit();
  }
  // Debian's SQLite scrubs by default (secure_delete): the 4 MiB of freed pages went to the
  // WAL again as zeros. Only the freelist's own pages are written now.
  CHECK(size_of(path + "-wal") - before < 256u * 1024);
}

TEST_CASE("Statement: rewind keeps the bindings, bind_unowned binds text without a copy") {
  storage::Database db(":memory:");
  storage::WriteTransaction tx(db);
  tx.exec("CREATE TABLE t (a TEXT, b TEXT)");
  {
    auto q = tx.query("INSERT INTO t (a, b) VALUES (?1, ?2)");
    const std::string fixed = "same";
    q->bind_unowned(1, fixed);
    for (const std::string b : {"x", "y"}) {
      q->bind_unowned(2, b);
      q->run();
      q->rewind();  // ?1 stays bound
    }
  }
  auto rows = tx.query("SELECT a || b FROM t ORDER BY b");
  REQUIRE(rows->step());
  CHECK(rows->column_text(0) == "samex");
  REQUIRE(rows->step());
  CHECK(rows->column_text(0) == "samey");
  CHECK_FALSE(rows->step());
}
