#include <doctest/doctest.h>

#include "server/imports/csv.hpp"

using namespace sesv2mock;

TEST_CASE("split_csv_record") {
  std::vector<std::string> fields;
  std::string error;

  SUBCASE("plain fields, empty cells kept") {
    CHECK(split_csv_record("a@b.c,,BOUNCE", fields, false, error) == CsvSplit::Ok);
    CHECK(fields == std::vector<std::string>{"a@b.c", "", "BOUNCE"});
  }
  SUBCASE("RFC 4180 quoting with doubled quotes and commas") {
    CHECK(split_csv_record(R"("a,b","say ""hi""",x)", fields, false, error) == CsvSplit::Ok);
    CHECK(fields == std::vector<std::string>{"a,b", "say \"hi\"", "x"});
  }
  SUBCASE("trailing comma gives a last empty field") {
    CHECK(split_csv_record("a,", fields, false, error) == CsvSplit::Ok);
    CHECK(fields == std::vector<std::string>{"a", ""});
  }
  SUBCASE("an open quote asks for the next line") {
    CHECK(split_csv_record(R"(a,"multi)", fields, false, error) == CsvSplit::Incomplete);
    CHECK(split_csv_record("a,\"multi\nline\",b", fields, false, error) == CsvSplit::Ok);
    CHECK(fields == std::vector<std::string>{"a", "multi\nline", "b"});
  }
  SUBCASE("text after a closing quote is malformed") {
    CHECK(split_csv_record(R"("a"x,b)", fields, false, error) == CsvSplit::Malformed);
    CHECK(error == "Unexpected character after a closing quote in column 1.");
  }
  SUBCASE("a stray quote in an unquoted field is malformed without JSON fields") {
    CHECK(split_csv_record(R"(a,b"c)", fields, false, error) == CsvSplit::Malformed);
    CHECK(error == "Unexpected quote inside unquoted column 2.");
  }
  SUBCASE("the SES guide form: an unquoted JSON object with quotes and commas") {
    CHECK(split_csv_record(R"(a@b.c,false,{"Name": "John", "Tags": ["x","y"]},OPT_IN)", fields,
                           true, error) == CsvSplit::Ok);
    CHECK(fields == std::vector<std::string>{"a@b.c", "false",
                                             R"({"Name": "John", "Tags": ["x","y"]})", "OPT_IN"});
  }
  SUBCASE("braces inside JSON strings do not end the object") {
    CHECK(split_csv_record(R"(a,{"k": "}{,\""},z)", fields, true, error) == CsvSplit::Ok);
    CHECK(fields == std::vector<std::string>{"a", R"({"k": "}{,\""})", "z"});
  }
  SUBCASE("an unclosed JSON object asks for more") {
    CHECK(split_csv_record(R"(a,{"k": 1)", fields, true, error) == CsvSplit::Incomplete);
  }
}
