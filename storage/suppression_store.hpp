#pragma once
// The account-level suppression list in SQLite. Public methods take the Database lock.
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

struct SuppressionQuery {
  std::vector<SuppressionReason> reasons;  // empty: any
  std::optional<double> start_date;        // inclusive, on last_update_time
  std::optional<double> end_date;          // inclusive
  std::string after_email;                 // continue after this address ("" = start)
  int limit = 1000;
};

class SuppressionStore {
 public:
  explicit SuppressionStore(Database& db) : db_(db) {}

  void put(const Partition& p, const SuppressedDestination& d);
  std::optional<SuppressedDestination> find(const Partition& p, const std::string& email);
  bool erase(const Partition& p, const std::string& email);
  // Ordered by address.
  std::vector<SuppressedDestination> list(const Partition& p, const SuppressionQuery& q);
  void erase_all(const Partition* p);

  // Callers that hold the lock inside a transaction (batch writer, fixtures).
  static void put_locked(Database& db, const Partition& p, const SuppressedDestination& d);
  static void erase_locked(Database& db, const Partition& p, const std::string& email);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
