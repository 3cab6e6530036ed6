#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cmath>
#include <limits>

#include "server/http/json_text.hpp"

using namespace sesv2mock::http;

TEST_CASE("to_json_text writes plain decimals") {
  SUBCASE("non-integer numbers are decimals that parse to the same value") {
    CHECK(to_json_text(boost::json::object{{"t", 1.764340000123E9}}) == R"({"t":1764340000.123})");
    CHECK(to_json_text(boost::json::array{1.5, -0.25, 1E3}) == R"([1.5,-0.25,1000])");
  }
  SUBCASE("integers and strings are left as they are") {
    CHECK(to_json_text(boost::json::parse(R"({"n":42,"s":"1.5E9 \"2E3\""})")) ==
          R"({"n":42,"s":"1.5E9 \"2E3\""})");
  }
  SUBCASE("a timestamp round-trips through the wire form") {
    double t = 1795880754.098;
    std::string text = to_json_text(boost::json::object{{"CreatedTimestamp", t}});
    CHECK(text == R"({"CreatedTimestamp":1795880754.098})");
    CHECK(boost::json::parse(text).at("CreatedTimestamp").as_double() == t);
  }
}

TEST_CASE("to_json_text never writes a non-finite number") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(to_json_text(boost::json::array{inf, -inf, std::nan("")}) == "[null,null,null]");
  CHECK(to_json_text(boost::json::parse("[1e999,-1e999]")) == "[null,null]");
}

TEST_CASE("to_json_text writes what Boost.JSON writes, numbers aside") {
  boost::json::value v = {{"s", "quote\" back\\ nl\n tab\t ctl\x01 caf\xC3\xA9"},
                          {"a", boost::json::array{1, -2, true, nullptr, "x"}},
                          {"o", boost::json::object{{"big", 18446744073709551615ULL}}},
                          {"e", boost::json::object{}},
                          {"l", boost::json::array{}}};
  CHECK(to_json_text(v) == boost::json::serialize(v));
  CHECK(to_json_text(boost::json::array{0.1, 5.0, 1e-7}) == "[0.1,5,0.0000001]");
  // Escapes first, last, next to each other, alone; and strings with none.
  boost::json::array edges{"", "\"", "\"\"", "\x1f", "\\end\\", "\nmid\r\n", "plain", "a\"b"};
  CHECK(to_json_text(edges) == boost::json::serialize(edges));
  CHECK(to_json_text(edges) == R"(["","\"","\"\"","\u001f","\\end\\","\nmid\r\n","plain","a\"b"])");
}
