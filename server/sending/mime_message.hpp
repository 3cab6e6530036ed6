#pragma once
// Real MIME for sent mail, through GMime 3 (its GLib headers stay in mime_message.cpp).
// Builds the message of a Simple (or rendered Template) send, and parses raw messages
// (SendEmail Raw, and our own output for inspection) into core values.
// Thread safety: GMime is initialised once (std::call_once); calls work on their own
// objects and may run on any thread.
#include <stdexcept>
#include <string>
#include <string_view>

#include "server/core/email_message.hpp"

namespace sesv2mock {

class MimeError : public std::runtime_error {
 public:
  enum class Kind {
    malformed,        // the bytes are not a usable MIME message
    invalid_address,  // an address (From, To, ...) does not parse
    invalid_content,  // a content type, header name or value can't be written
  };
  MimeError(Kind kind, std::string message);
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// The message as it travels: CRLF line ends, "MIME-Version: 1.0", text and/or html
// (multipart/alternative when both), attachments (multipart/mixed), non-ASCII headers
// as RFC 2047 encoded words. Throws MimeError (invalid_address, invalid_content).
std::string build_mime_message(const SimpleMessage& message);

// Throws MimeError (malformed) when the bytes have no header section or break MIME
// structure (a header line that is no header, a multipart without boundary).
ParsedMessage parse_mime_message(std::string_view raw);

}  // namespace sesv2mock
