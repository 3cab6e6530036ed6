// SuppressionStore's send-time lookup and the KeyFilter in front of it.
#include <doctest/doctest.h>

#include <string>

#include "storage/database.hpp"
#include "storage/key_filter.hpp"
#include "storage/suppression_store.hpp"
#include "test_support.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

TEST_CASE("KeyFilter: maybe-present until complete; then never absent for an added key") {
  KeyFilter f;
  CHECK(f.may_contain("x"));  // not complete: no answer of its own
  f.add("a");
  f.mark_complete();
  CHECK(f.may_contain("a"));
  CHECK_FALSE(f.may_contain("b"));
  constexpr int kKeys = 100'000;
  for (int i = 0; i < kKeys; ++i)
    f.add("user-" + std::to_string(i) + "@example.com");
  int missing = 0, false_positives = 0;
  for (int i = 0; i < kKeys; ++i) {
    missing += f.may_contain("user-" + std::to_string(i) + "@example.com") ? 0 : 1;
    false_positives += f.may_contain("other-" + std::to_string(i) + "@example.com") ? 1 : 0;
  }
  CHECK(missing == 0);
  // Expected about 0.0001 at 100,000 keys in 2^24 bits with 4 probes.
  CHECK(false_positives < kKeys / 1000);
}

TEST_CASE("SuppressionStore::find: addresses stored before this process, and every later write") {
  testing::TempDir dir;
  const std::string path = dir.file("mock.db");
  const Partition p{"111111111111", "us-east-1"};
  const Partition other{"222222222222", "us-east-1"};
  {
    Database db(path);
    WriteTransaction tx(db);
    SuppressionStore::put(tx, p, {"old@example.com", SuppressionReason::Bounce, 1});
    SuppressionStore::put(tx, other, {"elsewhere@example.com", SuppressionReason::Complaint, 1});
    tx.commit();
  }
  Database db(path);  // a new process: its filter knows nothing yet
  SuppressionStore store(db);
  REQUIRE(store.find(p, "old@example.com"));  // found through the filled filter
  CHECK(store.find(p, "old@example.com")->reason == SuppressionReason::Bounce);
  CHECK(db.suppression_filter().complete());
  CHECK_FALSE(store.find(p, "new@example.com"));
  CHECK_FALSE(store.find(p, "elsewhere@example.com"));  // another account's entry
  REQUIRE(store.find(other, "elsewhere@example.com"));

  // Written after the filter was filled, as an import batch does (inside its transaction).
  {
    WriteTransaction tx(db);
    SuppressionBatch batch;
    batch.puts.push_back({"new@example.com", SuppressionReason::Complaint, 2});
    SuppressionStore::apply(tx, p, batch);
    tx.commit();
  }
  REQUIRE(store.find(p, "new@example.com"));
  CHECK(store.find(p, "new@example.com")->reason == SuppressionReason::Complaint);
  // Erased: the filter keeps its bits, the database answers.
  CHECK(store.erase(p, "new@example.com"));
  CHECK_FALSE(store.find(p, "new@example.com"));
}
