#include "server/core/email_address.hpp"

#include <cctype>

namespace sesv2mock {
namespace {

constexpr std::size_t kMaxAddressLength = 320;
constexpr std::size_t kMaxLocalPartLength = 64;
constexpr std::size_t kMaxDomainLength = 255;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool valid_local_char(unsigned char c) {
  if (c >= 0x80)
    return true;  // internationalised local parts are allowed by SES
  if (std::isalnum(c))
    return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~.";
  return kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > kMaxDomainLength)
    return false;
  if (domain.find('.') == std::string_view::npos)
    return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      std::string_view label = domain.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
      }
      label_start = i + 1;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(domain[i]);
    if (!(std::isalnum(c) || c == '-' || c >= 0x80))
      return false;
  }
  return true;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::optional<std::string> normalize_email_address(std::string_view raw, std::string* why) {
  auto reject = [why](const char* reason) -> std::optional<std::string> {
    if (why)
      *why = reason;
    return std::nullopt;
  };
  std::string_view s = trim(raw);
  if (s.empty())
    return reject("The email address is empty.");
  if (s.size() > kMaxAddressLength)
    return reject("The email address is too long.");
  auto at = s.rfind('@');
  if (at == std::string_view::npos)
    return reject("The email address has no '@'.");
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalPartLength) {
    return reject("The local part of the email address is empty or too long.");
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return reject("The local part of the email address has a misplaced '.'.");
  }
  for (unsigned char c : local) {
    if (!valid_local_char(c))
      return reject("The local part of the email address has an invalid character.");
  }
  if (!valid_domain(domain))
    return reject("The domain of the email address is invalid.");
  std::string out(local);
  out.push_back('@');
  for (char c : domain)
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace sesv2mock
