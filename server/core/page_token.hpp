#pragma once
// Opaque NextToken values. A token carries the listing it belongs to (operation, partition,
// filter) and where to continue, signed with a key kept in the database, so a forged,
// altered or foreign token is refused and tokens survive a restart. A reset changes the
// key, which makes older tokens stale.
#include <mutex>
#include <optional>
#include <string>

namespace sesv2mock {

class PageTokenCodec {
 public:
  explicit PageTokenCodec(std::string key) : key_(std::move(key)) {}

  // `scope` names the listing (e.g. "ListImportJobs|acct|region|filter").
  std::string encode(const std::string& scope, const std::string& position) const;
  // The position, or nullopt for anything this server did not hand out for `scope`.
  std::optional<std::string> decode(const std::string& scope, const std::string& token) const;

  void set_key(std::string key);

 private:
  std::string key() const;

  mutable std::mutex mutex_;  // set_key (reset) may race with listings
  std::string key_;
};

// A fresh random key (hex).
std::string random_token_key();

}  // namespace sesv2mock
