#pragma once
// Email templates (CreateEmailTemplate and friends) in SQLite, per account and region.
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "server/core/stored_template.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

using ::sesv2mock::StoredTemplate;  // server/core/stored_template.hpp

class TemplateStore {
 public:
  explicit TemplateStore(Database& db) : db_(db) {}

  // False when a template of that name exists already.
  bool create(const Partition& p, const StoredTemplate& t);
  std::optional<StoredTemplate> find(const Partition& p, const std::string& name);
  // Replaces the content (tags and creation time stay); false when missing.
  bool update(const Partition& p, const StoredTemplate& t);
  bool erase(const Partition& p, const std::string& name);
  // Ordered by name after `after_name` ("" = from the start).
  std::vector<StoredTemplate> list(const Partition& p, const std::string& after_name, int limit);
  void erase_all(const Partition* p);

  // Inside a caller's transaction (fixtures): insert or replace.
  static void upsert(WriteTransaction& tx, const Partition& p, const StoredTemplate& t);

 private:
  Database& db_;
};

std::string tags_json_text(const std::vector<Tag>& tags);
std::vector<Tag> tags_from_json_text(const std::string& text);

}  // namespace sesv2mock::storage
