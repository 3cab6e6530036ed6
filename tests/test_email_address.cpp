#include <doctest/doctest.h>

#include "server/core/email_address.hpp"

using namespace sesv2mock;

TEST_CASE("normalize_email_address") {
  SUBCASE("trims and lower-cases the domain only") {
    CHECK(normalize_email_address("  Foo.Bar+x@EXAMPLE.Com \t") == "Foo.Bar+x@example.com");
  }
  SUBCASE("refuses what SES would refuse, saying why") {
    std::string why;
    CHECK_FALSE(normalize_email_address("no-at-sign", &why));
    CHECK(why == "The email address has no '@'.");
    CHECK_FALSE(normalize_email_address("@example.com", &why));
    CHECK_FALSE(normalize_email_address("a@localhost", &why));
    CHECK(why == "The domain of the email address is invalid.");
    CHECK_FALSE(normalize_email_address("a..b@example.com", &why));
    CHECK_FALSE(normalize_email_address("a b@example.com", &why));
    CHECK_FALSE(normalize_email_address("a@-bad.com", &why));
    CHECK_FALSE(normalize_email_address("   ", &why));
    CHECK(why == "The email address is empty.");
  }
}
