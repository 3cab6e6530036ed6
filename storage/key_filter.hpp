#pragma once
// A Bloom filter over text keys: "certainly absent" or "maybe present", lock-free. A store
// adds every key it writes (before the write commits) and, once it has also added every key
// already in its table (mark_complete), may skip the database for a key the filter says is
// absent. Removing a key leaves its bits (a false positive only costs the lookup it saves
// otherwise), so the answer "absent" is never wrong. The bits are allocated by the first add.
//
// Sizing: 2^24 bits (2 MiB), 4 probes: about 0.2 % false positives at one million keys,
// 14 % at four million; more keys only mean more lookups. The 4 probes of a key fall in one
// 64-byte block (a blocked Bloom filter: 0.23 % instead of 0.20 % at one million keys), so
// a key costs one cache miss, not four: adds were ~9 % of a suppression import's CPU.
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

  static constexpr int kBlockBitsLog2 = 9;  // 512 bits: one cache line

  static std::array<std::uint64_t, kProbes> probes(std::string_view key) {
    // The low bits of the hash pick the block; 9 bits each of a second, mixed hash pick the
    // probes inside it.
    const std::uint64_t h1 = std::hash<std::string_view>{}(key);
    const std::uint64_t h2 = (h1 >> 32 | h1 << 32) * 0x9e3779b97f4a7c15ULL;
    const std::uint64_t block = (h1 & ((std::uint64_t{1} << (kBitsLog2 - kBlockBitsLog2)) - 1))
                                << kBlockBitsLog2;
    std::array<std::uint64_t, kProbes> out{};
    for (int i = 0; i < kProbes; ++i)
      out[i] = block | ((h2 >> (64 - kBlockBitsLog2 * (i + 1))) & ((1u << kBlockBitsLog2) - 1));
    return out;
  }

  Word* bits() {
    Word* words = words_.load(std::memory_order_acquire);
    if (words)
      return words;
    std::lock_guard lock(alloc_mutex_);
    if (!storage_) {
      storage_ = std::make_unique<Block[]>(kWords / 8);  // value-initialised: all clear
      words_.store(storage_[0].words, std::memory_order_release);
    }
    return words_.load(std::memory_order_relaxed);
  }

  struct alignas(64) Block {  // aligned, so a block is one cache line
    Word words[8];
  };
  std::mutex alloc_mutex_;
  std::unique_ptr<Block[]> storage_;
  std::atomic<Word*> words_{nullptr};
  std::atomic<bool> complete_{false};
};

}  // namespace sesv2mock::storage
