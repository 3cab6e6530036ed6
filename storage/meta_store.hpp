#pragma once
// Small named values the server keeps across restarts (e.g. the page-token key).
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace sesv2mock::storage {

class MetaStore {
 public:
  explicit MetaStore(Database& db) : db_(db) {}
  std::optional<std::string> get(const std::string& key);
  void set(const std::string& key, const std::string& value);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
