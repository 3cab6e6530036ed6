// The contact-list and contact operations as plain functions (no socket), with the codec
// for the request shapes where it matters.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "server/contacts/contact_service.hpp"
#include "server/core/errors.hpp"

using namespace sesv2mock;

namespace {

struct Fixture {
  Settings settings;
  storage::Database db{":memory:"};
  ImportWorker worker{db, settings, S3Fetcher{}};
  Services services{settings, db, worker};
  RequestContext ctx;

  Fixture() {
    create_contact_list(services, ctx,
                        parse_create_contact_list(boost::json::parse(R"({
      "ContactListName": "shop", "Description": "d",
      "Topics": [{"TopicName": "news", "DisplayName": "News", "DefaultSubscriptionStatus": "OPT_IN"},
                 {"TopicName": "deals", "DisplayName": "Deals", "DefaultSubscriptionStatus": "OPT_OUT"}]
    })")
                                                      .as_object()));
  }

  void add(const std::string& email, const std::string& extra = "") {
    auto body =
        boost::json::parse(R"({"EmailAddress": ")" + email + "\"" + extra + "}").as_object();
    auto r = parse_create_contact(body);
    r.contact_list_name = "shop";
    create_contact(services, ctx, r);
  }
};

// The code and message of the ApiError `fn` throws.
template <typename Fn>
std::pair<std::string, std::string> error_of(Fn fn) {
  try {
    fn();
  } catch (const ApiError& e) {
    return {e.code(), e.message()};
  }
  return {"(none)", ""};
}

boost::json::object json(const std::string& text) {
  return boost::json::parse(text).as_object();
}

}  // namespace

TEST_CASE("contact list operations") {
  Fixture f;
  SUBCASE("name rules") {
    for (const std::string& name :
         std::vector<std::string>{"", "has space", "dot.ted", std::string(65, 'x')}) {
      CreateContactListRequest r;
      r.list.contact_list_name = name;
      auto [code, message] = error_of([&] { create_contact_list(f.services, f.ctx, r); });
      CHECK(code == "BadRequestException");
      CHECK(message.find("contactListName") != std::string::npos);
    }
  }
  SUBCASE("at most 20 topics, no duplicates") {
    f.settings.max_contact_lists = 10;
    CreateContactListRequest r;
    r.list.contact_list_name = "big";
    for (int i = 0; i < 21; ++i)
      r.list.topics.push_back({"t" + std::to_string(i), "T", "", SubscriptionStatus::OptIn});
    CHECK(error_of([&] { create_contact_list(f.services, f.ctx, r); }).first ==
          "BadRequestException");
    r.list.topics.resize(20);
    create_contact_list(f.services, f.ctx, r);
    r.list.contact_list_name = "dups";
    r.list.topics = {{"a", "A", "", SubscriptionStatus::OptIn},
                     {"a", "A", "", SubscriptionStatus::OptIn}};
    CHECK(error_of([&] { create_contact_list(f.services, f.ctx, r); }).second ==
          "The topic a appears more than once in Topics.");
  }
  SUBCASE("one list per partition by default; the same name is AlreadyExists") {
    CreateContactListRequest r;
    r.list.contact_list_name = "shop";
    CHECK(error_of([&] { create_contact_list(f.services, f.ctx, r); }).first ==
          "AlreadyExistsException");
    r.list.contact_list_name = "second";
    CHECK(error_of([&] { create_contact_list(f.services, f.ctx, r); }) ==
          std::pair<std::string, std::string>{
              "LimitExceededException",
              "You have reached the limit of 1 contact list per account and region."});
    f.settings.max_contact_lists = 2;
    create_contact_list(f.services, f.ctx, r);
  }
  SUBCASE("missing topic members are validation errors naming the member") {
    auto [code, message] = error_of([&] {
      parse_create_contact_list(
          json(R"({"ContactListName": "x", "Topics": [{"TopicName": "t", "DisplayName": "T"}]})"));
    });
    CHECK(code == "BadRequestException");
    CHECK(message ==
          "1 validation error detected: Value at 'topics.1.member.defaultSubscriptionStatus' "
          "failed to satisfy constraint: Member must not be null");
  }
  SUBCASE("update is a complete replacement; unknown lists are NotFound") {
    UpdateContactListRequest u = parse_update_contact_list(json(R"({"Topics": []})"));
    u.contact_list_name = "shop";
    update_contact_list(f.services, f.ctx, u);
    auto list = get_contact_list(f.services, f.ctx, "shop");
    CHECK(list.topics.empty());
    CHECK_FALSE(list.description);
    u.contact_list_name = "nope";
    CHECK(
        error_of([&] { update_contact_list(f.services, f.ctx, u); }) ==
        std::pair<std::string, std::string>{"NotFoundException", "ContactList nope doesn't exist"});
    CHECK(error_of([&] { get_contact_list(f.services, f.ctx, "nope"); }).first ==
          "NotFoundException");
    CHECK(error_of([&] { delete_contact_list(f.services, f.ctx, "nope"); }).first ==
          "NotFoundException");
  }
  SUBCASE("list paging with a token bound to the partition") {
    f.settings.max_contact_lists = 10;
    for (const char* name : {"a", "b", "c"}) {
      CreateContactListRequest r;
      r.list.contact_list_name = name;
      create_contact_list(f.services, f.ctx, r);
    }
    auto page = list_contact_lists(f.services, f.ctx, {2, std::nullopt});
    REQUIRE(page.lists.size() == 2);
    REQUIRE(page.next_token);
    auto rest = list_contact_lists(f.services, f.ctx, {2, page.next_token});
    CHECK(rest.lists.size() == 2);
    CHECK_FALSE(rest.next_token);
    RequestContext other;
    other.partition.account = "123456789012";
    CHECK(error_of([&] {
            list_contact_lists(f.services, other, {2, page.next_token});
          }).first == "BadRequestException");
    CHECK(error_of([&] {
            list_contact_lists(f.services, f.ctx, {0, std::nullopt});
          }).first == "BadRequestException");
  }
}

TEST_CASE("contact operations") {
  Fixture f;
  SUBCASE("GetContact reports defaults for topics without a preference") {
    f.add("Ann@Example.COM",
          R"(, "TopicPreferences": [{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}])");
    auto view = get_contact(f.services, f.ctx, "shop", "Ann@example.com");
    CHECK(view.contact.email_address == "Ann@example.com");
    REQUIRE(view.contact.topic_preferences.size() == 1);
    REQUIRE(view.topic_default_preferences.size() == 1);
    CHECK(view.topic_default_preferences[0].topic_name == "news");
    CHECK(view.topic_default_preferences[0].subscription_status == SubscriptionStatus::OptIn);
    auto out = contact_to_json(view);
    CHECK(out.at("ContactListName") == "shop");
    CHECK(out.at("UnsubscribeAll") == false);
    CHECK(out.at("CreatedTimestamp").is_double());
    CHECK_FALSE(out.contains("AttributesData"));
  }
  SUBCASE("errors of CreateContact") {
    f.add("a@example.com");
    CHECK(
        error_of([&] { f.add("a@example.com"); }) ==
        std::pair<std::string, std::string>{
            "AlreadyExistsException", "Contact a@example.com already exists in ContactList shop"});
    CHECK(error_of([&] { f.add("not-an-address"); }).first == "BadRequestException");
    CHECK(error_of([&] { f.add("b@example.com", R"(, "AttributesData": "[1]")"); }).second ==
          "AttributesData must be a JSON object; it is an array.");
    CHECK(error_of([&] {
            f.add(
                "b@example.com",
                R"(, "TopicPreferences": [{"TopicName": "golf", "SubscriptionStatus": "OPT_IN"}])");
          }).second == "The contact list shop has no topic golf.");
    CHECK(error_of([&] {
            f.add(
                "b@example.com",
                R"(, "TopicPreferences": [{"TopicName": "news", "SubscriptionStatus": "MAYBE"}])");
          }).first == "BadRequestException");
    CreateContactRequest r;
    r.contact_list_name = "nope";
    r.email_address = "b@example.com";
    CHECK(error_of([&] { create_contact(f.services, f.ctx, r); }).first == "NotFoundException");
  }
  SUBCASE("UpdateContact replaces the members it is given and keeps the others") {
    f.add("a@example.com", R"(, "AttributesData": "{\"x\": 1}",
        "TopicPreferences": [{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])");
    auto u = parse_update_contact(json(R"({"UnsubscribeAll": true})"));
    u.contact_list_name = "shop";
    u.email_address = "a@example.com";
    update_contact(f.services, f.ctx, u);
    auto view = get_contact(f.services, f.ctx, "shop", "a@example.com");
    CHECK(view.contact.unsubscribe_all);
    CHECK(view.contact.attributes_data == R"({"x": 1})");
    CHECK(view.contact.topic_preferences.size() == 1);

    u = parse_update_contact(
        json(R"({"TopicPreferences": [{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}]})"));
    u.contact_list_name = "shop";
    u.email_address = "a@example.com";
    update_contact(f.services, f.ctx, u);
    view = get_contact(f.services, f.ctx, "shop", "a@example.com");
    REQUIRE(view.contact.topic_preferences.size() == 1);
    CHECK(view.contact.topic_preferences[0].topic_name == "deals");
    CHECK(view.topic_default_preferences.size() == 1);

    u.email_address = "nobody@example.com";
    CHECK(error_of([&] { update_contact(f.services, f.ctx, u); }).first == "NotFoundException");
  }
  SUBCASE("DeleteContact and its NotFound cases") {
    f.add("a@example.com");
    delete_contact(f.services, f.ctx, "shop",
                   "a@EXAMPLE.COM");  // the domain's case does not matter
    CHECK(error_of([&] { delete_contact(f.services, f.ctx, "shop", "a@example.com"); }).second ==
          "Contact a@example.com doesn't exist in ContactList shop");
    CHECK(error_of([&] { delete_contact(f.services, f.ctx, "nope", "a@example.com"); }).second ==
          "ContactList nope doesn't exist");
  }
  SUBCASE("ListContacts pages and filters") {
    for (int i = 0; i < 7; ++i) {
      f.add(
          "u" + std::to_string(i) + "@example.com",
          i < 3
              ? R"(, "TopicPreferences": [{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])"
              : "");
    }
    auto r = parse_list_contacts(json(R"({"PageSize": 3})"));
    r.contact_list_name = "shop";
    auto page = list_contacts(f.services, f.ctx, r);
    CHECK(page.contacts.size() == 3);
    REQUIRE(page.next_token);
    r.next_token = page.next_token;
    CHECK(list_contacts(f.services, f.ctx, r).contacts.size() == 3);

    // A token is bound to its filter.
    auto filtered = parse_list_contacts(json(R"({"Filter": {"FilteredStatus": "OPT_IN",
        "TopicFilter": {"TopicName": "news", "UseDefaultIfPreferenceUnavailable": true}}})"));
    filtered.contact_list_name = "shop";
    CHECK(list_contacts(f.services, f.ctx, filtered).contacts.size() == 4);
    filtered.next_token = page.next_token;
    CHECK(error_of([&] { list_contacts(f.services, f.ctx, filtered); }).first ==
          "BadRequestException");
    filtered.next_token.reset();
    filtered.filter.topic_filter->use_default_if_preference_unavailable = false;
    CHECK(list_contacts(f.services, f.ctx, filtered).contacts.empty());
    filtered.filter.filtered_status = SubscriptionStatus::OptOut;
    CHECK(list_contacts(f.services, f.ctx, filtered).contacts.size() == 3);

    filtered.filter.topic_filter->topic_name = "golf";
    CHECK(error_of([&] { list_contacts(f.services, f.ctx, filtered); }).first ==
          "BadRequestException");
    r.contact_list_name = "nope";
    r.next_token.reset();
    CHECK(error_of([&] { list_contacts(f.services, f.ctx, r); }).first == "NotFoundException");
  }
}
