#include "server/sending/recipient_fate.hpp"
#include "storage/message_store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sesv2mock {

namespace {

constexpr std::string_view kSimulatorDomain = "simulator.amazonses.com";

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

storage::MessageEvent event(const char* type, double now) {
  storage::MessageEvent e;
  e.type = type;
  e.timestamp = now;
  return e;
}

storage::MessageEvent bounce(double now, std::string type, std::string sub_type,
                             std::optional<std::string> diagnostic) {
  auto e = event(storage::event_type::kBounce, now);
  e.bounce_type = std::move(type);
  e.bounce_sub_type = std::move(sub_type);
  e.diagnostic_code = std::move(diagnostic);
  return e;
}

storage::StoredRecipient with_events(const char* fate, std::vector<storage::MessageEvent> events) {
  storage::StoredRecipient r;
  r.fate = fate;
  r.events = std::move(events);
  return r;
}

}  // namespace

std::optional<SimulatorAddress> simulator_address(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos || lower(address.substr(at + 1)) != kSimulatorDomain)
    return std::nullopt;
  std::string local = lower(address.substr(0, at));
  if (auto plus = local.find('+'); plus != std::string::npos)
    local.resize(plus);  // labels
  static constexpr std::array<std::pair<std::string_view, SimulatorAddress>, 5> kNames{{
      {"success", SimulatorAddress::Success},
      {"bounce", SimulatorAddress::Bounce},
      {"ooto", SimulatorAddress::Ooto},
      {"complaint", SimulatorAddress::Complaint},
      {"suppressionlist", SimulatorAddress::SuppressionList},
  }};
  for (const auto& [name, kind] : kNames)
    if (local == name)
      return kind;
  return std::nullopt;
}

std::string isp_of(std::string_view address) {
  auto at = address.rfind('@');
  std::string domain = lower(at == std::string_view::npos ? address : address.substr(at + 1));
  auto is = [&](std::initializer_list<std::string_view> names) {
    return std::any_of(names.begin(), names.end(), [&](std::string_view n) {
      return domain == n || domain.starts_with(std::string(n) + ".");
    });
  };
  if (domain == kSimulatorDomain)
    return "Amazon SES Mailbox Simulator";
  if (is({"gmail", "googlemail"}))
    return "Gmail";
  if (is({"yahoo", "ymail", "rocketmail"}))
    return "Yahoo";
  if (is({"outlook", "hotmail", "live", "msn"}))
    return "Outlook";
  if (is({"aol"}))
    return "AOL";
  if (is({"icloud", "me", "mac"}))
    return "iCloud";
  return "Other";
}

// Mailbox simulator: https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html
// (bounce: hard bounce 550 5.1.1; complaint: delivered, then a complaint; ooto: delivered
// with an automatic reply, which the mock does not generate; suppressionlist: hard bounce as
// if on the global suppression list). Bounce/complaint details follow the examples of
// https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
storage::StoredRecipient simulated_recipient(SimulatorAddress kind, double now) {
  using namespace storage;
  switch (kind) {
    case SimulatorAddress::Bounce:
      return with_events(fate::kBounced,
                         {event(event_type::kSend, now),
                          bounce(now, "PERMANENT", "General", "smtp; 550 5.1.1 user unknown")});
    case SimulatorAddress::SuppressionList:
      return with_events(
          fate::kBounced,
          {event(event_type::kSend, now),
           bounce(now, "PERMANENT", "Suppressed",
                  "Amazon SES has suppressed sending to this address because it has a recent "
                  "history of bouncing as an invalid address.")});
    case SimulatorAddress::Complaint: {
      auto complaint = event(event_type::kComplaint, now);
      complaint.complaint_feedback_type = "abuse";
      return with_events(fate::kComplained, {event(event_type::kSend, now),
                                             event(event_type::kDelivery, now), complaint});
    }
    case SimulatorAddress::Success:
    case SimulatorAddress::Ooto:
      break;
  }
  return delivered_recipient(now);
}

// Account-level suppression list: "SES accepts the message, but doesn't send it"; the bounce
// is Permanent/OnAccountSuppressionList
// (https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html).
storage::StoredRecipient suppressed_recipient(double now) {
  using namespace storage;
  return with_events(
      fate::kSuppressed,
      {event(event_type::kSend, now),
       bounce(now, "PERMANENT", "OnAccountSuppressionList",
              "Amazon SES has suppressed sending to this address because it is on the "
              "account-level suppression list.")});
}

// List management: "SES will issue a bounce event for a message that is sent to an
// unsubscribed contact"
// (https://docs.aws.amazon.com/ses/latest/dg/sending-email-subscription-management.html).
// The bounce sub-type SES uses is not documented; ours is PERMANENT/General with a
// diagnostic naming the list (and topic).
storage::StoredRecipient unsubscribed_recipient(double now, const std::string& list_name,
                                                const std::optional<std::string>& topic) {
  using namespace storage;
  std::string why = "The contact is unsubscribed from contact list " + list_name;
  if (topic)
    why += ", topic " + *topic;
  return with_events(fate::kUnsubscribed, {event(event_type::kSend, now),
                                           bounce(now, "PERMANENT", "General", why + ".")});
}

storage::StoredRecipient delivered_recipient(double now) {
  using namespace storage;
  return with_events(fate::kDelivered,
                     {event(event_type::kSend, now), event(event_type::kDelivery, now)});
}

// Missing template data is not a send error: the message is accepted and a Rendering Failure
// event follows (aws/aws-sdk-js#2239, an AWS maintainer).
storage::StoredRecipient rendering_failed_recipient(double now) {
  using namespace storage;
  return with_events(fate::kRenderingFailed, {event(event_type::kRenderingFailure, now)});
}

bool contact_receives(const ContactList& list, const Contact& contact,
                      const std::optional<std::string>& topic) {
  if (contact.unsubscribe_all)
    return false;
  if (!topic)
    return true;
  for (const auto& pref : contact.topic_preferences) {
    if (pref.topic_name == *topic)
      return pref.subscription_status == SubscriptionStatus::OptIn;
  }
  for (const auto& t : list.topics) {
    if (t.topic_name == *topic)
      return t.default_subscription_status == SubscriptionStatus::OptIn;
  }
  return true;
}

}  // namespace sesv2mock
