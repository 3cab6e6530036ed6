#pragma once
// Configuration sets in SQLite.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/sending_model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

class ConfigurationSetStore {
 public:
  explicit ConfigurationSetStore(Database& db) : db_(db) {}

  // False (and nothing written) when a set of that name exists.
  bool insert(const Partition& p, const ConfigurationSet& set);
  std::optional<ConfigurationSet> find(const Partition& p, std::string_view name);
  bool exists(const Partition& p, std::string_view name);
  bool erase(const Partition& p, std::string_view name);
  // False when there is no such set.
  bool set_suppressed_reasons(const Partition& p, std::string_view name,
                              const std::optional<std::vector<SuppressionReason>>& reasons);
  bool set_sending_enabled(const Partition& p, std::string_view name, bool enabled);
  // Ordered by name, starting after `after_name` ("" = from the start).
  std::vector<ConfigurationSet> list(const Partition& p, const std::string& after_name, int limit);
  void erase_all(const Partition* p);

  // Inside a caller's transaction (fixtures): inserts or replaces.
  static void put(WriteTransaction& tx, const Partition& p, const ConfigurationSet& set);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
