// The strict-mode verifier against AWS's published SigV4 test suite (aws-sig-v4-test-suite:
// key AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z), then every
// refusal with AWS's code and message, and the credential flags' parsing.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "server/auth/credentials.hpp"
#include "server/auth/sigv4.hpp"
#include "server/auth/verifier.hpp"

namespace auth = sesv2mock::auth;
namespace sigv4 = sesv2mock::sigv4;
using Headers = std::vector<std::pair<std::string, std::string>>;

namespace {

constexpr const char* kKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kSuiteDate = "20150830T123600Z";
constexpr const char* kScope =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

std::chrono::system_clock::time_point suite_time() {
  using namespace std::chrono;
  return sys_days{year{2015} / August / 30} + hours{12} + minutes{36};
}

auth::Verifier suite_verifier(const std::string& secret = kSecret) {
  auth::CredentialTable table;
  table.add({kKey, secret, "111122223333"});
  return auth::Verifier(std::move(table), {"service"});
}

// Host and X-Amz-Date, then `extra`, then the Authorization built from the suite's answer.
Headers suite_headers(const std::string& signed_and_signature, Headers extra = {}) {
  Headers h{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}};
  for (auto& e : extra)
    h.push_back(std::move(e));
  h.emplace_back("Authorization", std::string(kScope) + signed_and_signature);
  return h;
}

auth::Verdict check(const auth::Verifier& v, const char* method, const std::string& target,
                    const Headers& headers, const std::string& body = "",
                    std::chrono::system_clock::time_point now = suite_time()) {
  return v.verify({method, target, headers, body}, now);
}

struct Vector {
  const char* name;
  const char* method;
  std::string target;
  Headers extra;
  std::string body;
  std::string authorization_tail;  // "SignedHeaders=..., Signature=..."
};

}  // namespace

TEST_CASE("verifier accepts the aws-sig-v4-test-suite requests") {
  const std::string token =
      "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfp"
      "SPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQ"
      "DYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s"
      "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
  const std::vector<Vector> vectors = {
      {"get-vanilla",
       "GET",
       "/",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-query-order-key-case",
       "GET",
       "/?Param2=value2&Param1=value1",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-empty-query-key",
       "GET",
       "/?Param1=value1",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
      {"get-utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-vanilla-utf8-query",
       "GET",
       "/?%E1%88%B4=bar",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-unreserved",
       "GET",
       "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-header-key-duplicate",
       "GET",
       "/",
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
       "",
       "SignedHeaders=host;my-header1;x-amz-date, "
       "Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get-header-value-trim",
       "GET",
       "/",
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "",
       "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
       "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"post-vanilla",
       "POST",
       "/",
       {},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-header-value-case",
       "POST",
       "/",
       {{"My-Header1", "VALUE1"}},
       "",
       "SignedHeaders=host;my-header1;x-amz-date, "
       "Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"post-sts-header-before",
       "POST",
       "/",
       {{"X-Amz-Security-Token", token}},
       "",
       "SignedHeaders=host;x-amz-date;x-amz-security-token, "
       "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
      {"post-sts-header-after",
       "POST",
       "/",
       {{"X-Amz-Security-Token", token}},
       "",
       "SignedHeaders=host;x-amz-date, "
       "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded"}},
       "Param1=value1",
       "SignedHeaders=content-type;host;x-amz-date, "
       "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
  };
  const auto verifier = suite_verifier();
  for (const auto& v : vectors) {
    CAPTURE(v.name);
    const auto verdict =
        check(verifier, v.method, v.target, suite_headers(v.authorization_tail, v.extra), v.body);
    CHECK(verdict.message == "");
    REQUIRE(verdict.accepted());
    CHECK(verdict.credential->account == "111122223333");
  }
}

TEST_CASE("verifier canonical parts of received requests") {
  CHECK(auth::canonical_service_uri("/") == "/");
  CHECK(auth::canonical_service_uri("/v2/email/contact-lists/my%20list") ==
        "/v2/email/contact-lists/my%2520list");
  CHECK(auth::canonical_service_uri("/a/./b/../c//d/") == "/a/c/d/");
  CHECK(auth::canonical_received_query("b=2&a=x%20y&a=1&flag") == "a=1&a=x%20y&b=2&flag=");
  CHECK(auth::canonical_received_query("") == "");
}

TEST_CASE("verifier refuses like AWS") {
  const std::string vanilla =
      "SignedHeaders=host;x-amz-date, "
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  const std::string bad_signature_message =
      "The request signature we calculated does not match the signature you provided. Check your "
      "AWS Secret Access Key and signing method. Consult the service documentation for details.";

  SUBCASE("wrong secret") {
    auto v = check(suite_verifier("not-the-secret"), "GET", "/", suite_headers(vanilla));
    CHECK(v.code == "InvalidSignatureException");
    CHECK(v.message == bad_signature_message);
  }
  SUBCASE("unknown key") {
    auth::Verifier other(auth::CredentialTable{}, {"service"});
    auto v = check(other, "GET", "/", suite_headers(vanilla));
    CHECK(v.code == "UnrecognizedClientException");
    CHECK(v.message == "The security token included in the request is invalid.");
  }
  SUBCASE("tampered body") {
    auto v = check(
        suite_verifier(), "POST", "/",
        suite_headers("SignedHeaders=host;x-amz-date, "
                      "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        "{}");
    CHECK(v.code == "InvalidSignatureException");
    CHECK(v.message == bad_signature_message);
  }
  SUBCASE("a payload hash header that does not match the body") {
    auto v = check(
        suite_verifier(), "POST", "/",
        suite_headers("SignedHeaders=host;x-amz-date, "
                      "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
                      {{"X-Amz-Content-Sha256", sigv4::sha256_hex("other")}}));
    CHECK(v.code == "InvalidSignatureException");
  }
  SUBCASE("tampered query") {
    auto v = check(suite_verifier(), "GET", "/?x=1", suite_headers(vanilla));
    CHECK(v.code == "InvalidSignatureException");
  }
  SUBCASE("expired: 15 minutes and one second later") {
    auto v = check(suite_verifier(), "GET", "/", suite_headers(vanilla), "",
                   suite_time() + std::chrono::minutes(15) + std::chrono::seconds(1));
    CHECK(v.code == "InvalidSignatureException");
    CHECK(v.message ==
          "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
          "(20150830T125101Z - 15 min.)");
  }
  SUBCASE("exactly 15 minutes either way still passes") {
    CHECK(check(suite_verifier(), "GET", "/", suite_headers(vanilla), "",
                suite_time() + std::chrono::minutes(15))
              .accepted());
    CHECK(check(suite_verifier(), "GET", "/", suite_headers(vanilla), "",
                suite_time() - std::chrono::minutes(15))
              .accepted());
  }
  SUBCASE("from the future") {
    auto v = check(suite_verifier(), "GET", "/", suite_headers(vanilla), "",
                   suite_time() - std::chrono::minutes(20));
    CHECK(v.code == "InvalidSignatureException");
    CHECK(v.message ==
          "Signature not yet current: 20150830T123600Z is still later than 20150830T123100Z "
          "(20150830T121600Z + 15 min.)");
  }
  SUBCASE("no Authorization header") {
    Headers h{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}};
    auto v = check(suite_verifier(), "GET", "/", h);
    CHECK(v.code == "MissingAuthenticationTokenException");
    CHECK(v.message == "Missing Authentication Token");
  }
  SUBCASE("no Signature part") {
    Headers h{{"Host", "example.amazonaws.com"},
              {"X-Amz-Date", kSuiteDate},
              {"Authorization", std::string(kScope) + "SignedHeaders=host;x-amz-date"}};
    auto v = check(suite_verifier(), "GET", "/", h);
    CHECK(v.code == "IncompleteSignatureException");
    CHECK(v.message == "Authorization header requires 'Signature' parameter. Authorization=" +
                           std::string(kScope) + "SignedHeaders=host;x-amz-date");
  }
  SUBCASE("another scheme") {
    Headers h{{"Host", "example.amazonaws.com"},
              {"X-Amz-Date", kSuiteDate},
              {"Authorization", "Bearer abc"}};
    CHECK(check(suite_verifier(), "GET", "/", h).code == "IncompleteSignatureException");
  }
  SUBCASE("no X-Amz-Date") {
    Headers h{{"Host", "example.amazonaws.com"}, {"Authorization", std::string(kScope) + vanilla}};
    auto v = check(suite_verifier(), "GET", "/", h);
    CHECK(v.code == "IncompleteSignatureException");
    CHECK(v.message.find("requires existence of either a 'X-Amz-Date' or a 'Date' header") !=
          std::string::npos);
  }
  SUBCASE("scope date differs from X-Amz-Date") {
    Headers h{{"Host", "example.amazonaws.com"},
              {"X-Amz-Date", "20150831T000100Z"},
              {"Authorization", std::string(kScope) + vanilla}};
    auto v = check(suite_verifier(), "GET", "/", h, "",
                   suite_time() + std::chrono::hours(11) + std::chrono::minutes(25));
    CHECK(v.code == "InvalidSignatureException");
    CHECK(v.message ==
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
          "HTTP: '20150830' != '20150831', from '20150831T000100Z'.");
  }
  SUBCASE("wrong service in the scope") {
    auth::CredentialTable table;
    table.add({kKey, kSecret, "111122223333"});
    auth::Verifier ses(std::move(table));
    auto v = check(ses, "GET", "/", suite_headers(vanilla));
    CHECK(v.code == "InvalidSignatureException");
    CHECK(v.message == "Credential should be scoped to correct service: 'ses'. ");
  }
  SUBCASE("host not signed") {
    auto v =
        check(suite_verifier(), "GET", "/",
              suite_headers(
                  "SignedHeaders=x-amz-date, "
                  "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
    CHECK(v.code == "IncompleteSignatureException");
  }
  SUBCASE("malformed date") {
    Headers h{{"Host", "example.amazonaws.com"},
              {"X-Amz-Date", "2015-08-30"},
              {"Authorization", std::string(kScope) + vanilla}};
    CHECK(check(suite_verifier(), "GET", "/", h).code == "IncompleteSignatureException");
  }
}

TEST_CASE("credential flags") {
  SUBCASE("key, secret and account") {
    auto c = auth::parse_credential("AKID1:s3cr/et+x:123456789012");
    CHECK(c.access_key == "AKID1");
    CHECK(c.secret_key == "s3cr/et+x");
    CHECK(c.account == "123456789012");
  }
  SUBCASE("an account derived from the key, the same on every run") {
    CHECK(auth::parse_credential("AKIDEXAMPLE:x").account == "022373312560");
    CHECK(auth::derived_account("test") == "353665842533");
  }
  SUBCASE("bad forms") {
    CHECK_THROWS_WITH(auth::parse_credential("AKID"),
                      "A credential must look like KEY:SECRET[:ACCOUNT].");
    CHECK_THROWS_WITH(auth::parse_credential(":x"),
                      "A credential must look like KEY:SECRET[:ACCOUNT].");
    CHECK_THROWS_WITH(auth::parse_credential("K:S:12"),
                      "The account of credential K must be 12 digits.");
  }
  SUBCASE("a file with comments and blank lines") {
    const auto path = std::filesystem::temp_directory_path() / "sesv2mock-credentials-test.txt";
    std::ofstream(path) << "# team keys\n\nK1:S1\n  K2:S2:000000000042  \n";
    auto list = auth::read_credentials_file(path.string());
    REQUIRE(list.size() == 2);
    CHECK(list[0].account == auth::derived_account("K1"));
    CHECK(list[1].account == "000000000042");
    std::ofstream(path) << "K1:S1\nbroken\n";
    CHECK_THROWS_WITH(
        auth::read_credentials_file(path.string()),
        (path.string() + " line 2: A credential must look like KEY:SECRET[:ACCOUNT].").c_str());
    std::filesystem::remove(path);
  }
}
