#include "server/sending/unsubscribe_links.hpp"
#include "storage/contact_store.hpp"

#include <boost/json.hpp>

namespace sesv2mock {

namespace json = boost::json;

namespace {
constexpr const char* kScope = "unsubscribe";
}

std::string UnsubscribeLinks::url(const std::string& host, const UnsubscribeTarget& t) const {
  json::object o{
      {"a", t.partition.account}, {"r", t.partition.region}, {"l", t.list_name}, {"e", t.email}};
  if (t.topic)
    o["t"] = *t.topic;
  return "http://" + (host.empty() ? std::string("localhost") : host) + kUnsubscribePath +
         tokens_.encode(kScope, json::serialize(o));
}

std::optional<UnsubscribeTarget> UnsubscribeLinks::decode(const std::string& token) const {
  auto position = tokens_.decode(kScope, token);
  if (!position)
    return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*position, ec);
  if (ec || !v.is_object())
    return std::nullopt;
  const auto& o = v.as_object();
  auto text = [&](const char* k) -> std::optional<std::string> {
    auto it = o.find(k);
    if (it == o.end() || !it->value().is_string())
      return std::nullopt;
    return std::string(it->value().as_string());
  };
  auto a = text("a"), r = text("r"), l = text("l"), e = text("e");
  if (!a || !r || !l || !e)
    return std::nullopt;
  return UnsubscribeTarget{{*a, *r}, *l, text("t"), *e};
}

bool UnsubscribeLinks::unsubscribe(const UnsubscribeTarget& t) {
  auto outcome = contacts_.update_contact(
      t.partition, t.list_name, t.email, [&](const ContactList&, Contact& c) {
        if (!t.topic) {
          c.unsubscribe_all = true;
        } else {
          bool found = false;
          for (auto& pref : c.topic_preferences) {
            if (pref.topic_name == *t.topic) {
              pref.subscription_status = SubscriptionStatus::OptOut;
              found = true;
            }
          }
          if (!found)
            c.topic_preferences.push_back({*t.topic, SubscriptionStatus::OptOut});
        }
        c.last_updated_timestamp = now_epoch_seconds();
      });
  return outcome == storage::ContactWriteOutcome::Written;
}

}  // namespace sesv2mock
