#include "storage/account_store.hpp"

#include "storage/stored_values.hpp"

namespace sesv2mock::storage {

StoredAccountSettings AccountStore::get(const Partition& p) {
  ReadConnection r(db_);
  auto q = r.query(
      "SELECT sending_enabled, suppressed_reasons FROM account_settings "
      "WHERE account = ?1 AND region = ?2");
  q->bind(1, p.account).bind(2, p.region);
  StoredAccountSettings out;
  if (!q->step())
    return out;
  if (!q->is_null(0))
    out.sending_enabled = q->column_int64(0) != 0;
  if (!q->is_null(1))
    out.suppressed_reasons = reasons_from_text(q->column_view(1));
  return out;
}

void AccountStore::set_sending_enabled(const Partition& p, bool enabled) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "INSERT INTO account_settings (account, region, sending_enabled) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (account, region) DO UPDATE SET sending_enabled = excluded.sending_enabled");
  q->bind(1, p.account).bind(2, p.region).bind(3, enabled ? 1 : 0);
  q->run();
  tx.commit();
}

void AccountStore::set_suppressed_reasons(const Partition& p,
                                          const std::vector<SuppressionReason>& reasons) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "INSERT INTO account_settings (account, region, suppressed_reasons) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (account, region) DO UPDATE SET "
      "suppressed_reasons = excluded.suppressed_reasons");
  q->bind(1, p.account).bind(2, p.region).bind(3, reasons_to_text(reasons));
  q->run();
  tx.commit();
}

void AccountStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto q = tx.query("DELETE FROM account_settings WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM account_settings");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
