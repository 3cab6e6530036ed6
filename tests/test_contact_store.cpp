// ContactStore over an in-memory database: lists, contacts, paging, partitions.
#include <doctest/doctest.h>

#include <stdexcept>

#include "storage/contact_store.hpp"

using namespace sesv2mock;
using storage::ContactStore;
using storage::ContactWriteOutcome;
using storage::ListCreateOutcome;

namespace {

ContactList make_list(const std::string& name) {
  ContactList list;
  list.contact_list_name = name;
  list.topics = {{"news", "News", "Weekly news", SubscriptionStatus::OptIn},
                 {"deals", "Deals \"hot\"", "", SubscriptionStatus::OptOut}};
  list.description = "a list";
  list.tags = {{"team", "growth"}};
  list.created_timestamp = list.last_updated_timestamp = 10.0;
  return list;
}

Contact make_contact(const std::string& email, double at = 20.0) {
  Contact c;
  c.email_address = email;
  c.topic_preferences = {{"news", SubscriptionStatus::OptOut}};
  c.unsubscribe_all = false;
  c.attributes_data = R"({"n": 1})";
  c.created_timestamp = c.last_updated_timestamp = at;
  return c;
}

struct Fixture {
  storage::Database db{":memory:"};
  ContactStore store{db};
  Partition p;
  Fixture() { REQUIRE(store.create_list(p, make_list("shop"), 5) == ListCreateOutcome::Created); }
};

}  // namespace

TEST_CASE("ContactStore lists") {
  Fixture f;
  SUBCASE("a created list reads back whole") {
    auto list = f.store.find_list(f.p, "shop");
    REQUIRE(list);
    CHECK(list->description == "a list");
    REQUIRE(list->topics.size() == 2);
    CHECK(list->topics[0].topic_name == "news");
    CHECK(list->topics[0].description == "Weekly news");
    CHECK(list->topics[1].display_name == "Deals \"hot\"");
    CHECK(list->topics[1].default_subscription_status == SubscriptionStatus::OptOut);
    REQUIRE(list->tags.size() == 1);
    CHECK(list->tags[0].value == "growth");
    CHECK(list->created_timestamp == 10.0);
    CHECK(f.store.exists(f.p, "shop"));
  }
  SUBCASE("the same name twice, and the per-partition limit") {
    CHECK(f.store.create_list(f.p, make_list("shop"), 5) == ListCreateOutcome::AlreadyExists);
    CHECK(f.store.create_list(f.p, make_list("second"), 1) == ListCreateOutcome::LimitReached);
    CHECK_FALSE(f.store.exists(f.p, "second"));
    CHECK(f.store.create_list({"111111111111", "us-east-1"}, make_list("second"), 1) ==
          ListCreateOutcome::Created);
  }
  SUBCASE("update replaces topics and description, keeps tags and creation time") {
    REQUIRE(f.store.update_list(f.p, "shop", {{"only", "Only", "", SubscriptionStatus::OptIn}},
                                std::nullopt, 30.0));
    auto list = f.store.find_list(f.p, "shop");
    REQUIRE(list->topics.size() == 1);
    CHECK_FALSE(list->description);
    CHECK(list->tags.size() == 1);
    CHECK(list->created_timestamp == 10.0);
    CHECK(list->last_updated_timestamp == 30.0);
    CHECK_FALSE(f.store.update_list(f.p, "missing", {}, std::nullopt, 30.0));
  }
  SUBCASE("erase takes the contacts with it") {
    REQUIRE(f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {}) ==
            ContactWriteOutcome::Written);
    CHECK(f.store.erase_list(f.p, "shop"));
    CHECK_FALSE(f.store.exists(f.p, "shop"));
    CHECK_FALSE(f.store.erase_list(f.p, "shop"));
    // A list of the same name made later starts empty.
    REQUIRE(f.store.create_list(f.p, make_list("shop"), 5) == ListCreateOutcome::Created);
    CHECK_FALSE(f.store.find_contact(f.p, "shop", "a@example.com"));
  }
  SUBCASE("listing in name order, continuing after a name") {
    for (const char* name : {"c", "a", "b"})
      f.store.create_list(f.p, make_list(name), 10);
    auto page = f.store.lists(f.p, "", 2);
    REQUIRE(page.size() == 2);
    CHECK(page[0].contact_list_name == "a");
    CHECK(page[1].contact_list_name == "b");
    page = f.store.lists(f.p, "b", 10);
    REQUIRE(page.size() == 2);
    CHECK(page[0].contact_list_name == "c");
    CHECK(page[1].contact_list_name == "shop");
  }
  SUBCASE("upsert_list inserts or replaces as given") {
    {
      storage::WriteTransaction tx(f.db);
      ContactList replaced = make_list("shop");
      replaced.topics.clear();
      replaced.created_timestamp = 1.0;
      ContactStore::upsert_list(tx, f.p, replaced);
      ContactStore::upsert_list(tx, f.p, make_list("fixture"));
      tx.commit();
    }
    CHECK(f.store.find_list(f.p, "shop")->topics.empty());
    CHECK(f.store.find_list(f.p, "shop")->created_timestamp == 1.0);
    CHECK(f.store.exists(f.p, "fixture"));
  }
}

TEST_CASE("ContactStore contacts") {
  Fixture f;
  SUBCASE("create, find, duplicate, missing list") {
    CHECK(f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {}) ==
          ContactWriteOutcome::Written);
    CHECK(f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {}) ==
          ContactWriteOutcome::ContactExists);
    CHECK(f.store.create_contact(f.p, "nope", make_contact("a@example.com"), {}) ==
          ContactWriteOutcome::ListMissing);
    auto c = f.store.find_contact(f.p, "shop", "a@example.com");
    REQUIRE(c);
    CHECK(c->attributes_data == R"({"n": 1})");
    REQUIRE(c->topic_preferences.size() == 1);
    CHECK(c->topic_preferences[0].subscription_status == SubscriptionStatus::OptOut);
    CHECK(c->created_timestamp == 20.0);
  }
  SUBCASE("a check that throws leaves nothing behind") {
    auto refuse = [](const ContactList& list, Contact&) {
      CHECK(list.topics.size() == 2);  // sees the stored list
      throw std::invalid_argument("no");
    };
    CHECK_THROWS_AS(f.store.create_contact(f.p, "shop", make_contact("a@example.com"), refuse),
                    std::invalid_argument);
    CHECK_FALSE(f.store.find_contact(f.p, "shop", "a@example.com"));
    // The connection is usable afterwards (the transaction was rolled back).
    CHECK(f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {}) ==
          ContactWriteOutcome::Written);
  }
  SUBCASE("update edits the stored contact and keeps its creation time") {
    f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {});
    auto outcome =
        f.store.update_contact(f.p, "shop", "a@example.com", [](const ContactList&, Contact& c) {
          c.unsubscribe_all = true;
          c.last_updated_timestamp = 50.0;
          c.created_timestamp = 0;  // ignored for an existing contact
        });
    CHECK(outcome == ContactWriteOutcome::Written);
    auto c = f.store.find_contact(f.p, "shop", "a@example.com");
    CHECK(c->unsubscribe_all);
    CHECK(c->created_timestamp == 20.0);
    CHECK(c->last_updated_timestamp == 50.0);
    CHECK(f.store.update_contact(f.p, "shop", "b@example.com", {}) ==
          ContactWriteOutcome::ContactMissing);
    CHECK(f.store.update_contact(f.p, "nope", "a@example.com", {}) ==
          ContactWriteOutcome::ListMissing);
  }
  SUBCASE("put in a transaction replaces the whole contact") {
    f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {});
    Contact bare;
    bare.email_address = "a@example.com";
    bare.last_updated_timestamp = 99.0;
    {
      storage::WriteTransaction tx(f.db);
      ContactStore::put(tx, f.p, "shop", bare);
      tx.commit();
    }
    auto c = f.store.find_contact(f.p, "shop", "a@example.com");
    CHECK(c->topic_preferences.empty());
    CHECK_FALSE(c->attributes_data);
    CHECK(c->created_timestamp == 20.0);
    CHECK(c->last_updated_timestamp == 99.0);
  }
  SUBCASE("erase") {
    f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {});
    CHECK(f.store.erase_contact(f.p, "shop", "a@example.com"));
    CHECK_FALSE(f.store.erase_contact(f.p, "shop", "a@example.com"));
  }
  SUBCASE("paging in address order with a predicate") {
    for (int i = 0; i < 25; ++i) {
      char email[32];
      std::snprintf(email, sizeof email, "u%02d@example.com", i);
      Contact c = make_contact(email);
      c.unsubscribe_all = i % 2 == 1;
      f.store.create_contact(f.p, "shop", c, {});
    }
    auto odd = [](const Contact& c) { return c.unsubscribe_all; };
    auto page = f.store.contacts(f.p, "shop", "", 5, odd);
    REQUIRE(page.size() == 5);
    CHECK(page[0].email_address == "u01@example.com");
    CHECK(page[4].email_address == "u09@example.com");
    page = f.store.contacts(f.p, "shop", page.back().email_address, 100, odd);
    CHECK(page.size() == 7);
    CHECK(f.store.contacts(f.p, "shop", "", 100, {}).size() == 25);
  }
  SUBCASE("partitions do not see each other") {
    Partition other{"222222222222", "eu-west-1"};
    f.store.create_list(other, make_list("shop"), 1);
    f.store.create_contact(f.p, "shop", make_contact("a@example.com"), {});
    CHECK_FALSE(f.store.find_contact(other, "shop", "a@example.com"));
    f.store.erase_all(&f.p);
    CHECK_FALSE(f.store.exists(f.p, "shop"));
    CHECK(f.store.exists(other, "shop"));
    f.store.erase_all(nullptr);
    CHECK_FALSE(f.store.exists(other, "shop"));
  }
}
