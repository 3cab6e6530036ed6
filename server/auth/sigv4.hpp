#pragma once
// AWS Signature Version 4, as pure string functions over OpenSSL's libcrypto: the S3 client
// signs with it and the strict-auth verifier (verifier.hpp) checks SES requests with it.
// Nothing here reads the clock or touches a socket: callers pass the time, so every step can
// be checked against the published AWS examples.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sesv2mock::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
// SHA-256 of the empty string: the payload hash of every GET.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region;
  std::string service = "s3";
};

struct Header {
  std::string name;
  std::string value;
};

// What goes into the canonical request. `uri` and `query` are already canonical
// (see canonical_uri() and canonical_query()); `headers` are the ones to sign, host included.
struct RequestToSign {
  std::string method;
  std::string uri;
  std::string query;
  std::vector<Header> headers;
  std::string payload_hash;
};

std::string to_hex(std::string_view bytes);
std::string sha256_hex(std::string_view data);
// SHA-256 of a payload fed in pieces (a file streamed to S3), as lowercase hex.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex();  // ends the digest

 private:
  void* ctx_;  // EVP_MD_CTX (libcrypto stays out of this header)
};
// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ (upper-case hex, UTF-8 bytes as
// they are); '/' is kept when `keep_slash`.
std::string uri_encode(std::string_view s, bool keep_slash);
// "/" + the segments, each encoded on its own and joined by '/'. S3 paths are neither
// normalised nor encoded twice, so empty segments and dots stay as they are.
std::string canonical_uri(const std::vector<std::string>& segments);
// Names and values encoded, sorted by name then value, joined with '&'.
std::string canonical_query(std::vector<std::pair<std::string, std::string>> params);

// "20130524T000000Z" (UTC).
std::string amz_date(std::chrono::system_clock::time_point t);

// Lower-cased header names, sorted, joined with ';'.
std::string signed_header_names(const std::vector<Header>& headers);
std::string canonical_request(const RequestToSign& request);
// "<yyyymmdd>/<region>/<service>/aws4_request".
std::string credential_scope(std::string_view date, const Credentials& creds);
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
// Raw key: HMAC chain over date, region, service and "aws4_request".
std::string signing_key(const Credentials& creds, std::string_view date);
// Hex HMAC of `to_sign` under signing_key(creds, date).
std::string signature(const Credentials& creds, std::string_view date, std::string_view to_sign);

// The headers a signed request carries, besides Host and the extra headers it was signed with.
struct SignedRequest {
  std::string authorization;
  std::string amz_date;        // x-amz-date
  std::string content_sha256;  // x-amz-content-sha256
};

// Signs one request whose payload hashes to `payload_hash` (x-amz-content-sha256). `host` is
// the Host header exactly as sent ("h:port" when the port is not the scheme's default);
// `extra_headers` (e.g. Range) are signed too and must be sent.
SignedRequest sign_request(const Credentials& creds, std::string_view method, std::string_view host,
                           std::string_view uri, std::string_view query,
                           std::string_view payload_hash, std::chrono::system_clock::time_point now,
                           const std::vector<Header>& extra_headers = {});

}  // namespace sesv2mock::sigv4
