#include "storage/configuration_set_store.hpp"

#include "storage/stored_values.hpp"

namespace sesv2mock::storage {
namespace {

#define SET_COLUMNS "name, suppressed_reasons, sending_enabled, tags_json, created_at, options_json"

ConfigurationSet read_set(const Statement& s) {
  ConfigurationSet set;
  set.name = s.column_text(0);
  if (!s.is_null(1))
    set.suppressed_reasons = reasons_from_text(s.column_view(1));
  set.sending_enabled = s.column_int64(2) != 0;
  set.tags = tags_from_json(s.column_view(3));
  set.created_timestamp = s.column_double(4);
  set.echoed_options_json = s.column_text(5);
  return set;
}

std::optional<std::string> reasons_column(
    const std::optional<std::vector<SuppressionReason>>& reasons) {
  if (!reasons)
    return std::nullopt;
  return reasons_to_text(*reasons);
}

void bind_set(Statement& q, const Partition& p, const ConfigurationSet& set) {
  q.bind(1, p.account).bind(2, p.region).bind(3, set.name);
  q.bind(4, reasons_column(set.suppressed_reasons)).bind(5, set.sending_enabled ? 1 : 0);
  q.bind(6, tags_to_json(set.tags)).bind(7, set.created_timestamp);
  q.bind(8, set.echoed_options_json);
}

}  // namespace

bool ConfigurationSetStore::insert(const Partition& p, const ConfigurationSet& set) {
  WriteTransaction tx(db_);
  auto q = tx.query("INSERT INTO configuration_sets (account, region, " SET_COLUMNS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING");
  bind_set(*q, p, set);
  q->run();
  bool inserted = tx.changes() == 1;
  tx.commit();
  return inserted;
}

void ConfigurationSetStore::put(WriteTransaction& tx, const Partition& p,
                                const ConfigurationSet& set) {
  auto q = tx.query("INSERT OR REPLACE INTO configuration_sets (account, region, " SET_COLUMNS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  bind_set(*q, p, set);
  q->run();
}

std::optional<ConfigurationSet> ConfigurationSetStore::find(const Partition& p,
                                                            std::string_view name) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " SET_COLUMNS
                   " FROM configuration_sets "
                   "WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  if (!q->step())
    return std::nullopt;
  return read_set(*q);
}

bool ConfigurationSetStore::exists(const Partition& p, std::string_view name) {
  ReadConnection r(db_);
  auto q =
      r.query("SELECT 1 FROM configuration_sets WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  return q->step();
}

bool ConfigurationSetStore::erase(const Partition& p, std::string_view name) {
  WriteTransaction tx(db_);
  auto q =
      tx.query("DELETE FROM configuration_sets WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  q->run();
  bool erased = tx.changes() == 1;
  tx.commit();
  return erased;
}

bool ConfigurationSetStore::set_suppressed_reasons(
    const Partition& p, std::string_view name,
    const std::optional<std::vector<SuppressionReason>>& reasons) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "UPDATE configuration_sets SET suppressed_reasons = ?4 "
      "WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name).bind(4, reasons_column(reasons));
  q->run();
  bool changed = tx.changes() == 1;
  tx.commit();
  return changed;
}

bool ConfigurationSetStore::set_sending_enabled(const Partition& p, std::string_view name,
                                                bool enabled) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "UPDATE configuration_sets SET sending_enabled = ?4 "
      "WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name).bind(4, enabled ? 1 : 0);
  q->run();
  bool changed = tx.changes() == 1;
  tx.commit();
  return changed;
}

std::vector<ConfigurationSet> ConfigurationSetStore::list(const Partition& p,
                                                          const std::string& after_name,
                                                          int limit) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " SET_COLUMNS
                   " FROM configuration_sets "
                   "WHERE account = ?1 AND region = ?2 AND name > ?3 ORDER BY name LIMIT ?4");
  q->bind(1, p.account).bind(2, p.region).bind(3, after_name).bind(4, limit);
  std::vector<ConfigurationSet> out;
  while (q->step())
    out.push_back(read_set(*q));
  return out;
}

void ConfigurationSetStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto q = tx.query("DELETE FROM configuration_sets WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM configuration_sets");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
