#include "storage/meta_store.hpp"

namespace sesv2mock::storage {

std::optional<std::string> MetaStore::get(const std::string& key) {
  ReadConnection r(db_);
  auto q = r.query("SELECT value FROM meta WHERE key = ?1");
  q->bind(1, key);
  if (!q->step())
    return std::nullopt;
  return q->column_text(0);
}

void MetaStore::set(const std::string& key, const std::string& value) {
  WriteTransaction tx(db_);
  auto q = tx.query("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
  q->bind(1, key).bind(2, value);
  q->run();
  tx.commit();
}

}  // namespace sesv2mock::storage
