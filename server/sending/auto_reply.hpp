#pragma once
// The mailbox simulator's out-of-the-office reply. SES documents ooto@simulator.amazonses.com
// as: the recipient's provider accepts and delivers the message, then "sends an automatic
// response, such as an out of the office (OOTO) message, to the address in the Return-Path
// header of the email, or the envelope sender (MAIL FROM) address if the Return-Path header
// isn't present"; the response "is compliant with RFC 3834"
// (https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html, mailbox
// simulator table). The mock captures that reply as a message of its own (kind AUTO_REPLY,
// fate RECEIVED), so /_mock/messages and /_aws/ses show what the sender's mailbox would get.
#include <optional>
#include <string>
#include <string_view>

#include "server/core/captured_message.hpp"

namespace sesv2mock {

inline constexpr const char* kAutoReplyKind = "AUTO_REPLY";

// Where the reply goes. SES sends feedback to the address given as the request's
// FeedbackForwardingEmailAddress (SES v1's ReturnPath) or to a Return-Path header of a raw
// message (DG "Amazon SES header fields": "SES sends bounce and complaint notifications to
// the address that you specified"); else to the sender, which is the envelope sender SES
// forwards feedback to (the From address).
std::string auto_reply_destination(const std::optional<std::string>& feedback_forwarding_address,
                                   const std::optional<std::string>& return_path_header,
                                   const std::string& from_address);

struct AutoReplyInput {
  const StoredMessage* original = nullptr;  // the accepted message (partition, subject, time)
  std::string original_message_id;          // Message-ID header of the original, no brackets
  std::string simulator_address;            // the ooto recipient as addressed (labels kept)
  std::string destination;                  // auto_reply_destination()
};

// The captured reply: RFC 3834 headers (Auto-Submitted: auto-replied, In-Reply-To and
// References naming the original, Subject "Auto: <subject>" as section 3.1.5 suggests),
// From the simulator address, To the destination, one recipient with fate RECEIVED and no
// SES events (the account did not send it). Throws MimeError as build_mime_message does.
StoredMessage ooto_auto_reply(const AutoReplyInput& in);

}  // namespace sesv2mock
