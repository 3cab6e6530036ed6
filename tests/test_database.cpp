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
  // The default limits (32 MiB, 256 MiB, 512 MiB), the two upper ones lowered to keep the
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
  // Well past checkpoint_pages (8,192 pages of 4 KiB = 32 MiB): 48 MiB in 48
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
