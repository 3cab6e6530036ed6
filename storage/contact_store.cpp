#include "storage/contact_store.hpp"

#include <boost/json.hpp>

#include "storage/multi_row.hpp"

namespace sesv2mock::storage {
namespace {

namespace json = boost::json;

// Lists keep their topics and tags as JSON text, contacts their topic preferences: they are
// always read and written whole, never queried member by member.
std::string topics_to_json(const std::vector<Topic>& topics) {
  json::array out;
  for (const auto& t : topics) {
    out.push_back(
        json::object{{"TopicName", t.topic_name},
                     {"DisplayName", t.display_name},
                     {"Description", t.description},
                     {"DefaultSubscriptionStatus", to_string(t.default_subscription_status)}});
  }
  return json::serialize(out);
}

std::string tags_to_json(const std::vector<Tag>& tags) {
  json::array out;
  for (const auto& t : tags)
    out.push_back(json::object{{"Key", t.key}, {"Value", t.value}});
  return json::serialize(out);
}

// Appends `s` as a JSON string literal. Written by hand because this runs once per imported
// contact, where building a json::value first would cost more than the insert.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

std::string preferences_to_json(const std::vector<TopicPreference>& prefs) {
  std::string out = "[";
  for (const auto& p : prefs) {
    if (out.size() > 1)
      out.push_back(',');
    out += "{\"TopicName\":";
    append_json_string(out, p.topic_name);
    out += ",\"SubscriptionStatus\":\"";
    out += to_string(p.subscription_status);
    out += "\"}";
  }
  out.push_back(']');
  return out;
}

// Stored JSON is written by this file only; anything unreadable is skipped rather than
// failing a whole read.
json::array parse_array(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array())
    return {};
  return std::move(v.as_array());
}

std::string string_member(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

SubscriptionStatus status_member(const json::object& o, std::string_view name) {
  return parse_subscription_status(string_member(o, name)).value_or(SubscriptionStatus::OptOut);
}

std::vector<Topic> topics_from_json(const std::string& text) {
  std::vector<Topic> out;
  for (const auto& v : parse_array(text)) {
    if (!v.is_object())
      continue;
    const auto& o = v.get_object();
    out.push_back({string_member(o, "TopicName"), string_member(o, "DisplayName"),
                   string_member(o, "Description"), status_member(o, "DefaultSubscriptionStatus")});
  }
  return out;
}

std::vector<Tag> tags_from_json(const std::string& text) {
  std::vector<Tag> out;
  for (const auto& v : parse_array(text)) {
    if (v.is_object())
      out.push_back({string_member(v.get_object(), "Key"), string_member(v.get_object(), "Value")});
  }
  return out;
}

std::vector<TopicPreference> preferences_from_json(const std::string& text) {
  std::vector<TopicPreference> out;
  for (const auto& v : parse_array(text)) {
    if (!v.is_object())
      continue;
    const auto& o = v.get_object();
    out.push_back({string_member(o, "TopicName"), status_member(o, "SubscriptionStatus")});
  }
  return out;
}

#define LIST_COLUMNS "name, description, topics_json, tags_json, created_at, last_updated_at"

ContactList read_list(const Statement& s) {
  ContactList list;
  list.contact_list_name = s.column_text(0);
  list.description = s.column_optional_text(1);
  list.topics = topics_from_json(s.column_text(2));
  list.tags = tags_from_json(s.column_text(3));
  list.created_timestamp = s.column_double(4);
  list.last_updated_timestamp = s.column_double(5);
  return list;
}

#define CONTACT_COLUMNS \
  "email_address, unsubscribe_all, attributes_data, preferences_json, created_at, last_updated_at"

Contact read_contact(const Statement& s) {
  Contact c;
  c.email_address = s.column_text(0);
  c.unsubscribe_all = s.column_int64(1) != 0;
  c.attributes_data = s.column_optional_text(2);
  c.topic_preferences = preferences_from_json(s.column_text(3));
  c.created_timestamp = s.column_double(4);
  c.last_updated_timestamp = s.column_double(5);
  return c;
}

// Reads inside a write transaction go through it (they must see its own changes); plain
// reads use a pooled read connection so they never wait for an import batch to commit.
constexpr const char* kFindListSql =
    "SELECT " LIST_COLUMNS " FROM contact_lists WHERE account = ?1 AND region = ?2 AND name = ?3";
constexpr const char* kFindContactSql =
    "SELECT " CONTACT_COLUMNS
    " FROM contacts WHERE account = ?1 AND region = ?2 AND list_name = ?3 AND email_address = ?4";
constexpr const char* kListExistsSql =
    "SELECT 1 FROM contact_lists WHERE account = ?1 AND region = ?2 AND name = ?3";

template <typename Conn>
std::optional<ContactList> find_list_in(Conn& c, const Partition& p, const std::string& name) {
  auto q = c.query(kFindListSql);
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  if (!q->step())
    return std::nullopt;
  return read_list(*q);
}

template <typename Conn>
std::optional<Contact> find_contact_in(Conn& c, const Partition& p, const std::string& list_name,
                                       const std::string& email) {
  auto q = c.query(kFindContactSql);
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name).bind(4, email);
  if (!q->step())
    return std::nullopt;
  return read_contact(*q);
}

template <typename Conn>
bool list_exists_in(Conn& c, const Partition& p, const std::string& name) {
  auto q = c.query(kListExistsSql);
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  return q->step();
}

// An imported record: created and last updated at its import time (?8 twice).
#define STAGED_HEAD                                                                    \
  "INSERT INTO contacts (account, region, list_name, email_address, unsubscribe_all, " \
  "attributes_data, preferences_json, created_at, last_updated_at) "
#define STAGED_TAIL                                                                          \
  " ON CONFLICT (account, region, list_name, email_address) DO UPDATE SET "                  \
  "unsubscribe_all = excluded.unsubscribe_all, attributes_data = excluded.attributes_data, " \
  "preferences_json = excluded.preferences_json, last_updated_at = excluded.last_updated_at"
constexpr const char* kStagedSql =
    STAGED_HEAD "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)" STAGED_TAIL;

// The same upsert for kRowsPerInsert rows (statements are cached by the text's address).
const char* staged_rows_sql() {
  static const std::string sql =
      STAGED_HEAD + multi_row_values("(?1, ?2, ?3, #0, #1, #2, #3, #4, #4)", 3, 5, kRowsPerInsert) +
      STAGED_TAIL;
  return sql.c_str();
}
#undef STAGED_HEAD
#undef STAGED_TAIL

}  // namespace

bool ContactStore::exists(WriteTransaction& tx, const Partition& p, const std::string& list_name) {
  return list_exists_in(tx, p, list_name);
}

bool ContactStore::exists(const Partition& p, const std::string& list_name) {
  ReadConnection r(db_);
  return list_exists_in(r, p, list_name);
}

void ContactStore::upsert_list(WriteTransaction& tx, const Partition& p, const ContactList& list) {
  auto q = tx.query(
      "INSERT INTO contact_lists (account, region, name, description, topics_json, tags_json, "
      "created_at, last_updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (account, region, name) DO UPDATE SET description = excluded.description, "
      "topics_json = excluded.topics_json, tags_json = excluded.tags_json, "
      "created_at = excluded.created_at, last_updated_at = excluded.last_updated_at");
  q->bind(1, p.account).bind(2, p.region).bind(3, list.contact_list_name).bind(4, list.description);
  q->bind(5, topics_to_json(list.topics)).bind(6, tags_to_json(list.tags));
  q->bind(7, list.created_timestamp).bind(8, list.last_updated_timestamp);
  q->run();
}

void ContactStore::put(WriteTransaction& tx, const Partition& p, const std::string& list_name,
                       const Contact& c) {
  auto q = tx.query(
      "INSERT INTO contacts (account, region, list_name, email_address, unsubscribe_all, "
      "attributes_data, preferences_json, created_at, last_updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
      "ON CONFLICT (account, region, list_name, email_address) DO UPDATE SET "
      "unsubscribe_all = excluded.unsubscribe_all, attributes_data = excluded.attributes_data, "
      "preferences_json = excluded.preferences_json, last_updated_at = excluded.last_updated_at");
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name).bind(4, c.email_address);
  q->bind(5, c.unsubscribe_all ? 1 : 0).bind(6, c.attributes_data);
  q->bind(7, preferences_to_json(c.topic_preferences));
  // A contact made without a creation time (an import record) was created when updated.
  q->bind(8, c.created_timestamp > 0 ? c.created_timestamp : c.last_updated_timestamp);
  q->bind(9, c.last_updated_timestamp);
  q->run();
}

bool ContactStore::erase(WriteTransaction& tx, const Partition& p, const std::string& list_name,
                         const std::string& email) {
  auto q = tx.query(
      "DELETE FROM contacts WHERE account = ?1 AND region = ?2 AND list_name = ?3 AND "
      "email_address = ?4");
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name).bind(4, email);
  q->run();
  return tx.changes() == 1;
}

bool ContactStore::apply_staged(WriteTransaction& tx, const Partition& p,
                                const std::string& list_name,
                                const std::vector<StagedContact>& records, bool deletes) {
  if (!exists(tx, p, list_name))
    return false;
  if (deletes) {
    for (const auto& r : records)
      erase(tx, p, list_name, r.email);
    return true;
  }
  // kRowsPerInsert rows per statement while whole groups remain, then one by one; the text
  // bound without copies (the records and names outlive each run). The merge writes a
  // million rows this way.
  auto bind_row = [](Statement& q, int row, const StagedContact& r) {
    q.bind_unowned(row_parameter(3, 5, row, 0), r.email);
    q.bind(row_parameter(3, 5, row, 1), r.unsubscribe_all ? 1 : 0);
    if (r.attributes_data)
      q.bind_unowned(row_parameter(3, 5, row, 2), *r.attributes_data);
    else
      q.bind_null(row_parameter(3, 5, row, 2));
    q.bind_unowned(row_parameter(3, 5, row, 3), r.preferences_json);
    q.bind(row_parameter(3, 5, row, 4), r.updated_at);
  };
  insert_rows(
      tx, staged_rows_sql(), kStagedSql, records,
      [&](Statement& q) {
        q.bind_unowned(1, p.account).bind_unowned(2, p.region).bind_unowned(3, list_name);
      },
      bind_row);
  return true;
}

std::string ContactStore::preferences_json(const std::vector<TopicPreference>& prefs) {
  return preferences_to_json(prefs);
}

ListCreateOutcome ContactStore::create_list(const Partition& p, const ContactList& list,
                                            std::int64_t max_lists) {
  WriteTransaction tx(db_);
  if (exists(tx, p, list.contact_list_name))
    return ListCreateOutcome::AlreadyExists;
  {
    auto count = tx.query("SELECT COUNT(*) FROM contact_lists WHERE account = ?1 AND region = ?2");
    count->bind(1, p.account).bind(2, p.region);
    if (count->step() && count->column_int64(0) >= max_lists)
      return ListCreateOutcome::LimitReached;
  }
  upsert_list(tx, p, list);
  tx.commit();
  return ListCreateOutcome::Created;
}

std::optional<ContactList> ContactStore::find_list(const Partition& p, const std::string& name) {
  ReadConnection r(db_);
  return find_list_in(r, p, name);
}

bool ContactStore::update_list(const Partition& p, const std::string& name,
                               const std::vector<Topic>& topics,
                               const std::optional<std::string>& description, double now) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "UPDATE contact_lists SET topics_json = ?4, description = ?5, last_updated_at = ?6 "
      "WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  q->bind(4, topics_to_json(topics)).bind(5, description).bind(6, now);
  q->run();
  bool updated = tx.changes() == 1;
  tx.commit();
  return updated;
}

bool ContactStore::erase_list(const Partition& p, const std::string& name) {
  WriteTransaction tx(db_);
  {
    auto q = tx.query("DELETE FROM contact_lists WHERE account = ?1 AND region = ?2 AND name = ?3");
    q->bind(1, p.account).bind(2, p.region).bind(3, name);
    q->run();
  }
  if (tx.changes() != 1)
    return false;
  auto q = tx.query("DELETE FROM contacts WHERE account = ?1 AND region = ?2 AND list_name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  q->run();
  tx.commit();
  return true;
}

std::vector<ContactList> ContactStore::lists(const Partition& p, const std::string& after_name,
                                             int limit) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " LIST_COLUMNS
                   " FROM contact_lists WHERE account = ?1 AND region = ?2 AND name > ?3 "
                   "ORDER BY name LIMIT ?4");
  q->bind(1, p.account).bind(2, p.region).bind(3, after_name).bind(4, limit);
  std::vector<ContactList> out;
  while (q->step())
    out.push_back(read_list(*q));
  return out;
}

ContactWriteOutcome ContactStore::create_contact(const Partition& p, const std::string& list_name,
                                                 Contact contact, const ContactCheck& check) {
  WriteTransaction tx(db_);
  auto list = find_list_in(tx, p, list_name);
  if (!list)
    return ContactWriteOutcome::ListMissing;
  if (check)
    check(*list, contact);
  if (find_contact_in(tx, p, list_name, contact.email_address)) {
    return ContactWriteOutcome::ContactExists;
  }
  put(tx, p, list_name, contact);
  tx.commit();
  return ContactWriteOutcome::Written;
}

ContactWriteOutcome ContactStore::update_contact(const Partition& p, const std::string& list_name,
                                                 const std::string& email,
                                                 const ContactCheck& change) {
  WriteTransaction tx(db_);
  auto list = find_list_in(tx, p, list_name);
  if (!list)
    return ContactWriteOutcome::ListMissing;
  auto contact = find_contact_in(tx, p, list_name, email);
  if (!contact)
    return ContactWriteOutcome::ContactMissing;
  if (change)
    change(*list, *contact);
  put(tx, p, list_name, *contact);
  tx.commit();
  return ContactWriteOutcome::Written;
}

std::optional<Contact> ContactStore::find_contact(const Partition& p, const std::string& list_name,
                                                  const std::string& email) {
  ReadConnection r(db_);
  return find_contact_in(r, p, list_name, email);
}

bool ContactStore::erase_contact(const Partition& p, const std::string& list_name,
                                 const std::string& email) {
  WriteTransaction tx(db_);
  bool erased = erase(tx, p, list_name, email);
  tx.commit();
  return erased;
}

std::vector<Contact> ContactStore::contacts(const Partition& p, const std::string& list_name,
                                            const std::string& after_email, int limit,
                                            const std::function<bool(const Contact&)>& keep) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " CONTACT_COLUMNS
                   " FROM contacts WHERE account = ?1 AND region = ?2 AND list_name = ?3 "
                   "AND email_address > ?4 ORDER BY email_address");
  q->bind(1, p.account).bind(2, p.region).bind(3, list_name).bind(4, after_email);
  std::vector<Contact> out;
  // The filter is applied here rather than in SQL so its semantics live in one C++
  // function (contact_filter.hpp); the scan stops as soon as the page is full.
  while (static_cast<int>(out.size()) < limit && q->step()) {
    Contact c = read_contact(*q);
    if (!keep || keep(c))
      out.push_back(std::move(c));
  }
  return out;
}

void ContactStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    for (const char* sql : {"DELETE FROM contacts WHERE account = ?1 AND region = ?2",
                            "DELETE FROM contact_lists WHERE account = ?1 AND region = ?2"}) {
      auto q = tx.query(sql);
      q->bind(1, p->account).bind(2, p->region);
      q->run();
    }
  } else {
    tx.exec("DELETE FROM contacts; DELETE FROM contact_lists");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
