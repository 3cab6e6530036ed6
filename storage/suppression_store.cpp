#include "storage/suppression_store.hpp"

#include "storage/multi_row.hpp"

namespace sesv2mock::storage {
namespace {

SuppressedDestination read_destination(const Statement& s) {
  return {s.column_text(0),
          parse_suppression_reason(s.column_view(1)).value_or(SuppressionReason::Bounce),
          s.column_double(2)};
}

std::string filter_key(std::string_view account, std::string_view region, std::string_view email) {
  std::string k;
  k.reserve(account.size() + region.size() + email.size() + 2);
  k.append(account).push_back('\0');
  k.append(region).push_back('\0');
  k.append(email);
  return k;
}

std::string filter_key(const Partition& p, std::string_view email) {
  return filter_key(p.account, p.region, email);
}

#define PUT_HEAD                                                                  \
  "INSERT INTO suppressed_destinations (account, region, email_address, reason, " \
  "last_update_time) "
#define PUT_TAIL                                                                           \
  " ON CONFLICT (account, region, email_address) DO UPDATE SET reason = excluded.reason, " \
  "last_update_time = excluded.last_update_time"
constexpr const char* kPutSql = PUT_HEAD "VALUES (?1, ?2, ?3, ?4, ?5)" PUT_TAIL;

// The same upsert for kRowsPerInsert rows (statements are cached by the text's address).
const char* put_rows_sql() {
  static const std::string sql =
      PUT_HEAD + multi_row_values("(?1, ?2, #0, #1, #2)", 2, 3, kRowsPerInsert) + PUT_TAIL;
  return sql.c_str();
}
#undef PUT_HEAD
#undef PUT_TAIL

}  // namespace

// Every write of an address goes through here, and adds it to the database's filter before
// it commits (a rolled-back write leaves a harmless false positive). A writer that bypassed
// this would let find() answer "not suppressed" for its addresses.
void SuppressionStore::put(WriteTransaction& tx, const Partition& p,
                           const SuppressedDestination& d) {
  tx.database().suppression_filter().add(filter_key(p, d.email_address));
  auto q = tx.query(kPutSql);
  q->bind(1, p.account).bind(2, p.region).bind(3, d.email_address);
  q->bind(4, to_string(d.reason)).bind(5, d.last_update_time);
  q->run();
}

bool SuppressionStore::erase(WriteTransaction& tx, const Partition& p, const std::string& email) {
  auto q = tx.query(
      "DELETE FROM suppressed_destinations WHERE account = ?1 AND region = ?2 AND "
      "email_address = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, email);
  q->run();
  return tx.changes() == 1;
}

void SuppressionStore::add_to_filter(Database& db, const Partition& p,
                                     const std::vector<SuppressedDestination>& puts) {
  KeyFilter& filter = db.suppression_filter();
  std::string key = filter_key(p, "");  // the partition's part, then each address
  const std::size_t prefix = key.size();
  for (const auto& d : puts) {
    key.resize(prefix);
    key += d.email_address;
    filter.add(key);
  }
}

void SuppressionStore::apply(WriteTransaction& tx, const Partition& p,
                             const SuppressionBatch& batch) {
  const auto& puts = batch.puts;
  if (!puts.empty()) {
    if (!batch.filter_added)
      add_to_filter(tx.database(), p, puts);
    // put() for each: kRowsPerInsert rows per statement while whole groups remain, then one
    // by one; the text bound without copies (the batch outlives each run). An import writes
    // 100,000 rows this way.
    insert_rows(
        tx, put_rows_sql(), kPutSql, puts,
        [&](Statement& q) { q.bind_unowned(1, p.account).bind_unowned(2, p.region); },
        [](Statement& q, int row, const SuppressedDestination& d) {
          q.bind_unowned(row_parameter(2, 3, row, 0), d.email_address);
          q.bind_unowned(row_parameter(2, 3, row, 1), to_string(d.reason));
          q.bind(row_parameter(2, 3, row, 2), d.last_update_time);
        });
  }
  for (const auto& e : batch.deletes)
    erase(tx, p, e);
}

void SuppressionStore::put(const Partition& p, const SuppressedDestination& d) {
  WriteTransaction tx(db_);
  put(tx, p, d);
  tx.commit();
}

std::optional<SuppressedDestination> SuppressionStore::find(const Partition& p,
                                                            const std::string& email) {
  // Every send asks this of each recipient. Most are ruled out by the filter: no cache entry
  // (a new recipient per message only churned the cache's map and lock), no read. The others
  // are cached until the next write (read_cache.hpp).
  KeyFilter& filter = db_.suppression_filter();
  if (!filter.complete())
    fill_filter();
  if (!filter.may_contain(filter_key(p, email)))
    return std::nullopt;
  return find_cache_.get(&db_, p, email, [&] { return load(p, email); });
}

std::optional<SuppressedDestination> SuppressionStore::load(const Partition& p,
                                                            const std::string& email) {
  ReadConnection r(db_);
  auto q = r.query(
      "SELECT email_address, reason, last_update_time FROM suppressed_destinations "
      "WHERE account = ?1 AND region = ?2 AND email_address = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, email);
  if (!q->step())
    return std::nullopt;
  return read_destination(*q);
}

// Adds the addresses already stored (puts made meanwhile add their own). One thread fills;
// finds on other threads meanwhile read the database.
void SuppressionStore::fill_filter() {
  std::unique_lock lock(fill_mutex_, std::try_to_lock);
  KeyFilter& filter = db_.suppression_filter();
  if (!lock.owns_lock() || filter.complete())
    return;
  ReadConnection r(db_);
  auto q = r.query("SELECT account, region, email_address FROM suppressed_destinations");
  while (q->step())
    filter.add(filter_key(q->column_view(0), q->column_view(1), q->column_view(2)));
  filter.mark_complete();
}

bool SuppressionStore::erase(const Partition& p, const std::string& email) {
  WriteTransaction tx(db_);
  bool erased = erase(tx, p, email);
  tx.commit();
  return erased;
}

std::vector<SuppressedDestination> SuppressionStore::list(const Partition& p,
                                                          const SuppressionQuery& query) {
  // Reasons are a bit set: 1 = BOUNCE, 2 = COMPLAINT, 3 = both.
  int reason_mask = 0;
  for (auto r : query.reasons)
    reason_mask |= (r == SuppressionReason::Bounce ? 1 : 2);
  if (reason_mask == 0)
    reason_mask = 3;
  ReadConnection r(db_);
  auto q = r.query(
      "SELECT email_address, reason, last_update_time FROM suppressed_destinations "
      "WHERE account = ?1 AND region = ?2 AND email_address > ?3 "
      "AND ((?4 & 1 AND reason = 'BOUNCE') OR (?4 & 2 AND reason = 'COMPLAINT')) "
      "AND (?5 IS NULL OR last_update_time >= ?5) AND (?6 IS NULL OR last_update_time <= ?6) "
      "AND (?8 = '' OR email_address LIKE ?8 ESCAPE '\\') "
      "ORDER BY email_address LIMIT ?7");
  q->bind(1, p.account).bind(2, p.region).bind(3, query.after_email).bind(4, reason_mask);
  q->bind(5, query.start_date).bind(6, query.end_date).bind(7, query.limit);
  // LIKE (ASCII case-insensitive in SQLite) with the search's own % and _ taken literally.
  std::string pattern;
  if (!query.contains.empty()) {
    pattern = "%";
    for (char c : query.contains) {
      if (c == '%' || c == '_' || c == '\\')
        pattern += '\\';
      pattern += c;
    }
    pattern += "%";
  }
  q->bind(8, pattern);
  std::vector<SuppressedDestination> out;
  while (q->step())
    out.push_back(read_destination(*q));
  return out;
}

void SuppressionStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto q = tx.query("DELETE FROM suppressed_destinations WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM suppressed_destinations");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
