#include <doctest/doctest.h>

#include "server/core/page_token.hpp"

using namespace sesv2mock;

TEST_CASE("PageTokenCodec") {
  PageTokenCodec codec("key-1");
  std::string token = codec.encode("ListImportJobs|a|r|ALL", "42");

  SUBCASE("round-trips within its scope") {
    CHECK(codec.decode("ListImportJobs|a|r|ALL", token) == "42");
  }
  SUBCASE("refuses a token of another scope") {
    CHECK_FALSE(codec.decode("ListImportJobs|b|r|ALL", token).has_value());
  }
  SUBCASE("refuses forged or damaged tokens") {
    CHECK_FALSE(codec.decode("ListImportJobs|a|r|ALL", "not-a-token").has_value());
    CHECK_FALSE(codec.decode("ListImportJobs|a|r|ALL", "").has_value());
    std::string altered = token;
    altered[2] = altered[2] == 'A' ? 'B' : 'A';
    CHECK_FALSE(codec.decode("ListImportJobs|a|r|ALL", altered).has_value());
  }
  SUBCASE("a new key makes old tokens stale") {
    codec.set_key("key-2");
    CHECK_FALSE(codec.decode("ListImportJobs|a|r|ALL", token).has_value());
  }
}

TEST_CASE("PageTokenCodec: no token starts with '-' (a command line would read it as an option)") {
  PageTokenCodec codec("key-1");
  for (int i = 0; i < 2000; ++i) {
    const std::string token = codec.encode("scope", std::to_string(i));
    REQUIRE(token.front() == 't');
    CHECK(codec.decode("scope", token) == std::to_string(i));
    CHECK_FALSE(codec.decode("scope", token.substr(1)));  // without its lead letter
  }
}
