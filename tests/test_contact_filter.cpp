// Topic defaults and the ListContacts filter (semantics in contact_filter.hpp).
#include <doctest/doctest.h>

#include "server/contacts/contact_filter.hpp"

using namespace sesv2mock;

namespace {

constexpr auto kIn = SubscriptionStatus::OptIn;
constexpr auto kOut = SubscriptionStatus::OptOut;

// Topic "news" defaults to OPT_IN, "deals" to OPT_OUT.
ContactList shop_list() {
  ContactList list;
  list.contact_list_name = "shop";
  list.topics = {{"news", "News", "", kIn}, {"deals", "Deals", "", kOut}};
  return list;
}

Contact contact(std::vector<TopicPreference> prefs, bool unsubscribe_all = false) {
  Contact c;
  c.email_address = "c@example.com";
  c.topic_preferences = std::move(prefs);
  c.unsubscribe_all = unsubscribe_all;
  return c;
}

ContactFilter topic_filter(std::optional<SubscriptionStatus> status, const std::string& topic,
                           bool use_default) {
  return {status, TopicFilter{topic, use_default}};
}

}  // namespace

TEST_CASE("topic_default_preferences") {
  const auto list = shop_list();
  SUBCASE("a contact without preferences gets every topic's default, in list order") {
    auto d = topic_default_preferences(list, contact({}));
    REQUIRE(d.size() == 2);
    CHECK(d[0].topic_name == "news");
    CHECK(d[0].subscription_status == kIn);
    CHECK(d[1].topic_name == "deals");
    CHECK(d[1].subscription_status == kOut);
  }
  SUBCASE("topics with an explicit preference are left out") {
    auto d = topic_default_preferences(list, contact({{"news", kOut}}));
    REQUIRE(d.size() == 1);
    CHECK(d[0].topic_name == "deals");
  }
  SUBCASE("a contact with a preference for every topic has no defaults") {
    CHECK(topic_default_preferences(list, contact({{"news", kIn}, {"deals", kIn}})).empty());
  }
  SUBCASE("a list without topics gives no defaults") {
    ContactList bare;
    CHECK(topic_default_preferences(bare, contact({})).empty());
  }
}

TEST_CASE("current_topic_preferences drops topics the list no longer has") {
  auto prefs = current_topic_preferences(shop_list(), contact({{"gone", kIn}, {"deals", kIn}}));
  REQUIRE(prefs.size() == 1);
  CHECK(prefs[0].topic_name == "deals");
  // ...and a dropped topic does not hide the default of one that exists.
  CHECK(topic_default_preferences(shop_list(), contact({{"gone", kIn}})).size() == 2);
}

TEST_CASE("contact_matches") {
  const auto list = shop_list();
  SUBCASE("no filter matches everyone") {
    CHECK(contact_matches({}, list, contact({})));
    CHECK(contact_matches({}, list, contact({}, true)));
  }
  SUBCASE("FilteredStatus alone is the list-wide status (UnsubscribeAll)") {
    ContactFilter opted_out{kOut, std::nullopt};
    ContactFilter opted_in{kIn, std::nullopt};
    CHECK(contact_matches(opted_out, list, contact({}, true)));
    CHECK_FALSE(contact_matches(opted_out, list, contact({{"news", kOut}})));
    CHECK(contact_matches(opted_in, list, contact({{"news", kOut}})));
    CHECK_FALSE(contact_matches(opted_in, list, contact({}, true)));
  }
  SUBCASE("an explicit preference decides, with or without defaults") {
    for (bool use_default : {false, true}) {
      CHECK(contact_matches(topic_filter(kOut, "news", use_default), list,
                            contact({{"news", kOut}})));
      CHECK_FALSE(
          contact_matches(topic_filter(kIn, "news", use_default), list, contact({{"news", kOut}})));
      CHECK(contact_matches(topic_filter(kIn, "deals", use_default), list,
                            contact({{"deals", kIn}})));
    }
  }
  SUBCASE("UseDefaultIfPreferenceUnavailable true: no preference falls back to the default") {
    CHECK(contact_matches(topic_filter(kIn, "news", true), list, contact({})));
    CHECK_FALSE(contact_matches(topic_filter(kOut, "news", true), list, contact({})));
    CHECK(contact_matches(topic_filter(kOut, "deals", true), list, contact({{"news", kIn}})));
  }
  SUBCASE("UseDefaultIfPreferenceUnavailable false: no preference never matches") {
    CHECK_FALSE(contact_matches(topic_filter(kIn, "news", false), list, contact({})));
    CHECK_FALSE(
        contact_matches(topic_filter(kOut, "deals", false), list, contact({{"news", kIn}})));
  }
  SUBCASE("UnsubscribeAll does not change a topic's status") {
    CHECK(contact_matches(topic_filter(kIn, "news", false), list, contact({{"news", kIn}}, true)));
  }
  SUBCASE("TopicFilter without FilteredStatus: contacts whose status for the topic is known") {
    CHECK(contact_matches(topic_filter(std::nullopt, "news", false), list,
                          contact({{"news", kOut}})));
    CHECK_FALSE(contact_matches(topic_filter(std::nullopt, "news", false), list, contact({})));
    CHECK(contact_matches(topic_filter(std::nullopt, "news", true), list, contact({})));
  }
  SUBCASE("a topic the list does not have matches nothing") {
    CHECK_FALSE(contact_matches(topic_filter(kIn, "gone", true), list, contact({{"gone", kIn}})));
  }
}
