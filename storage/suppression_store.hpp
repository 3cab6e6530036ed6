#pragma once
// The account-level suppression list in SQLite. Methods without a WriteTransaction open
// their own; reads use a pooled read connection.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/core/model.hpp"
#include "storage/database.hpp"
#include "storage/read_cache.hpp"

namespace sesv2mock::storage {

struct SuppressionQuery {
  std::vector<SuppressionReason> reasons;  // empty: any
  std::optional<double> start_date;        // inclusive, on last_update_time
  std::optional<double> end_date;          // inclusive
  std::string contains;                    // substring of the address, any case ("" = any)
  std::string after_email;                 // continue after this address ("" = start)
  int limit = 1000;
};

// The writes of one import batch, applied in the order given (puts, then deletes).
struct SuppressionBatch {
  std::vector<SuppressedDestination> puts;
  std::vector<std::string> deletes;
  // The puts' addresses are already in the database's filter (add_to_filter): an import
  // adds them on the thread that reads the next batch, not on the one that writes.
  bool filter_added = false;
  bool empty() const { return puts.empty() && deletes.empty(); }
  void clear() {
    puts.clear();
    deletes.clear();
    filter_added = false;
  }
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

  // Inside a caller's transaction (import batches, fixtures).
  static void put(WriteTransaction& tx, const Partition& p, const SuppressedDestination& d);
  static bool erase(WriteTransaction& tx, const Partition& p, const std::string& email);
  static void apply(WriteTransaction& tx, const Partition& p, const SuppressionBatch& batch);
  // Adds the addresses to `db`'s filter, as every write of them must before it commits
  // (apply() does it itself unless the batch says it was done).
  static void add_to_filter(Database& db, const Partition& p,
                            const std::vector<SuppressedDestination>& puts);

 private:
  std::optional<SuppressedDestination> load(const Partition& p, const std::string& email);
  void fill_filter();

  Database& db_;
  ReadCache<std::optional<SuppressedDestination>> find_cache_;
  std::mutex fill_mutex_;
};

}  // namespace sesv2mock::storage
