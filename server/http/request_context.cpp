#include <cctype>

#include "server/http/router.hpp"

namespace sesv2mock::http {

namespace {
constexpr std::size_t kAccountIdDigits = 12;
}

Partition partition_from_authorization(std::string_view authorization) {
  Partition p;
  auto pos = authorization.find("Credential=");
  if (pos == std::string_view::npos)
    return p;
  std::string_view rest = authorization.substr(pos + 11);
  rest = rest.substr(0, rest.find_first_of(", "));
  // AKID/DATE/REGION/SERVICE/aws4_request
  std::vector<std::string_view> parts;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos)
      break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.empty())
    return p;
  std::string_view key = parts[0];
  bool all_digits = key.size() == kAccountIdDigits;
  for (char c : key)
    all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits)
    p.account = std::string(key);
  if (parts.size() >= 3 && !parts[2].empty())
    p.region = std::string(parts[2]);
  return p;
}

}  // namespace sesv2mock::http
