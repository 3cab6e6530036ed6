#include "storage/identity_store.hpp"

#include "storage/stored_values.hpp"

namespace sesv2mock::storage {
namespace {

#define IDENTITY_COLUMNS \
  "identity_name, identity_type, status, configuration_set_name, tags_json, created_at"

EmailIdentity read_identity(const Statement& s) {
  EmailIdentity id;
  id.identity_name = s.column_text(0);
  id.type = parse_identity_type(s.column_view(1)).value_or(IdentityType::EmailAddress);
  id.status = parse_verification_status(s.column_view(2)).value_or(VerificationStatus::Success);
  id.configuration_set_name = s.column_optional_text(3);
  id.tags = tags_from_json(s.column_view(4));
  id.created_timestamp = s.column_double(5);
  return id;
}

void bind_identity(Statement& q, const Partition& p, const EmailIdentity& id) {
  q.bind(1, p.account).bind(2, p.region).bind(3, identity_key(id.identity_name));
  q.bind(4, id.identity_name).bind(5, to_string(id.type)).bind(6, to_string(id.status));
  q.bind(7, id.configuration_set_name).bind(8, tags_to_json(id.tags));
  q.bind(9, id.created_timestamp);
}

}  // namespace

bool IdentityStore::insert(const Partition& p, const EmailIdentity& identity) {
  WriteTransaction tx(db_);
  auto q = tx.query("INSERT INTO email_identities (account, region, identity_key, " IDENTITY_COLUMNS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING");
  bind_identity(*q, p, identity);
  q->run();
  bool inserted = tx.changes() == 1;
  tx.commit();
  return inserted;
}

void IdentityStore::put(WriteTransaction& tx, const Partition& p, const EmailIdentity& identity) {
  auto q = tx.query(
      "INSERT OR REPLACE INTO email_identities (account, region, identity_key, " IDENTITY_COLUMNS
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  bind_identity(*q, p, identity);
  q->run();
}

std::optional<EmailIdentity> IdentityStore::find(const Partition& p,
                                                 std::string_view identity_name) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " IDENTITY_COLUMNS
                   " FROM email_identities "
                   "WHERE account = ?1 AND region = ?2 AND identity_key = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, identity_key(identity_name));
  if (!q->step())
    return std::nullopt;
  return read_identity(*q);
}

bool IdentityStore::erase(const Partition& p, std::string_view identity_name) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "DELETE FROM email_identities WHERE account = ?1 AND region = ?2 AND identity_key = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, identity_key(identity_name));
  q->run();
  bool erased = tx.changes() == 1;
  tx.commit();
  return erased;
}

bool IdentityStore::set_status(const Partition& p, std::string_view identity_name,
                               VerificationStatus status) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "UPDATE email_identities SET status = ?4 "
      "WHERE account = ?1 AND region = ?2 AND identity_key = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, identity_key(identity_name));
  q->bind(4, to_string(status));
  q->run();
  bool changed = tx.changes() == 1;
  tx.commit();
  return changed;
}

std::vector<EmailIdentity> IdentityStore::list(const Partition& p, const std::string& after_key,
                                               int limit) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " IDENTITY_COLUMNS
                   " FROM email_identities "
                   "WHERE account = ?1 AND region = ?2 AND identity_key > ?3 "
                   "ORDER BY identity_key LIMIT ?4");
  q->bind(1, p.account).bind(2, p.region).bind(3, after_key).bind(4, limit);
  std::vector<EmailIdentity> out;
  while (q->step())
    out.push_back(read_identity(*q));
  return out;
}

bool IdentityStore::is_verified_key(const Partition& p, std::string_view key) {
  ReadConnection r(db_);
  auto q = r.query(
      "SELECT 1 FROM email_identities WHERE account = ?1 AND region = ?2 "
      "AND identity_key = ?3 AND status = 'SUCCESS'");
  q->bind(1, p.account).bind(2, p.region).bind(3, key);
  return q->step();
}

void IdentityStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto q = tx.query("DELETE FROM email_identities WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM email_identities");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
