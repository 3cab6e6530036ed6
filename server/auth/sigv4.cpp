#include "server/auth/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <stdexcept>

namespace sesv2mock::sigv4 {
namespace {

constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kUpperHexDigits = "0123456789ABCDEF";

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Header values are trimmed and inner runs of spaces collapsed to one, as SigV4 requires.
std::string canonical_header_value(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space)
      out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Lower-cased name -> value(s), sorted by name; repeated names join their values with ','.
std::map<std::string, std::string> canonical_headers(const std::vector<Header>& headers) {
  std::map<std::string, std::string> out;
  for (const auto& h : headers) {
    auto [it, inserted] = out.try_emplace(lower(h.name), canonical_header_value(h.value));
    if (!inserted)
      it->second += "," + canonical_header_value(h.value);
  }
  return out;
}

std::string date_part(std::string_view amz_date) {
  return std::string(amz_date.substr(0, 8));
}

std::string authorization_value(const Credentials& creds, std::string_view scope,
                                std::string_view signed_headers, std::string_view signature) {
  std::string out(kAlgorithm);
  out += " Credential=" + creds.access_key + "/" + std::string(scope);
  out += ", SignedHeaders=" + std::string(signed_headers);
  out += ", Signature=" + std::string(signature);
  return out;
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHexDigits[c >> 4];
    out += kHexDigits[c & 0x0f];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed in libcrypto.");
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), len));
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr ||
      EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed in libcrypto.");
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) != 1)
    throw std::runtime_error("SHA-256 failed in libcrypto.");
}

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len) != 1)
    throw std::runtime_error("SHA-256 failed in libcrypto.");
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed in libcrypto.");
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kUpperHexDigits[c >> 4];
      out += kUpperHexDigits[c & 0x0f];
    }
  }
  return out;
}

std::string canonical_uri(const std::vector<std::string>& segments) {
  if (segments.empty())
    return "/";
  std::string out;
  for (const auto& segment : segments)
    out += "/" + uri_encode(segment, false);
  return out;
}

std::string canonical_query(std::vector<std::pair<std::string, std::string>> params) {
  for (auto& [name, value] : params) {
    name = uri_encode(name, false);
    value = uri_encode(value, false);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty())
      out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[sizeof "20130524T000000Z"];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &utc);
  return buf;
}

std::string signed_header_names(const std::vector<Header>& headers) {
  std::string out;
  for (const auto& [name, value] : canonical_headers(headers)) {
    if (!out.empty())
      out += ';';
    out += name;
  }
  return out;
}

std::string canonical_request(const RequestToSign& request) {
  std::string out = request.method + "\n" + request.uri + "\n" + request.query + "\n";
  for (const auto& [name, value] : canonical_headers(request.headers))
    out += name + ":" + value + "\n";
  out += "\n" + signed_header_names(request.headers) + "\n" + request.payload_hash;
  return out;
}

std::string credential_scope(std::string_view date, const Credentials& creds) {
  return std::string(date) + "/" + creds.region + "/" + creds.service + "/" +
         std::string(kScopeTerminator);
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += "\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n";
  out += sha256_hex(canonical_request);
  return out;
}

std::string signing_key(const Credentials& creds, std::string_view date) {
  std::string key = hmac_sha256("AWS4" + creds.secret_key, date);
  key = hmac_sha256(key, creds.region);
  key = hmac_sha256(key, creds.service);
  return hmac_sha256(key, kScopeTerminator);
}

std::string signature(const Credentials& creds, std::string_view date, std::string_view to_sign) {
  return to_hex(hmac_sha256(signing_key(creds, date), to_sign));
}

SignedRequest sign_request(const Credentials& creds, std::string_view method, std::string_view host,
                           std::string_view uri, std::string_view query,
                           std::string_view payload_hash, std::chrono::system_clock::time_point now,
                           const std::vector<Header>& extra_headers) {
  SignedRequest out;
  out.amz_date = amz_date(now);
  out.content_sha256 = std::string(payload_hash);

  RequestToSign request{std::string(method), std::string(uri), std::string(query), extra_headers,
                        out.content_sha256};
  request.headers.push_back({"host", std::string(host)});
  request.headers.push_back({"x-amz-content-sha256", out.content_sha256});
  request.headers.push_back({"x-amz-date", out.amz_date});

  const std::string date = date_part(out.amz_date);
  const std::string scope = credential_scope(date, creds);
  const std::string to_sign = string_to_sign(out.amz_date, scope, canonical_request(request));
  out.authorization = authorization_value(creds, scope, signed_header_names(request.headers),
                                          signature(creds, date, to_sign));
  return out;
}

}  // namespace sesv2mock::sigv4
