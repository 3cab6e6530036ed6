#pragma once
// Values the send path reads for every message (identity verification, account settings,
// configuration sets), kept while the database has not changed since they were read: an
// entry read at generation g (Database::generation()) is used only while the
// generation is still g, so any write transaction empties the cache and none can make it
// answer a stale value. Group commits of sent messages keep the generation. Thread-safe; a
// bounded map (emptied when full), keyed by partition and name.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/core/model.hpp"
#include "storage/database.hpp"

namespace sesv2mock::storage {

template <typename V>
class ReadCache {
 public:
  static constexpr std::size_t kMaxEntries = 4096;

  // The cached value of `key` in `p`, else load() (then cached). Without a database
  // (`db` null) always load().
  template <typename Load>
  V get(const Database* db, const Partition& p, std::string_view key, Load load) {
    if (db == nullptr)
      return load();
    const std::uint64_t g = db->generation();  // before the read: see Database::generation
    std::string k;
    k.reserve(p.account.size() + p.region.size() + key.size() + 2);
    k.append(p.account).push_back('\0');
    k.append(p.region).push_back('\0');
    k.append(key);
    {
      std::lock_guard lock(mutex_);
      if (g > generation_) {
        entries_.clear();
        generation_ = g;
      } else if (g == generation_) {
        if (auto it = entries_.find(k); it != entries_.end())
          return it->second;
      }
    }
    V value = load();
    std::lock_guard lock(mutex_);
    if (g == generation_) {
      if (entries_.size() >= kMaxEntries)
        entries_.clear();
      entries_.insert_or_assign(std::move(k), value);
    }
    return value;
  }

 private:
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, V> entries_;
};

}  // namespace sesv2mock::storage
