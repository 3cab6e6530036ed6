#pragma once
// Email messages as values: what a Simple send asks for, and what a MIME message holds
// once parsed. Built and parsed by server/sending/mime_message (GMime); everything above
// (storage, API, inspection) sees only these types.
// Shapes follow the SES v2 model: MessageHeader {Name, Value}, Attachment {RawContent,
// FileName, ContentType, ContentDisposition, ContentId, ContentDescription,
// ContentTransferEncoding}.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sesv2mock {

struct MessageHeader {
  std::string name;
  std::string value;
  bool operator==(const MessageHeader&) const = default;
};

enum class AttachmentDisposition { attachment, inline_ };
enum class AttachmentTransferEncoding { base64, quoted_printable, seven_bit };

// An attachment to send (SES's Attachment shape, RawContent already base64-decoded).
struct Attachment {
  std::string file_name;
  std::string content_type;  // empty: application/octet-stream
  std::string raw_content;   // the bytes
  AttachmentDisposition disposition = AttachmentDisposition::attachment;
  std::string content_id;  // without angle brackets; empty: none
  std::string content_description;
  AttachmentTransferEncoding transfer_encoding = AttachmentTransferEncoding::base64;
};

// A mailbox: "Name <addr>" or a bare address.
struct MailboxAddress {
  std::string name;     // display name, decoded UTF-8 ("" if none)
  std::string address;  // addr-spec
  bool operator==(const MailboxAddress&) const = default;
};

// SendEmail's Simple content (or a rendered Template) with its envelope, as MIME needs it.
// Bcc recipients are not part of the message: they never appear in a header.
struct SimpleMessage {
  std::string from;                    // FromEmailAddress, may carry a display name
  std::vector<std::string> to, cc;     // Destination, as given
  std::vector<std::string> reply_to;   // ReplyToAddresses
  std::string subject;                 // UTF-8; encoded words are added when needed
  std::optional<std::string> text;     // UTF-8
  std::optional<std::string> html;     // UTF-8
  std::vector<MessageHeader> headers;  // Simple.Headers, added as given
  std::vector<Attachment> attachments;
  std::string message_id;  // without angle brackets, e.g. "0100...@email.amazonses.com"
  std::chrono::system_clock::time_point date;
};

// An attachment found in a parsed message.
struct ParsedAttachment {
  std::string file_name;     // "" when the part names none
  std::string content_type;  // "type/subtype", lower case
  std::string content_id;    // without angle brackets
  std::string disposition;   // "attachment", "inline" or ""
  std::string content_description;
  std::string content;  // decoded bytes
  std::size_t size() const { return content.size(); }
};

// A MIME message as the inspection endpoints show it.
struct ParsedMessage {
  std::vector<MessageHeader> headers;  // top-level headers in order, values unfolded/decoded
  std::vector<MailboxAddress> from, to, cc, bcc, reply_to;
  std::string subject;                   // decoded UTF-8
  std::string message_id;                // without angle brackets
  std::optional<std::string> text_part;  // first text/plain body part, UTF-8
  std::optional<std::string> html_part;  // first text/html body part, UTF-8
  std::vector<ParsedAttachment> attachments;
};

}  // namespace sesv2mock
