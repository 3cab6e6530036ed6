// Database: the background checkpointer keeps a file database's WAL bounded.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
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
  Database db(path);
  {
    WriteTransaction tx(db);
    tx.exec("CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB NOT NULL)");
    tx.commit();
  }
  // Well past kWalAutoCheckpointPages (8,192 pages of 4 KiB = 32 MiB): 48 MiB in 48
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
  // Once copied, the WAL starts over instead of growing: more writes keep it near the
  // threshold, far below the 96 MiB that 96 MiB of commits would otherwise leave.
  for (int c = 0; c < kCommits; ++c) {
    WriteTransaction tx(db);
    for (int i = 0; i < kBlobsPerCommit; ++i)
      tx.query("INSERT INTO filler (data) VALUES (?1)")->bind(1, blob).run();
    tx.commit();
  }
  CHECK(size_of(path + "-wal") < 72u * 1024 * 1024);
}

TEST_CASE("a job's checkpoint between its batches copies the WAL at once and lets it start over") {
  testing::TempDir dir;
  const std::string path = dir.file("mock.db");
  Database db(path);
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
  // Below kWalAutoCheckpointPages (32 MiB): the background thread is not asked; nothing is
  // copied yet.
  constexpr int kMiB = 24;
  static_assert(kMiB * 256 > Database::kWalJobCheckpointPages);
  static_assert(kMiB * 256 < Database::kWalAutoCheckpointPages);
  for (int c = 0; c < kMiB; ++c)
    write_mib();
  CHECK(size_of(path) < 1024u * 1024);
  // The job's call copies on its own thread, before it returns.
  db.checkpoint_if_large();
  CHECK(size_of(path) >= std::uintmax_t{kMiB} * 1024 * 1024);
  // A job calling it after every batch keeps the WAL file at the size it had (it starts
  // over from its beginning): 72 MiB more leave it below 32 MiB instead of at 96 MiB, and
  // all but the last 16 MiB (kWalJobCheckpointPages) are in the database file.
  for (int c = 0; c < 3 * kMiB; ++c) {
    write_mib();
    db.checkpoint_if_large();
  }
  CHECK(size_of(path + "-wal") < 32u * 1024 * 1024);
  CHECK(size_of(path) >= std::uintmax_t{4 * kMiB - 16} * 1024 * 1024);
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
