// Configuration sets through ConfigurationSetService and its codec.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "sending_test_support.hpp"
#include "server/api/sending_codec.hpp"

using namespace sesv2mock;
using sesv2mock::testing::api_error_of;
using sesv2mock::testing::SendingWorld;

namespace {
ConfigurationSet parse(const std::string& text) {
  return parse_create_configuration_set(boost::json::parse(text).as_object());
}
}  // namespace

TEST_CASE("configuration set: create and get echo what was given") {
  SendingWorld w;
  w.sets.create(w.ctx, parse(R"({"ConfigurationSetName": "cs-1",
      "SuppressionOptions": {"SuppressedReasons": ["COMPLAINT", "COMPLAINT"]},
      "SendingOptions": {"SendingEnabled": false},
      "TrackingOptions": {"CustomRedirectDomain": "t.example.com"},
      "Tags": [{"Key": "k", "Value": "v"}]})"));
  auto set = w.sets.get(w.ctx, "cs-1");
  CHECK(set.sending_enabled == false);
  REQUIRE(set.suppressed_reasons);
  CHECK(*set.suppressed_reasons == std::vector<SuppressionReason>{SuppressionReason::Complaint});
  CHECK(
      boost::json::serialize(configuration_set_to_json(set)) ==
      R"({"ConfigurationSetName":"cs-1","TrackingOptions":{"CustomRedirectDomain":"t.example.com"},)"
      R"("SendingOptions":{"SendingEnabled":false},"Tags":[{"Key":"k","Value":"v"}],)"
      R"("SuppressionOptions":{"SuppressedReasons":["COMPLAINT"]}})");

  w.sets.create(w.ctx, parse(R"({"ConfigurationSetName": "plain"})"));
  CHECK(boost::json::serialize(configuration_set_to_json(w.sets.get(w.ctx, "plain"))) ==
        R"({"ConfigurationSetName":"plain","SendingOptions":{"SendingEnabled":true},"Tags":[]})");
  // SuppressionOptions without reasons is an override with none.
  w.sets.create(w.ctx, parse(R"({"ConfigurationSetName": "none", "SuppressionOptions": {}})"));
  auto none = w.sets.get(w.ctx, "none");
  REQUIRE(none.suppressed_reasons);
  CHECK(none.suppressed_reasons->empty());
}

TEST_CASE("configuration set: errors") {
  SendingWorld w;
  w.create_set("cs");
  CHECK(api_error_of([&] { w.create_set("cs"); }) ==
        std::pair<std::string, std::string>{"AlreadyExistsException",
                                            "Configuration set <cs> already exists."});
  for (const std::string& bad :
       {std::string("has space"), std::string(65, 'a'), std::string(""), std::string("dot.name")}) {
    CAPTURE(bad);
    CHECK(api_error_of([&] { w.create_set(bad); }) ==
          std::pair<std::string, std::string>{
              "BadRequestException",
              "ConfigurationSetName can contain up to 64 characters. Only alphanumeric "
              "characters, underscores(_) and hyphens(-) are allowed."});
  }
  w.create_set(std::string(64, 'a'));
  const std::pair<std::string, std::string> missing{"NotFoundException",
                                                    "Configuration set <nope> does not exist."};
  CHECK(api_error_of([&] { w.sets.get(w.ctx, "nope"); }) == missing);
  CHECK(api_error_of([&] { w.sets.erase(w.ctx, "nope"); }) == missing);
  CHECK(api_error_of([&] { w.sets.put_sending_options(w.ctx, "nope", true); }) == missing);
  CHECK(api_error_of([&] { w.sets.put_suppression_options(w.ctx, "nope", std::nullopt); }) ==
        missing);
  CHECK(
      api_error_of([&] {
        parse(
            R"({"ConfigurationSetName": "x", "SuppressionOptions": {"SuppressedReasons": ["SPAM"]}})");
      }).second ==
      "1 validation error detected: Value at 'suppressionOptions.suppressedReasons' failed to "
      "satisfy constraint: Member must satisfy enum value set: [BOUNCE, COMPLAINT]");
  ConfigurationSet tagged;
  tagged.name = "tagged";
  tagged.tags = {{"", "v"}};
  CHECK(api_error_of([&] { w.sets.create(w.ctx, tagged); }).first == "BadRequestException");
}

TEST_CASE("configuration set: suppression options set, cleared and overridden with none") {
  SendingWorld w;
  w.create_set("cs");
  w.sets.put_suppression_options(w.ctx, "cs",
                                 std::vector<SuppressionReason>{SuppressionReason::Bounce});
  CHECK(*w.sets.get(w.ctx, "cs").suppressed_reasons ==
        std::vector<SuppressionReason>{SuppressionReason::Bounce});
  w.sets.put_suppression_options(w.ctx, "cs", std::vector<SuppressionReason>{});
  CHECK(w.sets.get(w.ctx, "cs").suppressed_reasons->empty());
  w.sets.put_suppression_options(w.ctx, "cs", std::nullopt);
  CHECK_FALSE(w.sets.get(w.ctx, "cs").suppressed_reasons);
}

TEST_CASE("configuration set: list pages by name; delete removes") {
  SendingWorld w;
  for (const char* n : {"c", "a", "e", "b", "d"})
    w.create_set(n);
  PageRequest page;
  page.page_size = 2;
  std::vector<std::string> names;
  int pages = 0;
  while (true) {
    auto r = w.sets.list(w.ctx, page);
    ++pages;
    names.insert(names.end(), r.rows.begin(), r.rows.end());
    if (!r.next_token)
      break;
    page.next_token = r.next_token;
  }
  CHECK(pages == 3);
  CHECK(names == std::vector<std::string>{"a", "b", "c", "d", "e"});
  w.sets.erase(w.ctx, "c");
  CHECK(w.sets.list(w.ctx, {}).rows == std::vector<std::string>{"a", "b", "d", "e"});
}
