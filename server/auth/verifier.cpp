#include "server/auth/verifier.hpp"

#include <openssl/crypto.h>

#include <cctype>
#include <ctime>
#include <optional>

#include "server/auth/sigv4.hpp"

namespace sesv2mock::auth {

namespace {

constexpr std::string_view kAmzDateFormatExample = "20150830T123600Z";
constexpr std::size_t kScopeParts = 5;  // KEY/DATE/REGION/SERVICE/aws4_request
constexpr std::string_view kScopeTerminator = "aws4_request";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto pos = s.find(sep);
    out.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos)
      return out;
    s.remove_prefix(pos + 1);
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// %XX decoded; a '%' not followed by two hex digits stays as it is. '+' stays '+'.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

struct AuthorizationParts {
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view s) {
  if (s.size() != kAmzDateFormatExample.size() || s[8] != 'T' || s[15] != 'Z')
    return {};
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != 8 && i != 15 && !std::isdigit(static_cast<unsigned char>(s[i])))
      return {};
  }
  auto num = [&](std::size_t pos, std::size_t len) {
    return std::stoi(std::string(s.substr(pos, len)));
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(4, 2) - 1;
  tm.tm_mday = num(6, 2);
  tm.tm_hour = num(9, 2);
  tm.tm_min = num(11, 2);
  tm.tm_sec = num(13, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return {};
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

const std::string* header(const std::vector<std::pair<std::string, std::string>>& headers,
                          std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name))
      return &v;
  }
  return nullptr;
}

Verdict refuse(std::string_view code, std::string message) {
  return Verdict{nullptr, std::string(code), std::move(message)};
}

}  // namespace

std::string canonical_service_uri(std::string_view encoded_path) {
  std::vector<std::string> segments;
  const bool trailing_slash = encoded_path.size() > 1 && encoded_path.back() == '/';
  for (auto segment : split(encoded_path, '/')) {
    if (segment.empty() || segment == ".")
      continue;
    if (segment == "..") {
      if (!segments.empty())
        segments.pop_back();
      continue;
    }
    segments.emplace_back(segment);
  }
  if (trailing_slash && !segments.empty())
    segments.emplace_back();
  return sigv4::canonical_uri(segments);
}

std::string canonical_received_query(std::string_view encoded_query) {
  std::vector<std::pair<std::string, std::string>> params;
  if (encoded_query.empty())
    return {};
  for (auto pair : split(encoded_query, '&')) {
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    params.emplace_back(std::move(name), std::move(value));
  }
  return sigv4::canonical_query(std::move(params));
}

Verifier::Verifier(CredentialTable credentials, std::vector<std::string> services)
    : credentials_(std::move(credentials)), services_(std::move(services)) {}

Verdict Verifier::verify(const SignedHttpRequest& request,
                         std::chrono::system_clock::time_point now) const {
  const std::string* authorization = header(request.headers, "authorization");
  if (authorization == nullptr || trim(*authorization).empty()) {
    return refuse(kMissingToken, "Missing Authentication Token");
  }
  // "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
  std::string_view value = trim(*authorization);
  AuthorizationParts parts;
  const bool sigv4_header = value.substr(0, sigv4::kAlgorithm.size()) == sigv4::kAlgorithm &&
                            value.size() > sigv4::kAlgorithm.size() &&
                            value[sigv4::kAlgorithm.size()] == ' ';
  if (sigv4_header) {
    for (auto item : split(value.substr(sigv4::kAlgorithm.size() + 1), ',')) {
      item = trim(item);
      auto eq = item.find('=');
      if (eq == std::string_view::npos)
        continue;
      auto name = item.substr(0, eq);
      auto v = item.substr(eq + 1);
      if (name == "Credential")
        parts.credential = v;
      if (name == "SignedHeaders")
        parts.signed_headers = v;
      if (name == "Signature")
        parts.signature = v;
    }
  }
  const std::string* amz_date = header(request.headers, "x-amz-date");
  std::string missing;
  if (parts.credential.empty())
    missing += "Authorization header requires 'Credential' parameter. ";
  if (parts.signature.empty())
    missing += "Authorization header requires 'Signature' parameter. ";
  if (parts.signed_headers.empty()) {
    missing += "Authorization header requires 'SignedHeaders' parameter. ";
  }
  if (amz_date == nullptr) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
        "header. ";
  }
  if (!missing.empty()) {
    return refuse(kIncompleteSignature, missing + "Authorization=" + std::string(value));
  }

  const auto scope = split(parts.credential, '/');
  if (scope.size() != kScopeParts || scope[4] != kScopeTerminator || scope[1].size() != 8 ||
      scope[2].empty()) {
    return refuse(kIncompleteSignature,
                  "Credential should be scoped to a valid region, service and date: '" +
                      std::string(parts.credential) + "'.");
  }
  const Credential* credential = credentials_.find(scope[0]);
  if (credential == nullptr)
    return refuse(kUnrecognizedClient, std::string(kUnknownKeyMessage));

  const auto signed_at = parse_amz_date(*amz_date);
  if (!signed_at) {
    return refuse(kIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" +
                                            *amz_date +
                                            "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (scope[1] != std::string_view(*amz_date).substr(0, 8)) {
    return refuse(kInvalidSignature,
                  "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                  "from HTTP: '" +
                      std::string(scope[1]) + "' != '" + amz_date->substr(0, 8) + "', from '" +
                      *amz_date + "'.");
  }
  bool service_ok = false;
  for (const auto& s : services_)
    service_ok = service_ok || scope[3] == s;
  if (!service_ok) {
    return refuse(kInvalidSignature,
                  "Credential should be scoped to correct service: '" + services_.front() + "'. ");
  }
  if (*signed_at < now - kMaxClockSkew) {
    return refuse(kInvalidSignature, "Signature expired: " + *amz_date + " is now earlier than " +
                                         sigv4::amz_date(now - kMaxClockSkew) + " (" +
                                         sigv4::amz_date(now) + " - 15 min.)");
  }
  if (*signed_at > now + kMaxClockSkew) {
    return refuse(kInvalidSignature, "Signature not yet current: " + *amz_date +
                                         " is still later than " +
                                         sigv4::amz_date(now + kMaxClockSkew) + " (" +
                                         sigv4::amz_date(now) + " + 15 min.)");
  }

  // Host must be signed, as AWS requires.
  const auto names = split(parts.signed_headers, ';');
  bool host_signed = false;
  for (auto n : names)
    host_signed = host_signed || n == "host";
  if (!host_signed) {
    return refuse(kIncompleteSignature,
                  "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const std::string body_hash = sigv4::sha256_hex(request.body);
  if (const std::string* claimed = header(request.headers, "x-amz-content-sha256")) {
    if (*claimed != body_hash)
      return refuse(kInvalidSignature, std::string(kBadSignatureMessage));
  }

  sigv4::RequestToSign to_check;
  to_check.method = std::string(request.method);
  const auto question = request.target.find('?');
  to_check.uri = canonical_service_uri(request.target.substr(0, question));
  to_check.query = question == std::string_view::npos
                       ? std::string()
                       : canonical_received_query(request.target.substr(question + 1));
  to_check.payload_hash = body_hash;
  for (auto name : names) {
    bool found = false;
    for (const auto& [n, v] : request.headers) {
      if (iequals(n, name)) {
        to_check.headers.push_back({std::string(name), v});
        found = true;
      }
    }
    if (!found)
      to_check.headers.push_back({std::string(name), ""});
  }
  // Names listed twice or out of order would not be what the client signed: compare.
  if (sigv4::signed_header_names(to_check.headers) != parts.signed_headers) {
    return refuse(kInvalidSignature, std::string(kBadSignatureMessage));
  }

  sigv4::Credentials creds{credential->access_key, credential->secret_key, std::string(scope[2]),
                           std::string(scope[3])};
  const std::string string_scope = sigv4::credential_scope(scope[1], creds);
  const std::string expected = sigv4::signature(
      creds, scope[1],
      sigv4::string_to_sign(*amz_date, string_scope, sigv4::canonical_request(to_check)));
  if (expected.size() != parts.signature.size() ||
      CRYPTO_memcmp(expected.data(), parts.signature.data(), expected.size()) != 0) {
    return refuse(kInvalidSignature, std::string(kBadSignatureMessage));
  }
  return Verdict{credential, {}, {}};
}

}  // namespace sesv2mock::auth
