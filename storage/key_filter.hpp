#pragma once
// A Bloom filter over text keys: "certainly absent" or "maybe present", lock-free. A store
// adds every key it writes (before the write commits) and, once it has also added every key
// already in its table (mark_complete), may skip the database for a key the filter says is
// absent. Removing a key leaves its bits (a false positive only costs the lookup it saves
// otherwise), so the answer "absent" is never wrong. The bits are allocated by the first add.
//
// Sizing: 2^24 bits (2 MiB), 4 probes: about 0.2 % false positives at one million keys,
// 14 % at four million; more keys only mean more lookups.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

namespace sesv2mock::storage {

class KeyFilter {
 public:
  static constexpr int kBitsLog2 = 24;
  static constexpr int kProbes = 4;

  void add(std::string_view key) {
    auto* words = bits();
    for (std::uint64_t bit : probes(key))
      words[bit >> 6].fetch_or(std::uint64_t{1} << (bit & 63), std::memory_order_relaxed);
  }

  // False: the key was never added. True: it may have been (or the filter is not complete).
  bool may_contain(std::string_view key) const {
    if (!complete_.load(std::memory_order_acquire))
      return true;
    const auto* words = words_.load(std::memory_order_acquire);
    for (std::uint64_t bit : probes(key))
      if ((words[bit >> 6].load(std::memory_order_relaxed) & (std::uint64_t{1} << (bit & 63))) == 0)
        return false;
    return true;
  }

  bool complete() const { return complete_.load(std::memory_order_acquire); }
  // Every key of the table has been added (adds made since keep coming in through add()).
  void mark_complete() {
    bits();  // an empty table still needs the (all clear) bits
    complete_.store(true, std::memory_order_release);
  }

 private:
  using Word = std::atomic<std::uint64_t>;
  static constexpr std::size_t kWords = (std::size_t{1} << kBitsLog2) / 64;

  static std::array<std::uint64_t, kProbes> probes(std::string_view key) {
    // Double hashing (Kirsch and Mitzenmacher): probe i = h1 + i * h2.
    const std::uint64_t h1 = std::hash<std::string_view>{}(key);
    const std::uint64_t h2 = (h1 >> 32 | h1 << 32) * 0x9e3779b97f4a7c15ULL | 1;
    std::array<std::uint64_t, kProbes> out{};
    for (int i = 0; i < kProbes; ++i)
      out[i] = (h1 + static_cast<std::uint64_t>(i) * h2) & ((std::uint64_t{1} << kBitsLog2) - 1);
    return out;
  }

  Word* bits() {
    Word* words = words_.load(std::memory_order_acquire);
    if (words)
      return words;
    std::lock_guard lock(alloc_mutex_);
    if (!storage_) {
      storage_ = std::make_unique<Word[]>(kWords);  // value-initialised: all clear
      words_.store(storage_.get(), std::memory_order_release);
    }
    return storage_.get();
  }

  std::mutex alloc_mutex_;
  std::unique_ptr<Word[]> storage_;
  std::atomic<Word*> words_{nullptr};
  std::atomic<bool> complete_{false};
};

}  // namespace sesv2mock::storage
