// The `Tag` shape's rules (core/tags) and the model's S3Url pattern.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/core/tags.hpp"
#include "server/imports/import_job_service.hpp"

using namespace sesv2mock;

namespace {

std::string error_of(const std::vector<Tag>& tags) {
  try {
    check_tags(tags);
  } catch (const ApiError& e) {
    CHECK(e.code() == "BadRequestException");
    return e.message();
  }
  return "";
}

}  // namespace

TEST_CASE("tags within the rules pass") {
  std::vector<Tag> tags;
  for (int i = 0; i < 50; ++i)
    tags.push_back({"k" + std::to_string(i), ""});
  CHECK(error_of(tags).empty());
  CHECK(error_of({{std::string(128, 'k'), std::string(256, 'v')}}).empty());
  CHECK(error_of({{"Größe", "日本 語"}, {"a_b.c:d/e=f+g-h", "tab\there"}}).empty());
  // Lengths count characters, not bytes.
  std::string wide_key;
  for (int i = 0; i < 128; ++i)
    wide_key += "é";
  CHECK(error_of({{wide_key, "v"}}).empty());
}

TEST_CASE("each tag rule refuses") {
  std::vector<Tag> many;
  for (int i = 0; i < 51; ++i)
    many.push_back({"k" + std::to_string(i), "v"});
  CHECK(error_of(many) == "A resource can have at most 50 tags.");
  CHECK(error_of({{"", "v"}}) == "A tag key must be 1 to 128 characters long.");
  CHECK(error_of({{std::string(129, 'k'), "v"}}) == "A tag key must be 1 to 128 characters long.");
  CHECK(error_of({{"k", std::string(257, 'v')}}) ==
        "A tag value can be at most 256 characters long.");
  const std::string chars =
      "A tag key can contain only Unicode letters, digits, white space and _ . : / = + -";
  for (const char* bad : {"a@b", "a!b", "a;b", "\xff", "\xc3", "snow\xe2\x98\x83"}) {
    CHECK(error_of({{bad, "v"}}) == chars);
  }
  CHECK(error_of({{"k", "a*b"}}) ==
        "A tag value can contain only Unicode letters, digits, white space and _ . : / = + -");
  CHECK(error_of({{"team", "a"}, {"team", "b"}}) == "The tag key team appears more than once.");
  const std::string reserved =
      "The aws: prefix is reserved for AWS; tag keys and values cannot use it.";
  CHECK(error_of({{"aws:x", "v"}}) == reserved);
  CHECK(error_of({{"Aws:x", "v"}}) == reserved);
  CHECK(error_of({{"x", "aws:v"}}) == reserved);
}

TEST_CASE("utf8_length") {
  CHECK(utf8_length("") == 0u);
  CHECK(utf8_length("abc") == 3u);
  CHECK(utf8_length("日本") == 2u);
  CHECK_FALSE(utf8_length("\xc3").has_value());          // cut short
  CHECK_FALSE(utf8_length("\xc0\xaf").has_value());      // overlong '/'
  CHECK_FALSE(utf8_length("\xed\xa0\x80").has_value());  // a surrogate
}

TEST_CASE("the model's S3Url pattern") {
  for (const char* ok :
       {"s3://b/k", "s3://b/k.csv", "s3://b/dir/k.csv", "s3://b/dir/", "s3://b/a/b/c/"}) {
    CHECK_MESSAGE(matches_s3_url_pattern(ok), ok);
  }
  for (const char* bad : {"s3://b//", "s3://b/dir//", "s3://b/", "s3://b", "s3:///k", "s3://",
                          "S3://b/k", "http://b/k", "s3://b/a//"}) {
    CHECK_MESSAGE(!matches_s3_url_pattern(bad), bad);
  }
}
