#include "server/http/request_id.hpp"

#include <cstdint>
#include <random>

namespace sesv2mock::http {

namespace {

// xoshiro256** (Blackman and Vigna): fast, 256 bits of state, good statistical quality.
// Ids need to be unique, not secret.
class IdGenerator {
 public:
  IdGenerator() {
    std::random_device device;
    for (auto& word : state_) {
      word = (static_cast<std::uint64_t>(device()) << 32) | device();
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

constexpr char kHex[] = "0123456789abcdef";
constexpr std::uint64_t kVersionMask = 0xffffffffffff0fffULL;  // clears the version nibble
constexpr std::uint64_t kVersion4 = 0x0000000000004000ULL;
constexpr std::uint64_t kVariantMask = 0x3fffffffffffffffULL;  // clears the two variant bits
constexpr std::uint64_t kVariantRfc4122 = 0x8000000000000000ULL;

}  // namespace

std::string next_request_id() {
  thread_local IdGenerator generator;
  const std::uint64_t high = (generator.next() & kVersionMask) | kVersion4;
  const std::uint64_t low = (generator.next() & kVariantMask) | kVariantRfc4122;
  // 8-4-4-4-12 hex digits.
  std::string out(36, '-');
  std::size_t pos = 0;
  auto put = [&](std::uint64_t word, int from_nibble, int count) {
    for (int i = 0; i < count; ++i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23)
        ++pos;
      out[pos++] = kHex[(word >> (4 * (15 - from_nibble - i))) & 0xf];
    }
  };
  put(high, 0, 16);
  put(low, 0, 16);
  return out;
}

}  // namespace sesv2mock::http
