#pragma once
// INSERTs of many rows per statement. An import writes its batches row by row through one
// cached statement; each row then pays a whole sqlite3_step and reset. With 64 rows in one
// VALUES list the same 100,000 upserts into suppressed_destinations took 84 ms of CPU
// instead of 138 ms (a standalone loop over SQLite, 3 alternating runs each; 10 rows: 91 ms).
#include <cstddef>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace sesv2mock::storage {

// Rows written per multi-row statement; the rest of a batch goes through the one-row one.
inline constexpr int kRowsPerInsert = 64;

// "VALUES g0, g1, ..." for `rows` copies of `group`, where `group` spells one row's values
// with ?1..?<shared> for the parameters every row shares and #0..#9 for the row's own:
// #k of row r becomes ?<shared + r * per_row + k + 1>. So a row's own parameters follow
// the shared ones, row after row, and bind at row_parameter(shared, per_row, r, k).
std::string multi_row_values(std::string_view group, int shared, int per_row, int rows);

constexpr int row_parameter(int shared, int per_row, int row, int k) {
  return shared + row * per_row + k + 1;
}

// Writes `records`: kRowsPerInsert of them per run of `rows_sql` while whole groups remain,
// the rest one per run of `one_sql`. `bind_shared(statement)` binds the shared parameters
// (once per statement), `bind_row(statement, row, record)` a record's own as row `row`.
template <typename Records, typename BindShared, typename BindRow>
void insert_rows(WriteTransaction& tx, const char* rows_sql, const char* one_sql,
                 const Records& records, BindShared bind_shared, BindRow bind_row) {
  constexpr std::size_t kRows = kRowsPerInsert;
  std::size_t i = 0;
  if (records.size() >= kRows) {
    auto q = tx.query(rows_sql);
    bind_shared(*q);
    for (; records.size() - i >= kRows; i += kRows) {
      for (int r = 0; r < kRowsPerInsert; ++r)
        bind_row(*q, r, records[i + r]);
      q->run();
      q->rewind();
    }
  }
  if (i < records.size()) {
    auto q = tx.query(one_sql);
    bind_shared(*q);
    for (; i < records.size(); ++i) {
      bind_row(*q, 0, records[i]);
      q->run();
      q->rewind();
    }
  }
}

}  // namespace sesv2mock::storage
