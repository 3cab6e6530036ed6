#pragma once
// The access keys strict mode accepts, from --credential, --credentials-file and their
// environment twins. Each key maps to a secret and to the AWS account its requests act in.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sesv2mock::auth {

struct Credential {
  std::string access_key;
  std::string secret_key;
  std::string account;  // 12 digits
};

// The 12-digit account of a key given without one: a hash of the key, so the same key lands
// in the same account on every start (and in every copy of the server).
std::string derived_account(std::string_view access_key);

// Parses "KEY:SECRET[:ACCOUNT]". Throws std::invalid_argument with one sentence when a part
// is empty or the account is not 12 digits. The secret may not hold ':' (AWS secrets never do).
Credential parse_credential(std::string_view text);

// One "KEY:SECRET[:ACCOUNT]" per line; blank lines and lines starting with '#' are skipped.
// Throws std::invalid_argument naming the file and line on a bad line or an unreadable file.
std::vector<Credential> read_credentials_file(const std::string& path);

class CredentialTable {
 public:
  // A key given twice keeps its last secret (a file then a flag: the flag wins).
  void add(Credential credential);
  const Credential* find(std::string_view access_key) const;
  std::size_t size() const { return by_key_.size(); }

 private:
  std::map<std::string, Credential, std::less<>> by_key_;
};

// The table of --credential values (then the file's lines, when `file` is not empty).
// Throws std::invalid_argument on a bad entry, or when no key is given at all.
CredentialTable load_credentials(const std::vector<std::string>& entries, const std::string& file);

}  // namespace sesv2mock::auth
