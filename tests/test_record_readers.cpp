#include <doctest/doctest.h>

#include "server/imports/line_source.hpp"
#include "server/imports/record_readers.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::TempDir;

namespace {

std::vector<RecordItem> read_all(RecordReader& reader) {
  std::vector<RecordItem> out;
  RecordItem item;
  while (reader.next(item))
    out.push_back(item);
  return out;
}

}  // namespace

TEST_CASE("LineSource") {
  TempDir dir;
  SUBCASE("strips a UTF-8 BOM and CR, counts lines and bytes") {
    auto path = dir.write("f.csv",
                          "\xEF\xBB\xBF"
                          "a,b\r\nc\r\n\r\nlast");
    LineSource src(path);
    std::string line;
    REQUIRE(src.next(line));
    CHECK(line == "a,b");
    CHECK(src.line_number() == 1);
    CHECK(src.offset() == 8);
    REQUIRE(src.next(line));
    CHECK(line == "c");
    REQUIRE(src.next(line));
    CHECK(line == "");
    REQUIRE(src.next(line));
    CHECK(line == "last");
    CHECK(src.line_number() == 4);
    CHECK_FALSE(src.next(line));
  }
  SUBCASE("seek continues at a recorded offset") {
    auto path = dir.write("f.csv", "one\ntwo\nthree\n");
    LineSource src(path);
    std::string line;
    src.next(line);
    auto offset = src.offset();
    LineSource again(path);
    again.seek(offset, 1);
    REQUIRE(again.next(line));
    CHECK(line == "two");
    CHECK(again.line_number() == 2);
  }
  SUBCASE("lines longer than the buffer arrive whole") {
    std::string long_line(200'000, 'x');
    auto path = dir.write("f.csv", long_line + "\nshort\n");
    LineSource src(path);
    std::string line;
    REQUIRE(src.next(line));
    CHECK(line.size() == 200'000);
    CHECK_FALSE(src.last_line_too_long());
    REQUIRE(src.next(line));
    CHECK(line == "short");
  }
  SUBCASE("a missing file throws") {
    CHECK_THROWS(LineSource(dir.file("absent.csv")));
  }
}

TEST_CASE("CsvRecordReader") {
  TempDir dir;
  SUBCASE("skips blank lines and keeps physical line numbers") {
    auto path = dir.write("f.csv", "a@b.c,BOUNCE\n\n  \nd@e.f,COMPLAINT\n");
    CsvRecordReader reader(path, false);
    auto items = read_all(reader);
    REQUIRE(items.size() == 2);
    CHECK(items[0].line == 1);
    CHECK(items[1].line == 4);
    CHECK(items[1].fields == std::vector<std::string>{"d@e.f", "COMPLAINT"});
    CHECK(items[1].raw == "d@e.f,COMPLAINT");
  }
  SUBCASE("a quoted field spanning lines is one record") {
    auto path = dir.write("f.csv", "h1,h2\n\"x\ny\",z\nnext,1\n");
    CsvRecordReader reader(path, false);
    auto items = read_all(reader);
    REQUIRE(items.size() == 3);
    CHECK(items[1].line == 2);
    CHECK(items[1].fields == std::vector<std::string>{"x\ny", "z"});
    CHECK(items[2].line == 4);
  }
  SUBCASE("an unclosed quote at the end is a malformed record") {
    auto path = dir.write("f.csv", "a,\"open\n");
    CsvRecordReader reader(path, false);
    auto items = read_all(reader);
    REQUIRE(items.size() == 1);
    CHECK(items[0].error == "A quoted field is not closed.");
  }
}

TEST_CASE("JsonRecordReader") {
  TempDir dir;
  SUBCASE("one object per line") {
    auto path = dir.write("f.json",
                          "{\"emailAddress\":\"a@b.c\",\"reason\":\"BOUNCE\"}\n\n"
                          "{\"emailAddress\":\"d@e.f\"}\n");
    JsonRecordReader reader(path, true);
    auto items = read_all(reader);
    REQUIRE(items.size() == 2);
    CHECK(items[0].object.at("emailAddress").as_string() == "a@b.c");
    CHECK(items[1].line == 3);
    CHECK(reader.at_boundary());
  }
  SUBCASE("pretty-printed objects one after another") {
    auto path = dir.write(
        "f.json", "{\n  \"emailAddress\": \"a@b.c\"\n}\n{\n  \"emailAddress\": \"x@y.z\"\n}\n");
    JsonRecordReader reader(path, true);
    auto items = read_all(reader);
    REQUIRE(items.size() == 2);
    CHECK(items[0].line == 1);
    CHECK(items[1].line == 4);
    CHECK(items[1].object.at("emailAddress").as_string() == "x@y.z");
  }
  SUBCASE("a malformed line is one failed record and reading goes on") {
    auto path =
        dir.write("f.json", "{\"emailAddress\": \"a@b.c\",}\n{\"emailAddress\":\"d@e.f\"}\n");
    JsonRecordReader reader(path, true);
    auto items = read_all(reader);
    REQUIRE(items.size() == 2);
    CHECK(items[0].line == 1);
    CHECK_FALSE(items[0].error.empty());
    CHECK(items[0].raw == "{\"emailAddress\": \"a@b.c\",}");
    CHECK(items[1].error.empty());
    CHECK(items[1].line == 2);
  }
  SUBCASE("line mode: an unclosed line is one failed record, the next line stands") {
    auto path = dir.write("f.json", "{\"emailAddress\":\"a@b.c\"\n{\"emailAddress\":\"d@e.f\"}\n");
    JsonRecordReader reader(path, false);
    auto items = read_all(reader);
    REQUIRE(items.size() == 2);
    CHECK(items[0].error == "The line is not a complete JSON object.");
    CHECK(items[0].raw == "{\"emailAddress\":\"a@b.c\"");
    CHECK(items[1].error.empty());
    CHECK(items[1].line == 2);
  }
  SUBCASE("a value that is not an object is refused") {
    auto path = dir.write("f.json", "[1,2]\n");
    JsonRecordReader reader(path, true);
    auto items = read_all(reader);
    REQUIRE(items.size() == 1);
    CHECK(items[0].error == "The record is not a JSON object.");
  }
  SUBCASE("an object left open at the end of the file") {
    auto path = dir.write("f.json", "{\"emailAddress\":\n");
    JsonRecordReader reader(path, true);
    auto items = read_all(reader);
    REQUIRE(items.size() == 1);
    CHECK(items[0].error == "The JSON object is not closed at the end of the file.");
  }
}
