#pragma once
// Email identities (addresses and domains) in SQLite, keyed by identity_key(): a domain
// compares case-insensitively, an address's local part as written.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/sending_model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

class IdentityStore {
 public:
  explicit IdentityStore(Database& db) : db_(db) {}

  // False (and nothing written) when an identity with the same key exists.
  bool insert(const Partition& p, const EmailIdentity& identity);
  std::optional<EmailIdentity> find(const Partition& p, std::string_view identity_name);
  bool erase(const Partition& p, std::string_view identity_name);
  // False when there is no such identity.
  bool set_status(const Partition& p, std::string_view identity_name, VerificationStatus status);
  // Ordered by key, starting after `after_key` ("" = from the start).
  std::vector<EmailIdentity> list(const Partition& p, const std::string& after_key, int limit);
  // True when an identity with this exact key has status Success.
  bool is_verified_key(const Partition& p, std::string_view key);
  void erase_all(const Partition* p);

  // Inside a caller's transaction (fixtures): inserts or replaces.
  static void put(WriteTransaction& tx, const Partition& p, const EmailIdentity& identity);

 private:
  Database& db_;
};

}  // namespace sesv2mock::storage
