#pragma once
// Shared by the contact reader tests: the list the records are read against, and one
// record's outcome.
#include <cstdint>
#include <string>

#include "server/core/model.hpp"

namespace sesv2mock::testing {

// A list with two topics: "sports" (default OPT_OUT) and "weather" (default OPT_IN).
inline ContactList news_list() {
  ContactList list;
  list.contact_list_name = "news";
  list.topics = {{"sports", "Sports", "", SubscriptionStatus::OptOut},
                 {"weather", "Weather", "", SubscriptionStatus::OptIn}};
  return list;
}

// One record of a file: either the contact or the reason it failed.
struct Parsed {
  std::int64_t line = 0;
  bool ok = false;
  Contact contact;
  std::string reason;
};

}  // namespace sesv2mock::testing
