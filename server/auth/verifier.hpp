#pragma once
// Strict mode: checks a request's SigV4 Authorization header the way AWS does for a
// rest-json service, with the same canonicalization the S3 client signs with (sigv4.hpp).
// Pure: the caller passes the request, the clock and the credential table, so every refusal
// can be tested without a socket.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/auth/credentials.hpp"

namespace sesv2mock::auth {

// How far X-Amz-Date may be from the server's clock, either way (AWS: 15 minutes).
inline constexpr std::chrono::minutes kMaxClockSkew{15};

// AWS's codes and messages for refused requests (all answered with status 403).
inline constexpr std::string_view kUnrecognizedClient = "UnrecognizedClientException";
inline constexpr std::string_view kInvalidSignature = "InvalidSignatureException";
inline constexpr std::string_view kMissingToken = "MissingAuthenticationTokenException";
inline constexpr std::string_view kIncompleteSignature = "IncompleteSignatureException";
inline constexpr unsigned kRefusalStatus = 403;
inline constexpr std::string_view kUnknownKeyMessage =
    "The security token included in the request is invalid.";
inline constexpr std::string_view kBadSignatureMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

struct SignedHttpRequest {
  std::string_view method;
  std::string_view target;  // origin-form as received (path still percent-encoded, query)
  const std::vector<std::pair<std::string, std::string>>& headers;  // as received
  std::string_view body;
};

struct Verdict {
  const Credential* credential = nullptr;  // set when the request is accepted
  std::string code;                        // else the refusal
  std::string message;
  bool accepted() const { return credential != nullptr; }
};

class Verifier {
 public:
  // `services`: the signing names accepted in the credential scope ("ses", "email").
  explicit Verifier(CredentialTable credentials,
                    std::vector<std::string> services = {"ses", "email"});

  Verdict verify(const SignedHttpRequest& request, std::chrono::system_clock::time_point now) const;

  const CredentialTable& credentials() const { return credentials_; }

 private:
  CredentialTable credentials_;
  std::vector<std::string> services_;
};

// The canonical URI of a non-S3 service: the path as received, dot segments and empty
// segments removed, each segment percent-encoded again (so "%20" is signed as "%2520").
std::string canonical_service_uri(std::string_view encoded_path);
// The canonical query string of a received query: pairs decoded, then encoded and sorted.
std::string canonical_received_query(std::string_view encoded_query);

}  // namespace sesv2mock::auth
