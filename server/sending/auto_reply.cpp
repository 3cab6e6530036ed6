#include "server/sending/auto_reply.hpp"

#include <boost/json.hpp>

#include <chrono>

#include "server/core/email_address.hpp"
#include "server/sending/mime_message.hpp"
#include "server/sending/send_service.hpp"

namespace sesv2mock {

namespace {

constexpr std::string_view kReplyText =
    "I am out of the office and will answer your message when I return.\r\n"
    "\r\n"
    "(An automatic reply of the Amazon SES mailbox simulator, captured by sesv2-mock.)\r\n";

std::string angle(const std::string& id) {
  return "<" + id + ">";
}

}  // namespace

std::string auto_reply_destination(const std::optional<std::string>& feedback_forwarding_address,
                                   const std::optional<std::string>& return_path_header,
                                   const std::string& from_address) {
  for (const auto* candidate : {&feedback_forwarding_address, &return_path_header}) {
    if (*candidate) {
      if (auto addr = normalize_email_address(address_part(**candidate)))
        return *addr;  // "<>" (a null Return-Path) or a broken one names nobody
    }
  }
  return from_address;
}

StoredMessage ooto_auto_reply(const AutoReplyInput& in) {
  const StoredMessage& original = *in.original;
  StoredMessage reply;
  reply.message_id = new_message_id();
  reply.partition = original.partition;
  reply.kind = kAutoReplyKind;
  reply.source = in.simulator_address;
  reply.subject = "Auto: " + original.subject;
  reply.created_timestamp = original.created_timestamp;
  reply.destination_json = boost::json::serialize(
      boost::json::object{{"ToAddresses", boost::json::array{boost::json::value(in.destination)}}});

  SimpleMessage m;
  m.from = in.simulator_address;
  m.to = {in.destination};
  m.subject = reply.subject;
  m.text = std::string(kReplyText);
  m.message_id = reply.message_id + "@simulator.amazonses.com";
  m.date = std::chrono::system_clock::now();
  m.headers.push_back({"Auto-Submitted", "auto-replied"});
  if (!in.original_message_id.empty()) {
    m.headers.push_back({"In-Reply-To", angle(in.original_message_id)});
    m.headers.push_back({"References", angle(in.original_message_id)});
  }
  reply.raw_mime = build_mime_message(m);

  StoredRecipient to;
  to.kind = "To";
  to.address = in.destination;
  to.fate = fate::kReceived;
  reply.recipients.push_back(std::move(to));
  return reply;
}

}  // namespace sesv2mock
