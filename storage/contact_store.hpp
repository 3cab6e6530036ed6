#pragma once
// Contact lists and their contacts in SQLite. Public methods take the Database lock;
// the *_locked statics are for callers already inside a transaction.
#include <optional>
#include <string>
#include <vector>

#include "server/service/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

class ContactStore {
 public:
  explicit ContactStore(Database& db) : db_(db) {}

  bool exists(const Partition& p, const std::string& list_name);
  void erase_all(const Partition* p);

  static bool exists_locked(Database& db, const Partition& p, const std::string& list_name);
  // PUT semantics of an import: the record replaces the whole contact.
  static void put_locked(Database& db, const Partition& p, const std::string& list_name,
                         const Contact& c);
  static void erase_locked(Database& db, const Partition& p, const std::string& list_name,
                           const std::string& email);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
