#include <doctest/doctest.h>

#include <string>

#include "server/core/percent_encoding.hpp"

using namespace sesv2mock;

TEST_CASE("percent_encode keeps letters, digits and the given characters") {
  CHECK(percent_encode("Job-1_a.b", "._-") == "Job-1_a.b");
  CHECK(percent_encode("a/b c", "._-") == "a%2Fb%20c");
  CHECK(percent_encode("a/b c", "/") == "a/b%20c");
  CHECK(percent_encode("caf\xc3\xa9", "") == "caf%C3%A9");
  CHECK(percent_encode(std::string("\0%", 2), "%") == "%00%");
  CHECK(percent_encode("", "") == "");
}
