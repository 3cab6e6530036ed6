#include "server/auth/credentials.hpp"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <stdexcept>

#include "server/auth/sigv4.hpp"

namespace sesv2mock::auth {

namespace {

constexpr std::size_t kAccountDigits = 12;
constexpr std::uint64_t kAccountModulus = 1'000'000'000'000ULL;  // 10^12

bool is_account_id(std::string_view s) {
  if (s.size() != kAccountDigits)
    return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string derived_account(std::string_view access_key) {
  // The first 8 bytes of SHA-256(key), reduced to 12 decimal digits.
  const std::string hex = sigv4::sha256_hex(access_key);
  const std::uint64_t n = std::stoull(hex.substr(0, 16), nullptr, 16) % kAccountModulus;
  std::string digits = std::to_string(n);
  return std::string(kAccountDigits - digits.size(), '0') + digits;
}

Credential parse_credential(std::string_view text) {
  const std::string line = trimmed(text);
  const auto first = line.find(':');
  if (first == std::string::npos) {
    throw std::invalid_argument("A credential must look like KEY:SECRET[:ACCOUNT].");
  }
  const auto second = line.find(':', first + 1);
  Credential c;
  c.access_key = line.substr(0, first);
  c.secret_key =
      line.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  if (second != std::string::npos)
    c.account = line.substr(second + 1);
  if (c.access_key.empty() || c.secret_key.empty()) {
    throw std::invalid_argument("A credential must look like KEY:SECRET[:ACCOUNT].");
  }
  if (second == std::string::npos) {
    c.account = derived_account(c.access_key);
  } else if (!is_account_id(c.account)) {
    throw std::invalid_argument("The account of credential " + c.access_key +
                                " must be 12 digits.");
  }
  return c;
}

std::vector<Credential> read_credentials_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::invalid_argument("The credentials file " + path + " cannot be read.");
  std::vector<Credential> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string content = trimmed(line);
    if (content.empty() || content.front() == '#')
      continue;
    try {
      out.push_back(parse_credential(content));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(path + " line " + std::to_string(number) + ": " + e.what());
    }
  }
  return out;
}

void CredentialTable::add(Credential credential) {
  by_key_.insert_or_assign(credential.access_key, std::move(credential));
}

const Credential* CredentialTable::find(std::string_view access_key) const {
  auto it = by_key_.find(access_key);
  return it == by_key_.end() ? nullptr : &it->second;
}

CredentialTable load_credentials(const std::vector<std::string>& entries, const std::string& file) {
  CredentialTable table;
  if (!file.empty()) {
    for (auto& c : read_credentials_file(file))
      table.add(std::move(c));
  }
  for (const auto& e : entries)
    table.add(parse_credential(e));
  if (table.size() == 0) {
    throw std::invalid_argument(
        "--auth strict needs at least one --credential KEY:SECRET[:ACCOUNT] or a "
        "--credentials-file.");
  }
  return table;
}

}  // namespace sesv2mock::auth
