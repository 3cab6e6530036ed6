// The contact JSON format (SPEC §3.1): one object per line or pretty-printed objects one
// after another, read as the worker reads them (JsonRecordReader + ContactRecordParser).
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "server/contacts/contact_records.hpp"
#include "server/imports/record_readers.hpp"
#include "tests/contact_test_support.hpp"
#include "tests/test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::news_list;
using sesv2mock::testing::Parsed;
using sesv2mock::testing::TempDir;

namespace {

std::vector<Parsed> read_file(const std::string& path, ImportAction action = ImportAction::Put) {
  JsonRecordReader reader(path, /*multiline=*/true);
  ContactRecordParser parser(news_list(), action);
  std::vector<Parsed> out;
  RecordItem item;
  while (reader.next(item)) {
    Parsed p;
    p.line = item.line;
    if (!item.error.empty()) {
      p.reason = item.error;
    } else {
      p.ok = parser.parse_json(item.object, 7.0, p.contact, p.reason);
    }
    out.push_back(std::move(p));
  }
  return out;
}

// One record given as JSON text, parsed directly.
Parsed parse_one(const std::string& text, ImportAction action = ImportAction::Put) {
  ContactRecordParser parser(news_list(), action);
  Parsed p;
  p.ok = parser.parse_json(boost::json::parse(text).as_object(), 7.0, p.contact, p.reason);
  return p;
}

}  // namespace

TEST_CASE("contact JSON records") {
  SUBCASE("every member") {
    auto p = parse_one(R"({"emailAddress": " Ann@Example.ORG ", "unsubscribeAll": true,
        "attributesData": "{\"tier\": \"gold\"}",
        "topicPreferences": [{"topicName": "sports", "subscriptionStatus": "OPT_IN"},
                             {"topicName": "weather", "subscriptionStatus": "OPT_OUT"}]})");
    REQUIRE(p.ok);
    CHECK(p.contact.email_address == "Ann@example.org");
    CHECK(p.contact.unsubscribe_all);
    CHECK(p.contact.attributes_data == R"({"tier": "gold"})");
    REQUIRE(p.contact.topic_preferences.size() == 2);
    CHECK(p.contact.topic_preferences[0].topic_name == "sports");
    CHECK(p.contact.topic_preferences[0].subscription_status == SubscriptionStatus::OptIn);
    CHECK(p.contact.topic_preferences[1].subscription_status == SubscriptionStatus::OptOut);
    CHECK(p.contact.created_timestamp == 7.0);
  }
  SUBCASE("only the address; absent and null members mean 'not given'") {
    auto p = parse_one(R"({"emailAddress": "a@example.com", "unsubscribeAll": null})");
    REQUIRE(p.ok);
    CHECK_FALSE(p.contact.unsubscribe_all);
    CHECK_FALSE(p.contact.attributes_data);
    CHECK(p.contact.topic_preferences.empty());
  }
  SUBCASE("attributesData given as an object instead of text is accepted") {
    auto p = parse_one(R"({"emailAddress": "a@example.com", "attributesData": {"k": [1, 2]}})");
    REQUIRE(p.ok);
    CHECK(p.contact.attributes_data == R"({"k":[1,2]})");
  }
  SUBCASE("unknown members are ignored") {
    CHECK(parse_one(R"({"emailAddress": "a@example.com", "nickname": "A"})").ok);
  }
  SUBCASE("failures and their reasons") {
    CHECK(parse_one(R"({"email": "a@example.com"})").reason ==
          "The record has no emailAddress string.");
    CHECK(parse_one(R"({"emailAddress": 12})").reason == "The record has no emailAddress string.");
    CHECK(parse_one(R"({"emailAddress": "a@"})").reason ==
          "The domain of the email address is invalid.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com", "unsubscribeAll": "true"})").reason ==
          "unsubscribeAll is \"true\"; expected true or false.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com", "attributesData": "[1]"})").reason ==
          "attributesData must be a JSON object; it is an array.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com", "attributesData": "{oops"})")
              .reason.rfind("attributesData must be a JSON object; it is not valid JSON", 0) == 0);
    CHECK(parse_one(R"({"emailAddress": "a@example.com", "attributesData": 5})").reason ==
          "attributesData must be a string holding a JSON object.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com", "topicPreferences": {}})")
              .reason.rfind("topicPreferences must be an array", 0) == 0);
    CHECK(parse_one(
              R"({"emailAddress": "a@example.com", "topicPreferences": [{"topicName": "sports"}]})")
              .reason ==
          "topicPreferences[0] must be an object with topicName and subscriptionStatus strings.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com",
        "topicPreferences": [{"topicName": "golf", "subscriptionStatus": "OPT_IN"}]})")
              .reason == "The contact list news has no topic golf.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com",
        "topicPreferences": [{"topicName": "sports", "subscriptionStatus": "opt_in"}]})")
              .reason ==
          "The preference for topic sports is 'opt_in'; expected OPT_IN or OPT_OUT.");
    CHECK(parse_one(R"({"emailAddress": "a@example.com",
        "topicPreferences": [{"topicName": "sports", "subscriptionStatus": "OPT_IN"},
                             {"topicName": "sports", "subscriptionStatus": "OPT_OUT"}]})")
              .reason == "The record gives a preference for topic sports twice.");
  }
  SUBCASE("DELETE needs only the address") {
    auto p = parse_one(R"({"emailAddress": "a@example.com", "unsubscribeAll": "nonsense"})",
                       ImportAction::Delete);
    REQUIRE(p.ok);
    CHECK(p.contact.email_address == "a@example.com");
  }
}

TEST_CASE("contact JSON files") {
  TempDir dir;
  SUBCASE("one object per line, with CRLF, blank lines and a BOM") {
    auto records =
        read_file(dir.write("l.json",
                            "\xEF\xBB\xBF{\"emailAddress\":\"a@example.com\"}\r\n\r\n"
                            "{\"emailAddress\":\"b@example.com\",\"unsubscribeAll\":true}\r\n"));
    REQUIRE(records.size() == 2);
    CHECK(records[0].ok);
    CHECK(records[1].ok);
    CHECK(records[1].line == 3);
    CHECK(records[1].contact.unsubscribe_all);
  }
  SUBCASE("pretty-printed objects one after another") {
    auto records = read_file(dir.write("p.json", R"({
  "emailAddress": "a@example.com",
  "topicPreferences": [
    {"topicName": "weather", "subscriptionStatus": "OPT_OUT"}
  ]
}
{
  "emailAddress": "b@example.com"
}
)"));
    REQUIRE(records.size() == 2);
    REQUIRE(records[0].ok);
    CHECK(records[0].line == 1);
    CHECK(records[0].contact.topic_preferences.size() == 1);
    CHECK(records[1].line == 7);
    CHECK(records[1].ok);
  }
  SUBCASE("a broken line fails alone") {
    auto records = read_file(dir.write("b.json",
                                       "{\"emailAddress\":\"a@example.com\"}\n"
                                       "[\"not\", \"an object\"]\n"
                                       "{\"emailAddress\":\"c@example.com\"}\n"));
    REQUIRE(records.size() == 3);
    CHECK(records[0].ok);
    CHECK_FALSE(records[1].ok);
    CHECK(records[1].reason == "The record is not a JSON object.");
    CHECK(records[2].ok);
  }
}
