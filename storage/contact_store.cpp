#include "storage/contact_store.hpp"

#include <boost/json.hpp>

namespace sesv2mock::storage {
namespace {

std::string preferences_to_json(const std::vector<TopicPreference>& prefs) {
  boost::json::array out;
  for (const auto& p : prefs) {
    out.push_back(boost::json::object{{"TopicName", p.topic_name},
                                      {"SubscriptionStatus", to_string(p.subscription_status)}});
  }
  return boost::json::serialize(out);
}

}  // namespace

bool ContactStore::exists_locked(Database& db, const Partition& p, const std::string& list_name) {
  auto q = db.query("SELECT 1 FROM contact_lists WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name);
  return q->step();
}

bool ContactStore::exists(const Partition& p, const std::string& list_name) {
  auto lock = db_.lock();
  return exists_locked(db_, p, list_name);
}

void ContactStore::put_locked(Database& db, const Partition& p, const std::string& list_name,
                              const Contact& c) {
  auto q = db.query(
      "INSERT INTO contacts (account, region, list_name, email_address, unsubscribe_all, "
      "attributes_data, preferences_json, created_at, last_updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
      "ON CONFLICT (account, region, list_name, email_address) DO UPDATE SET "
      "unsubscribe_all = excluded.unsubscribe_all, attributes_data = excluded.attributes_data, "
      "preferences_json = excluded.preferences_json, last_updated_at = excluded.last_updated_at");
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name).bind(4, c.email_address);
  q->bind(5, c.unsubscribe_all ? 1 : 0).bind(6, c.attributes_data);
  q->bind(7, preferences_to_json(c.topic_preferences)).bind(8, c.last_updated_timestamp);
  q->run();
}

void ContactStore::erase_locked(Database& db, const Partition& p, const std::string& list_name,
                                const std::string& email) {
  auto q = db.query(
      "DELETE FROM contacts WHERE account = ?1 AND region = ?2 AND list_name = ?3 AND "
      "email_address = ?4");
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name).bind(4, email);
  q->run();
}

void ContactStore::erase_all(const Partition* p) {
  auto lock = db_.lock();
  Transaction tx(db_);
  if (p) {
    for (const char* sql : {"DELETE FROM contacts WHERE account = ?1 AND region = ?2",
                            "DELETE FROM contact_lists WHERE account = ?1 AND region = ?2"}) {
      auto q = db_.query(sql);
      q->bind(1, p->account).bind(2, p->region);
      q->run();
    }
  } else {
    db_.exec("DELETE FROM contacts; DELETE FROM contact_lists");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
