// multi_row: the SQL of many-row INSERTs, and the stores' batch writes through it, which must
// leave the same rows as writing each record alone.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/contact_store.hpp"
#include "storage/database.hpp"
#include "storage/import_scratch.hpp"
#include "storage/multi_row.hpp"
#include "storage/suppression_store.hpp"

using namespace sesv2mock;
using namespace sesv2mock::storage;

namespace {

// The rows `sql` reads, one line each, `columns` values per line.
std::string dump(Database& db, const char* sql, int columns) {
  WriteTransaction tx(db);
  auto q = tx.query(sql);
  std::string out;
  while (q->step()) {
    for (int c = 0; c < columns; ++c) {
      out += q->is_null(c) ? std::string("NULL") : q->column_text(c);
      out += '|';
    }
    out += '\n';
  }
  return out;
}

constexpr const char* kSuppressionRows =
    "SELECT account, region, email_address, reason, last_update_time "
    "FROM suppressed_destinations ORDER BY account, region, email_address";
constexpr const char* kContactRows =
    "SELECT account, region, list_name, email_address, unsubscribe_all, attributes_data, "
    "preferences_json, created_at, last_updated_at FROM contacts "
    "ORDER BY account, region, list_name, email_address";

}  // namespace

TEST_CASE("multi_row_values numbers each row's parameters after the shared ones") {
  CHECK(multi_row_values("(?1, #0, #1)", 1, 2, 1) == "VALUES (?1, ?2, ?3)");
  CHECK(multi_row_values("(?1, #0, #1)", 1, 2, 3) ==
        "VALUES (?1, ?2, ?3), (?1, ?4, ?5), (?1, ?6, ?7)");
  CHECK(multi_row_values("(?1, ?2, #0, #1, #1)", 2, 2, 2) ==
        "VALUES (?1, ?2, ?3, ?4, ?4), (?1, ?2, ?5, ?6, ?6)");
  CHECK(row_parameter(2, 3, 0, 0) == 3);
  CHECK(row_parameter(2, 3, 63, 2) == 2 + 63 * 3 + 3);
  CHECK_THROWS_AS(multi_row_values("(#)", 0, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(multi_row_values("(#2)", 0, 2, 1), std::invalid_argument);
}

TEST_CASE("a suppression batch written 64 rows at a time equals its records put one by one") {
  // Two whole groups and a rest; an address twice inside a group, and once on each side of
  // a group's end (the later record wins, as with put()); an address already stored.
  const Partition p{"111122223333", "eu-west-1"};
  SuppressionBatch batch;
  for (int i = 0; i < 2 * kRowsPerInsert + 7; ++i) {
    batch.puts.push_back({"user" + std::to_string(i) + "@example.com",
                          i % 3 ? SuppressionReason::Bounce : SuppressionReason::Complaint,
                          1700000000.0 + i});
  }
  batch.puts[10].email_address = batch.puts[3].email_address;
  batch.puts[kRowsPerInsert].email_address = batch.puts[kRowsPerInsert - 1].email_address;
  batch.puts.back().email_address = "stored@example.com";
  batch.deletes.push_back("user20@example.com");

  Database batched(":memory:");
  Database single(":memory:");
  for (Database* db : {&batched, &single}) {
    WriteTransaction tx(*db);
    SuppressionStore::put(tx, p, {"stored@example.com", SuppressionReason::Bounce, 1.0});
    SuppressionStore::put(tx, Partition{}, {"user5@example.com", SuppressionReason::Bounce, 2.0});
    tx.commit();
  }
  {
    WriteTransaction tx(batched);
    SuppressionStore::apply(tx, p, batch);
    tx.commit();
  }
  {
    WriteTransaction tx(single);
    for (const auto& d : batch.puts)
      SuppressionStore::put(tx, p, d);
    for (const auto& e : batch.deletes)
      SuppressionStore::erase(tx, p, e);
    tx.commit();
  }
  const std::string rows = dump(batched, kSuppressionRows, 5);
  CHECK(rows == dump(single, kSuppressionRows, 5));
  // 135 records, 2 of them repeats, 1 deleted, plus the other partition's row.
  CHECK(std::count(rows.begin(), rows.end(), '\n') == 2 * kRowsPerInsert + 7 - 2 - 1 + 1);
  CHECK(rows.find("stored@example.com|BOUNCE|1700000134.0|") != std::string::npos);
  // Every address of the batch is in the filter (sends skip the database for the others).
  for (const auto& d : batch.puts)
    CHECK(SuppressionStore(batched).find(p, d.email_address).has_value() ==
          (d.email_address != "user20@example.com"));
}

TEST_CASE("staged contacts written 64 rows at a time equal their records written one by one") {
  const Partition p{"111122223333", "eu-west-1"};
  std::vector<StagedContact> records;
  for (int i = 0; i < kRowsPerInsert + 9; ++i) {
    StagedContact c;
    c.email = "reader" + std::to_string(1000 + i) + "@example.com";
    c.unsubscribe_all = i % 5 == 0;
    if (i % 2)
      c.attributes_data = "{\"n\":" + std::to_string(i) + "}";
    c.preferences_json = i % 3 ? "[]" : R"([{"TopicName":"news","SubscriptionStatus":"OPT_IN"}])";
    c.updated_at = 1700000000.0 + i;
    records.push_back(c);
  }
  records[20].email = records[19].email;  // the later one wins

  ContactList list;
  list.contact_list_name = "readers";
  Database batched(":memory:");
  Database single(":memory:");
  for (Database* db : {&batched, &single}) {
    WriteTransaction tx(*db);
    ContactStore::upsert_list(tx, p, list);
    tx.commit();
  }
  {
    WriteTransaction tx(batched);
    REQUIRE(ContactStore::apply_staged(tx, p, "readers", records, false));
    tx.commit();
  }
  {
    WriteTransaction tx(single);
    for (const auto& r : records) {
      std::vector<StagedContact> one{r};
      REQUIRE(ContactStore::apply_staged(tx, p, "readers", one, false));
    }
    tx.commit();
  }
  const std::string rows = dump(batched, kContactRows, 9);
  CHECK(rows == dump(single, kContactRows, 9));
  CHECK(std::count(rows.begin(), rows.end(), '\n') == kRowsPerInsert + 9 - 1);
  // Values in place (both paths share the binding, so this is what checks it): a record of
  // the first group, one of the rest, and the repeated address, created by the first of its
  // two records and updated by the second.
  CHECK(rows.find("|reader1007@example.com|0|{\"n\":7}|[]|1700000007.0|1700000007.0|") !=
        std::string::npos);
  CHECK(rows.find("|reader1072@example.com|0|NULL|[{\"TopicName\":\"news\",\"SubscriptionStatus\":"
                  "\"OPT_IN\"}]|1700000072.0|1700000072.0|") != std::string::npos);
  CHECK(rows.find("|reader1019@example.com|1|NULL|[]|1700000019.0|1700000020.0|") !=
        std::string::npos);
  // A list that does not exist writes nothing.
  WriteTransaction tx(batched);
  CHECK_FALSE(ContactStore::apply_staged(tx, p, "missing", records, false));
}
