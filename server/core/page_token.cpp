#include "server/core/page_token.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

namespace sesv2mock {
namespace {

constexpr std::size_t kMacBytes = 16;  // truncated HMAC-SHA256

std::string to_hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

std::string mac(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), kMacBytes);
}

// base64url without padding: tokens travel in query strings, where '+' would read as a
// space and '/' and '=' need escaping.
std::string base64url(const std::string& in) {
  std::vector<unsigned char> out(4 * ((in.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  std::string text(reinterpret_cast<const char*>(out.data()), n);
  while (!text.empty() && text.back() == '=')
    text.pop_back();
  for (char& c : text) {
    if (c == '+')
      c = '-';
    if (c == '/')
      c = '_';
  }
  return text;
}

std::optional<std::string> unbase64url(std::string in) {
  if (in.empty() || in.size() % 4 == 1)
    return std::nullopt;
  for (char& c : in) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok)
      return std::nullopt;
    if (c == '-')
      c = '+';
    if (c == '_')
      c = '/';
  }
  std::size_t padding = (4 - in.size() % 4) % 4;
  in.append(padding, '=');
  std::vector<unsigned char> out(in.size());
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0)
    return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out.data()), n - padding);
}

}  // namespace

void PageTokenCodec::set_key(std::string key) {
  std::lock_guard lock(mutex_);
  key_ = std::move(key);
}

std::string PageTokenCodec::key() const {
  std::lock_guard lock(mutex_);
  return key_;
}

// Every token starts with this letter: base64url may start with '-', and a command line
// ("aws ... --next-token -abc") would read such a token as an option.
constexpr char kTokenLead = 't';

std::string PageTokenCodec::encode(const std::string& scope, const std::string& position) const {
  return kTokenLead + base64url(mac(key(), scope + '\n' + position) + position);
}

std::optional<std::string> PageTokenCodec::decode(const std::string& scope,
                                                  const std::string& token) const {
  if (token.empty() || token.front() != kTokenLead)
    return std::nullopt;
  auto raw = unbase64url(token.substr(1));
  if (!raw || raw->size() < kMacBytes)
    return std::nullopt;
  std::string position = raw->substr(kMacBytes);
  if (raw->compare(0, kMacBytes, mac(key(), scope + '\n' + position)) != 0)
    return std::nullopt;
  return position;
}

std::string random_token_key() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

}  // namespace sesv2mock
