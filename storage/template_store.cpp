#include "storage/template_store.hpp"

#include <boost/json.hpp>

namespace sesv2mock::storage {

namespace json = boost::json;

std::string tags_json_text(const std::vector<Tag>& tags) {
  json::array a;
  for (const auto& t : tags)
    a.push_back(json::array{json::string(t.key), json::string(t.value)});
  return json::serialize(a);
}

std::vector<Tag> tags_from_json_text(const std::string& text) {
  std::vector<Tag> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array())
    return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_array() || e.as_array().size() != 2)
      continue;
    const auto& pair = e.as_array();
    if (!pair[0].is_string() || !pair[1].is_string())
      continue;
    out.push_back({std::string(pair[0].as_string()), std::string(pair[1].as_string())});
  }
  return out;
}

namespace {

#define TEMPLATE_COLUMNS "name, subject, text_part, html_part, tags_json, created_at"

StoredTemplate read_template(const Statement& s) {
  StoredTemplate t;
  t.name = s.column_text(0);
  t.subject = s.column_optional_text(1);
  t.text = s.column_optional_text(2);
  t.html = s.column_optional_text(3);
  t.tags = tags_from_json_text(s.column_text(4));
  t.created_timestamp = s.column_double(5);
  return t;
}

}  // namespace

bool TemplateStore::create(const Partition& p, const StoredTemplate& t) {
  WriteTransaction tx(db_);
  auto q = tx.query("INSERT INTO email_templates (account, region, " TEMPLATE_COLUMNS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING");
  q->bind(1, p.account).bind(2, p.region).bind(3, t.name).bind(4, t.subject);
  q->bind(5, t.text).bind(6, t.html).bind(7, tags_json_text(t.tags)).bind(8, t.created_timestamp);
  q->run();
  bool created = tx.changes() == 1;
  tx.commit();
  return created;
}

void TemplateStore::upsert(WriteTransaction& tx, const Partition& p, const StoredTemplate& t) {
  auto q = tx.query("INSERT OR REPLACE INTO email_templates (account, region, " TEMPLATE_COLUMNS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  q->bind(1, p.account).bind(2, p.region).bind(3, t.name).bind(4, t.subject);
  q->bind(5, t.text).bind(6, t.html).bind(7, tags_json_text(t.tags)).bind(8, t.created_timestamp);
  q->run();
}

std::optional<StoredTemplate> TemplateStore::find(const Partition& p, const std::string& name) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " TEMPLATE_COLUMNS
                   " FROM email_templates WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  if (!q->step())
    return std::nullopt;
  return read_template(*q);
}

bool TemplateStore::update(const Partition& p, const StoredTemplate& t) {
  WriteTransaction tx(db_);
  auto q = tx.query(
      "UPDATE email_templates SET subject = ?4, text_part = ?5, html_part = ?6 "
      "WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, t.name).bind(4, t.subject);
  q->bind(5, t.text).bind(6, t.html);
  q->run();
  bool updated = tx.changes() == 1;
  tx.commit();
  return updated;
}

bool TemplateStore::erase(const Partition& p, const std::string& name) {
  WriteTransaction tx(db_);
  auto q = tx.query("DELETE FROM email_templates WHERE account = ?1 AND region = ?2 AND name = ?3");
  q->bind(1, p.account).bind(2, p.region).bind(3, name);
  q->run();
  bool erased = tx.changes() == 1;
  tx.commit();
  return erased;
}

std::vector<StoredTemplate> TemplateStore::list(const Partition& p, const std::string& after_name,
                                                int limit) {
  ReadConnection r(db_);
  auto q = r.query("SELECT " TEMPLATE_COLUMNS
                   " FROM email_templates WHERE account = ?1 AND region = ?2 AND name > ?3 "
                   "ORDER BY name LIMIT ?4");
  q->bind(1, p.account).bind(2, p.region).bind(3, after_name).bind(4, limit);
  std::vector<StoredTemplate> out;
  while (q->step())
    out.push_back(read_template(*q));
  return out;
}

void TemplateStore::erase_all(const Partition* p) {
  WriteTransaction tx(db_);
  if (p) {
    auto q = tx.query("DELETE FROM email_templates WHERE account = ?1 AND region = ?2");
    q->bind(1, p->account).bind(2, p->region);
    q->run();
  } else {
    tx.exec("DELETE FROM email_templates");
  }
  tx.commit();
}

}  // namespace sesv2mock::storage
