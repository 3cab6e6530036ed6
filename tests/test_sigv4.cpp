// SigV4 signer checked against AWS's published S3 example ("Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk", GET Object), plus path-style
// GET and PUT requests whose expected signatures came from botocore's S3SigV4Auth. The
// verifier is checked against the aws-sig-v4-test-suite in test_sigv4_verifier.cpp.
#include <doctest/doctest.h>

#include <chrono>

#include "server/auth/sigv4.hpp"

namespace sigv4 = sesv2mock::sigv4;

namespace {

// 2013-05-24T00:00:00Z, the date of every AWS example.
std::chrono::system_clock::time_point example_time() {
  using namespace std::chrono;
  return sys_days{year{2013} / May / 24};
}

sigv4::Credentials example_credentials(std::string region = "us-east-1") {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", std::move(region)};
}

}  // namespace

TEST_CASE("sigv4 hashing primitives") {
  CHECK(sigv4::sha256_hex("") == sigv4::kEmptyPayloadSha256);
  CHECK(sigv4::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  CHECK(sigv4::to_hex(sigv4::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(sigv4::amz_date(example_time()) == "20130524T000000Z");
}

TEST_CASE("sigv4 uri encoding") {
  SUBCASE("unreserved characters stay") {
    CHECK(sigv4::uri_encode("AZaz09-_.~", false) == "AZaz09-_.~");
  }
  SUBCASE("space, plus and reserved characters are percent-encoded in upper-case hex") {
    CHECK(sigv4::uri_encode("a b+c=d&e", false) == "a%20b%2Bc%3Dd%26e");
    CHECK(sigv4::uri_encode("*", false) == "%2A");
  }
  SUBCASE("UTF-8 bytes are encoded one by one") {
    CHECK(sigv4::uri_encode("caf\xC3\xA9", false) == "caf%C3%A9");
  }
  SUBCASE("slash is kept only when asked") {
    CHECK(sigv4::uri_encode("a/b", true) == "a/b");
    CHECK(sigv4::uri_encode("a/b", false) == "a%2Fb");
  }
  SUBCASE("canonical URI encodes each segment and keeps empty ones") {
    CHECK(sigv4::canonical_uri({}) == "/");
    CHECK(sigv4::canonical_uri({"bucket", "dir one", "", "x+y.csv"}) ==
          "/bucket/dir%20one//x%2By.csv");
  }
  SUBCASE("canonical query sorts encoded pairs") {
    CHECK(sigv4::canonical_query({{"b", "2"}, {"a", "x y"}, {"a", "1"}}) == "a=1&a=x%20y&b=2");
  }
}

TEST_CASE("sigv4 AWS example: GET Object with a Range header") {
  const auto creds = example_credentials();
  const std::vector<sigv4::Header> range{{"Range", "bytes=0-9"}};

  SUBCASE("canonical request, string to sign and signature") {
    sigv4::RequestToSign request{"GET", "/test.txt", "", range,
                                 std::string(sigv4::kEmptyPayloadSha256)};
    request.headers.push_back({"Host", "examplebucket.s3.amazonaws.com"});
    request.headers.push_back({"x-amz-content-sha256", std::string(sigv4::kEmptyPayloadSha256)});
    request.headers.push_back({"x-amz-date", "20130524T000000Z"});
    const std::string canonical = sigv4::canonical_request(request);
    CHECK(canonical ==
          "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
          "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const std::string scope = sigv4::credential_scope("20130524", creds);
    CHECK(scope == "20130524/us-east-1/s3/aws4_request");
    const std::string to_sign = sigv4::string_to_sign("20130524T000000Z", scope, canonical);
    CHECK(to_sign ==
          "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
          "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    CHECK(sigv4::to_hex(sigv4::hmac_sha256(sigv4::signing_key(creds, "20130524"), to_sign)) ==
          "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  SUBCASE("sign_request produces the example's Authorization header") {
    const auto signed_get =
        sigv4::sign_request(creds, "GET", "examplebucket.s3.amazonaws.com", "/test.txt", "",
                            sigv4::kEmptyPayloadSha256, example_time(), range);
    CHECK(signed_get.amz_date == "20130524T000000Z");
    CHECK(signed_get.content_sha256 == sigv4::kEmptyPayloadSha256);
    CHECK(signed_get.authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
          "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
          "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }
}

TEST_CASE("sigv4 path-style GET of a key with spaces, unicode and plus (botocore vector)") {
  const std::string uri = sigv4::canonical_uri({"my-bucket", "dir one", "caf\xC3\xA9+x y.csv"});
  CHECK(uri == "/my-bucket/dir%20one/caf%C3%A9%2Bx%20y.csv");
  const auto signed_get =
      sigv4::sign_request(example_credentials("eu-west-1"), "GET", "127.0.0.1:4568", uri, "",
                          sigv4::kEmptyPayloadSha256, example_time());
  CHECK(signed_get.authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=5de2b417467b5de2f5dfc955f07fe0f4e5aa79cc9e7b3e0e0abe0ba2777f25bc");
}

TEST_CASE("sigv4 path-style PUT with a body (botocore vector)") {
  // Expected value from botocore 1.43.11's S3SigV4Auth (PUT of this body to
  // http://127.0.0.1:4568/my-bucket/dir%20one/list.csv, eu-west-1, at 2013-05-24T00:00:00Z,
  // X-Amz-Content-SHA256 set to the body's hash).
  const std::string body = "a@example.com,BOUNCE\nb@example.com,COMPLAINT\n";
  const std::string uri = sigv4::canonical_uri({"my-bucket", "dir one", "list.csv"});
  const auto signed_put =
      sigv4::sign_request(example_credentials("eu-west-1"), "PUT", "127.0.0.1:4568", uri, "",
                          sigv4::sha256_hex(body), example_time());
  CHECK(signed_put.amz_date == "20130524T000000Z");
  CHECK(signed_put.content_sha256 ==
        "80e1c867871451fdec2777a947868ac295204f83bfc5eb69cd9c927864244b3b");
  CHECK(signed_put.content_sha256 == sigv4::sha256_hex(body));
  CHECK(signed_put.authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=4ad01ef87a6f0f4e95edf04fe38c5b69c56e918605e2ac10162806d21d9bc0a7");
}

TEST_CASE("Sha256 fed in pieces equals the one-shot digest") {
  const std::string text(200'000, 'q');
  sigv4::Sha256 pieces;
  for (std::size_t at = 0; at < text.size(); at += 65'536)
    pieces.update(std::string_view(text).substr(at, 65'536));
  CHECK(pieces.hex() == sigv4::sha256_hex(text));
  sigv4::Sha256 empty;
  CHECK(empty.hex() == sigv4::kEmptyPayloadSha256);
}
