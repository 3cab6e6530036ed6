// The contact-list and contact operations as plain functions (no socket), with the codec
// for the request shapes where it matters.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "server/api/contact_codec.hpp"
#include "server/contacts/contact_service.hpp"
#include "server/core/errors.hpp"
#include "storage/contact_store.hpp"
#include "storage/database.hpp"

using namespace sesv2mock;

namespace {

struct Fixture {
  Settings settings;
  storage::Database db{":memory:"};
  storage::ContactStore store{db};
  PageTokenCodec tokens{"test-key"};
  Pager pager{tokens};
  ContactService contacts{store, pager, settings};
  RequestContext ctx;

  Fixture() {
    contacts.create_list(ctx, parse_create_contact_list(boost::json::parse(R"({
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
    contacts.create_contact(ctx, r);
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
      auto [code, message] = error_of([&] { f.contacts.create_list(f.ctx, r); });
      CHECK(code == "BadRequestException");
      CHECK(message ==
            "ContactListName can contain up to 64 characters. Only alphanumeric characters, "
            "underscores(_) and hyphens(-) are allowed.");
    }
  }
  SUBCASE("at most 20 topics, no duplicates") {
    f.settings.max_contact_lists = 10;
    CreateContactListRequest r;
    r.list.contact_list_name = "big";
    for (int i = 0; i < 21; ++i)
      r.list.topics.push_back({"t" + std::to_string(i), "T", "", SubscriptionStatus::OptIn});
    CHECK(error_of([&] { f.contacts.create_list(f.ctx, r); }) ==
          std::pair<std::string, std::string>{"BadRequestException",
                                              "Maximum of <20> topics allowed per ContactList"});
    r.list.topics.resize(20);
    f.contacts.create_list(f.ctx, r);
    r.list.contact_list_name = "dups";
    r.list.topics = {{"a", "A", "", SubscriptionStatus::OptIn},
                     {"a", "A", "", SubscriptionStatus::OptIn}};
    CHECK(error_of([&] { f.contacts.create_list(f.ctx, r); }).second ==
          "Duplicate topic names are not allowed within a List.");
  }
  SUBCASE("one list per partition by default; the same name is AlreadyExists") {
    CreateContactListRequest r;
    r.list.contact_list_name = "shop";
    CHECK(error_of([&] { f.contacts.create_list(f.ctx, r); }).first == "AlreadyExistsException");
    r.list.contact_list_name = "second";
    CHECK(error_of([&] { f.contacts.create_list(f.ctx, r); }) ==
          std::pair<std::string, std::string>{
              "LimitExceededException",
              "You have reached the limit of 1 contact list per account and region."});
    f.settings.max_contact_lists = 2;
    f.contacts.create_list(f.ctx, r);
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
    f.contacts.update_list(f.ctx, u);
    auto list = f.contacts.get_list(f.ctx, "shop");
    CHECK(list.topics.empty());
    CHECK_FALSE(list.description);
    u.contact_list_name = "nope";
    CHECK(error_of([&] { f.contacts.update_list(f.ctx, u); }) ==
          std::pair<std::string, std::string>{"NotFoundException",
                                              "List with name: nope doesn't exist."});
    CHECK(error_of([&] { f.contacts.get_list(f.ctx, "nope"); }).first == "NotFoundException");
    CHECK(error_of([&] { f.contacts.delete_list(f.ctx, "nope"); }).first == "NotFoundException");
  }
  SUBCASE("list paging with a token bound to the partition") {
    f.settings.max_contact_lists = 10;
    for (const char* name : {"a", "b", "c"}) {
      CreateContactListRequest r;
      r.list.contact_list_name = name;
      f.contacts.create_list(f.ctx, r);
    }
    auto page = f.contacts.list_lists(f.ctx, {{2, std::nullopt}});
    REQUIRE(page.rows.size() == 2);
    REQUIRE(page.next_token);
    auto rest = f.contacts.list_lists(f.ctx, {{2, page.next_token}});
    CHECK(rest.rows.size() == 2);
    CHECK_FALSE(rest.next_token);
    RequestContext other;
    other.partition.account = "123456789012";
    CHECK(error_of([&] {
            f.contacts.list_lists(other, {{2, page.next_token}});
          }).first == "BadRequestException");
    CHECK(error_of([&] {
            f.contacts.list_lists(f.ctx, {{0, std::nullopt}});
          }).first == "BadRequestException");
  }
}

TEST_CASE("contact operations") {
  Fixture f;
  SUBCASE("GetContact reports defaults for topics without a preference") {
    f.add("Ann@Example.COM",
          R"(, "TopicPreferences": [{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}])");
    auto view = f.contacts.get_contact(f.ctx, "shop", "Ann@example.com");
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
    CHECK(error_of([&] { f.add("a@example.com"); }) ==
          std::pair<std::string, std::string>{"AlreadyExistsException",
                                              "a@example.com already exists in List."});
    CHECK(error_of([&] { f.add("not-an-address"); }).first == "BadRequestException");
    CHECK(error_of([&] { f.add("b@example.com", R"(, "AttributesData": "[1]")"); }).second ==
          "AttributesData must be a JSON object; it is an array.");
    CHECK(error_of([&] {
            f.add(
                "b@example.com",
                R"(, "TopicPreferences": [{"TopicName": "golf", "SubscriptionStatus": "OPT_IN"}])");
          }).second == "List: shop doesn't contain Topic: golf");
    CHECK(error_of([&] {
            f.add(
                "b@example.com",
                R"(, "TopicPreferences": [{"TopicName": "news", "SubscriptionStatus": "MAYBE"}])");
          }).first == "BadRequestException");
    CreateContactRequest r;
    r.contact_list_name = "nope";
    r.email_address = "b@example.com";
    CHECK(error_of([&] { f.contacts.create_contact(f.ctx, r); }).first == "NotFoundException");
  }
  SUBCASE("UpdateContact replaces the members it is given and keeps the others") {
    f.add("a@example.com", R"(, "AttributesData": "{\"x\": 1}",
        "TopicPreferences": [{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])");
    auto u = parse_update_contact(json(R"({"UnsubscribeAll": true})"));
    u.contact_list_name = "shop";
    u.email_address = "a@example.com";
    f.contacts.update_contact(f.ctx, u);
    auto view = f.contacts.get_contact(f.ctx, "shop", "a@example.com");
    CHECK(view.contact.unsubscribe_all);
    CHECK(view.contact.attributes_data == R"({"x": 1})");
    CHECK(view.contact.topic_preferences.size() == 1);

    u = parse_update_contact(
        json(R"({"TopicPreferences": [{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}]})"));
    u.contact_list_name = "shop";
    u.email_address = "a@example.com";
    f.contacts.update_contact(f.ctx, u);
    view = f.contacts.get_contact(f.ctx, "shop", "a@example.com");
    REQUIRE(view.contact.topic_preferences.size() == 1);
    CHECK(view.contact.topic_preferences[0].topic_name == "deals");
    CHECK(view.topic_default_preferences.size() == 1);

    u.email_address = "nobody@example.com";
    CHECK(error_of([&] { f.contacts.update_contact(f.ctx, u); }).first == "NotFoundException");
  }
  SUBCASE("DeleteContact and its NotFound cases") {
    f.add("a@example.com");
    f.contacts.delete_contact(f.ctx, "shop",
                              "a@EXAMPLE.COM");  // the domain's case does not matter
    CHECK(error_of([&] { f.contacts.delete_contact(f.ctx, "shop", "a@example.com"); }).second ==
          "a@example.com doesn't exist in List.");
    CHECK(error_of([&] { f.contacts.delete_contact(f.ctx, "nope", "a@example.com"); }).second ==
          "List with name: nope doesn't exist.");
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
    auto page = f.contacts.list_contacts(f.ctx, r);
    CHECK(page.rows.size() == 3);
    REQUIRE(page.next_token);
    r.paging.next_token = page.next_token;
    CHECK(f.contacts.list_contacts(f.ctx, r).rows.size() == 3);

    // A token is bound to its filter.
    auto filtered = parse_list_contacts(json(R"({"Filter": {"FilteredStatus": "OPT_IN",
        "TopicFilter": {"TopicName": "news", "UseDefaultIfPreferenceUnavailable": true}}})"));
    filtered.contact_list_name = "shop";
    CHECK(f.contacts.list_contacts(f.ctx, filtered).rows.size() == 4);
    filtered.paging.next_token = page.next_token;
    CHECK(error_of([&] { f.contacts.list_contacts(f.ctx, filtered); }).first ==
          "BadRequestException");
    filtered.paging.next_token.reset();
    filtered.filter.topic_filter->use_default_if_preference_unavailable = false;
    CHECK(f.contacts.list_contacts(f.ctx, filtered).rows.empty());
    filtered.filter.filtered_status = SubscriptionStatus::OptOut;
    CHECK(f.contacts.list_contacts(f.ctx, filtered).rows.size() == 3);

    filtered.filter.topic_filter->topic_name = "golf";
    CHECK(error_of([&] { f.contacts.list_contacts(f.ctx, filtered); }).first ==
          "BadRequestException");
    r.contact_list_name = "nope";
    r.paging.next_token.reset();
    CHECK(error_of([&] { f.contacts.list_contacts(f.ctx, r); }).first == "NotFoundException");
  }
}
