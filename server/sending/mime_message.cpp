// GMime 3 is the MIME library (Debian libgmime-3.0): the issue asks for a well-kept
// library rather than hand-written MIME. Its objects are GObjects; the small RAII holders
// below release them.
#include "server/sending/mime_message.hpp"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

namespace sesv2mock {
namespace {

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p)
      g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GString_ = std::unique_ptr<char, GFree>;

// SES writes text and encoded words in UTF-8.
constexpr const char* kCharset = "UTF-8";

std::string str(const char* s) {
  return s ? std::string(s) : std::string();
}

// ---------------------------------------------------------------------------------------
// Building

void add_addresses(GMimeMessage* message, GMimeAddressType type,
                   const std::vector<std::string>& list, const char* field) {
  InternetAddressList* target = g_mime_message_get_addresses(message, type);
  for (const std::string& text : list) {
    GPtr<InternetAddressList> parsed(internet_address_list_parse(nullptr, text.c_str()));
    // Each entry is one mailbox: "a@x, b@y" or a group in one entry would smuggle in
    // recipients the caller never counted or checked.
    if (!parsed || internet_address_list_length(parsed.get()) != 1 ||
        !INTERNET_ADDRESS_IS_MAILBOX(internet_address_list_get_address(parsed.get(), 0)))
      throw MimeError(MimeError::Kind::invalid_address,
                      std::string("Illegal address in ") + field + ": " + text);
    // Encoded words in UTF-8 (GMime would pick iso-8859-1 when it suffices).
    for (int i = 0; i < internet_address_list_length(parsed.get()); ++i)
      internet_address_set_charset(internet_address_list_get_address(parsed.get(), i), kCharset);
    internet_address_list_append(target, parsed.get());
  }
}

GMimeContentEncoding encoding_of(AttachmentTransferEncoding e) {
  switch (e) {
    case AttachmentTransferEncoding::base64:
      return GMIME_CONTENT_ENCODING_BASE64;
    case AttachmentTransferEncoding::quoted_printable:
      return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
    case AttachmentTransferEncoding::seven_bit:
      return GMIME_CONTENT_ENCODING_7BIT;
  }
  return GMIME_CONTENT_ENCODING_BASE64;
}

void set_content(GMimePart* part, const std::string& bytes) {
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeDataWrapper> wrapper(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, wrapper.get());
}

// A part made by set_content gets new bytes in its memory stream, which GMime reads from the
// start whenever it writes the part (a new stream and data wrapper cost two objects).
void refill_content(GMimePart* part, const std::string& bytes) {
  GMimeStream* stream = g_mime_data_wrapper_get_stream(g_mime_part_get_content(part));
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  g_byte_array_set_size(array, 0);
  g_byte_array_append(array, reinterpret_cast<const guint8*>(bytes.data()),
                      static_cast<guint>(bytes.size()));
  g_mime_stream_reset(stream);
}

// Text GMime's encoding choice (g_mime_part_get_best_content_encoding, 7-bit constraint)
// certainly leaves as 7bit: ASCII without NUL, short lines, no line starting "From ". Asking
// GMime runs the text through a filter chain of its own objects, a sixth of a message's
// build; anything else still goes to GMime.
bool plainly_7bit(std::string_view text) {
  constexpr std::size_t kShortLine = 900;  // GMime switches at 998
  std::size_t line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0 || c >= 0x80)
      return false;
    if (c == '\n') {
      line = 0;
      continue;
    }
    if (line == 0 && text.compare(i, 5, "From ") == 0)
      return false;
    if (++line > kShortLine)
      return false;
  }
  return true;
}

GPtr<GMimeObject> text_part(const std::string& text, const char* subtype) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  set_content(GMIME_PART(part), text);  // the UTF-8 bytes as given
  g_mime_text_part_set_charset(part, kCharset);
  // For such text GMime's choice is its default (no Content-Transfer-Encoding header).
  if (!plainly_7bit(text))
    g_mime_part_set_content_encoding(
        GMIME_PART(part),
        g_mime_part_get_best_content_encoding(GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
  return GPtr<GMimeObject>(GMIME_OBJECT(part));
}

// RFC 2045 token characters.
bool is_token(std::string_view s) {
  static constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
  if (s.empty())
    return false;
  for (unsigned char c : s)
    if (c <= 32 || c >= 127 || kSpecials.find(static_cast<char>(c)) != std::string_view::npos)
      return false;
  return true;
}

// "type/subtype", optionally followed by "; parameters".
bool is_mime_type(std::string_view s) {
  s = s.substr(0, s.find(';'));
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  auto slash = s.find('/');
  return slash != std::string_view::npos && is_token(s.substr(0, slash)) &&
         is_token(s.substr(slash + 1));
}

GPtr<GMimeObject> attachment_part(const Attachment& a) {
  std::string type = a.content_type.empty() ? "application/octet-stream" : a.content_type;
  // GMime accepts anything here (falling back to a default); SES's field is a MIME type.
  if (!is_mime_type(type))
    throw MimeError(MimeError::Kind::invalid_content, "Invalid attachment content type: " + type);
  GPtr<GMimeContentType> content_type(g_mime_content_type_parse(nullptr, type.c_str()));
  GMimePart* part = g_mime_part_new();
  GPtr<GMimeObject> holder(GMIME_OBJECT(part));
  g_mime_object_set_content_type(holder.get(), content_type.get());
  g_mime_object_set_disposition(
      holder.get(), a.disposition == AttachmentDisposition::inline_ ? "inline" : "attachment");
  if (!a.file_name.empty())
    g_mime_part_set_filename(part, a.file_name.c_str());
  if (!a.content_id.empty())
    g_mime_part_set_content_id(part, a.content_id.c_str());
  if (!a.content_description.empty())
    g_mime_part_set_content_description(part, a.content_description.c_str());
  set_content(part, a.raw_content);
  g_mime_part_set_content_encoding(part, encoding_of(a.transfer_encoding));
  return holder;
}

GPtr<GMimeObject> body_of(const SimpleMessage& m) {
  GPtr<GMimeObject> body;
  if (m.text && m.html) {
    GMimeMultipart* alternative = g_mime_multipart_new_with_subtype("alternative");
    body.reset(GMIME_OBJECT(alternative));
    g_mime_multipart_add(alternative, text_part(*m.text, "plain").get());
    g_mime_multipart_add(alternative, text_part(*m.html, "html").get());
  } else if (m.html) {
    body = text_part(*m.html, "html");
  } else {
    body = text_part(m.text.value_or(""), "plain");
  }
  if (m.attachments.empty())
    return body;
  GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
  GPtr<GMimeObject> holder(GMIME_OBJECT(mixed));
  g_mime_multipart_add(mixed, body.get());
  for (const Attachment& a : m.attachments)
    g_mime_multipart_add(mixed, attachment_part(a).get());
  return holder;
}

bool is_header_name(const std::string& name) {
  if (name.empty())
    return false;
  for (unsigned char c : name)
    if (c < 33 || c > 126 || c == ':')
      return false;
  return true;
}

std::int64_t date_seconds(const SimpleMessage& m) {
  return std::chrono::duration_cast<std::chrono::seconds>(m.date.time_since_epoch()).count();
}

void set_date(GMimeMessage* message, const SimpleMessage& m) {
  GDateTime* date = g_date_time_new_from_unix_utc(date_seconds(m));
  g_mime_message_set_date(message, date);
  g_date_time_unref(date);
}

// The output stream and format options are kept per thread and emptied after each message:
// two objects fewer to make and free per build.
std::string write_message(GMimeMessage* message) {
  struct Output {
    GPtr<GMimeStream> stream{g_mime_stream_mem_new()};
    GMimeFormatOptions* options = g_mime_format_options_new();
    Output() { g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS); }
    ~Output() { g_mime_format_options_free(options); }
  };
  thread_local Output out;
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.stream.get()));
  g_byte_array_set_size(bytes, 0);
  g_mime_stream_reset(out.stream.get());
  g_mime_object_write_to_stream(GMIME_OBJECT(message), out.options, out.stream.get());
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// ---------------------------------------------------------------------------------------
// Parsing

std::vector<MailboxAddress> mailboxes(InternetAddressList* list) {
  std::vector<MailboxAddress> out;
  if (!list)
    return out;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      out.push_back({str(internet_address_get_name(a)),
                     str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)))});
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      auto members = mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)));
      out.insert(out.end(), members.begin(), members.end());
    }
  }
  return out;
}

std::string decoded_content(GMimePart* part) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (!wrapper)
    return {};
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string mime_type_of(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (!type)
    return "text/plain";
  GString_ s(g_mime_content_type_get_mime_type(type));
  std::string out = str(s.get());
  for (char& c : out)
    c = static_cast<char>(g_ascii_tolower(c));
  return out;
}

void collect_parts(GMimeObject* object, ParsedMessage& parsed) {
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
      collect_parts(g_mime_multipart_get_part(multipart, i), parsed);
    return;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {  // an attached email: listed, not descended into
    ParsedAttachment a;
    a.content_type = mime_type_of(object);
    a.disposition = str(g_mime_object_get_disposition(object));
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner)
      g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, out.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    a.content.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
    parsed.attachments.push_back(std::move(a));
    return;
  }
  if (!GMIME_IS_PART(object))
    return;
  GMimePart* part = GMIME_PART(object);
  std::string type = mime_type_of(object);
  bool attachment = g_mime_part_is_attachment(part);
  if (!attachment && GMIME_IS_TEXT_PART(object) && (type == "text/plain" || type == "text/html")) {
    auto& slot = type == "text/plain" ? parsed.text_part : parsed.html_part;
    if (!slot) {
      GString_ text(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
      slot = str(text.get());
      return;
    }
  }
  ParsedAttachment a;
  a.file_name = str(g_mime_part_get_filename(part));
  a.content_type = type;
  a.content_id = str(g_mime_part_get_content_id(part));
  a.disposition = str(g_mime_object_get_disposition(object));
  a.content_description = str(g_mime_part_get_content_description(part));
  a.content = decoded_content(part);
  parsed.attachments.push_back(std::move(a));
}

// Parser issues that mean the structure can't be trusted (GMime's GMIME_CRIT_* class).
struct ParseIssues {
  std::string first_critical;
};

void on_parser_warning(gint64 offset, GMimeParserWarning code, const gchar* item,
                       gpointer user_data) {
  auto* issues = static_cast<ParseIssues*>(user_data);
  if (!issues->first_critical.empty())
    return;
  std::string what = item ? std::string(item) : std::string();
  switch (code) {
    case GMIME_CRIT_INVALID_HEADER_NAME:
      while (!what.empty() && (what.back() == '\n' || what.back() == '\r'))
        what.pop_back();
      issues->first_critical = "Illegal header '" + what + "'.";
      break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      issues->first_critical = "A multipart part has no boundary.";
      break;
    case GMIME_CRIT_NESTING_OVERFLOW:
      issues->first_critical = "MIME parts are nested too deeply.";
      break;
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      issues->first_critical = "A MIME part has neither headers nor content.";
      break;
    case GMIME_CRIT_CONFLICTING_HEADER:
      issues->first_critical = "Conflicting header '" + what + "'.";
      break;
    default:
      break;  // warnings (duplicates, 8-bit headers, ...) are accepted, as mail servers do
  }
}

// A new message object tree for m (see build_mime_message for the header order).
GPtr<GMimeMessage> new_message(const SimpleMessage& m) {
  // Without GMime's "pretty" placeholder headers (TRUE): those cost a third of the build and
  // serialised the I/O threads on GLib's locks. The headers are set in the order the
  // placeholders gave (Date, From, Reply-To, Subject, To, Cc, Message-Id), as SES writes them.
  GPtr<GMimeMessage> message(g_mime_message_new(FALSE));
  set_date(message.get(), m);
  // No From only for TestRenderEmailTemplate, whose output has none.
  if (!m.from.empty())
    add_addresses(message.get(), GMIME_ADDRESS_TYPE_FROM, {m.from}, "From");
  add_addresses(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, m.reply_to, "Reply-To");
  g_mime_message_set_subject(message.get(), m.subject.c_str(), "utf-8");
  add_addresses(message.get(), GMIME_ADDRESS_TYPE_TO, m.to, "To");
  add_addresses(message.get(), GMIME_ADDRESS_TYPE_CC, m.cc, "Cc");
  if (!m.message_id.empty())
    g_mime_message_set_message_id(message.get(), m.message_id.c_str());
  for (const MessageHeader& h : m.headers) {
    if (!is_header_name(h.name))
      throw MimeError(MimeError::Kind::invalid_content, "Illegal header name '" + h.name + "'.");
    g_mime_object_append_header(GMIME_OBJECT(message.get()), h.name.c_str(), h.value.c_str(),
                                "utf-8");
  }
  g_mime_message_set_mime_part(message.get(), body_of(m).get());
  return message;
}

// The message tree of the last common-shape build on this thread, refilled for the next
// message of the same shape. Making and freeing a tree of GObjects (headers, address lists,
// parts, streams) was most of a build's CPU: each object's last unref takes GLib's data-list
// bit locks and the global signal lock. Only values change between two messages of one shape
// (one From text, no Reply-To, Cc or extra headers, one text part that needs no transfer
// encoding, no attachments), and setting a header's value keeps its place in the header list,
// so the bytes are those of a new tree; test_mime_message compares the two builds.
class ReusedMessage {
 public:
  static bool fits(const SimpleMessage& m) {
    return !m.from.empty() && !m.to.empty() && !m.message_id.empty() && m.reply_to.empty() &&
           m.cc.empty() && m.headers.empty() && m.attachments.empty() && !(m.text && m.html) &&
           plainly_7bit(body_text(m));
  }

  bool holds_shape_of(const SimpleMessage& m) const {
    return message_ && from_ == m.from && html_ == m.html.has_value();
  }

  void keep(GPtr<GMimeMessage> message, const SimpleMessage& m) {
    message_ = std::move(message);
    from_ = m.from;
    html_ = m.html.has_value();
    seconds_ = date_seconds(m);
  }

  std::string build(const SimpleMessage& m) {
    GMimeMessage* message = message_.get();
    // A failure half-way must not leave a half-refilled tree for the next message.
    GPtr<GMimeMessage> hold = std::move(message_);
    // Messages sent in one second share their Date header (formatting it was a sixth of a
    // refill).
    if (date_seconds(m) != seconds_) {
      set_date(message, m);
      seconds_ = date_seconds(m);
    }
    g_mime_message_set_subject(message, m.subject.c_str(), "utf-8");
    InternetAddressList* to = g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO);
    internet_address_list_clear(to);
    add_addresses(message, GMIME_ADDRESS_TYPE_TO, m.to, "To");
    g_mime_message_set_message_id(message, m.message_id.c_str());
    refill_content(GMIME_PART(g_mime_message_get_mime_part(message)), body_text(m));
    std::string bytes = write_message(message);
    message_ = std::move(hold);
    return bytes;
  }

 private:
  static const std::string& body_text(const SimpleMessage& m) {
    static const std::string kEmpty;
    return m.html ? *m.html : m.text ? *m.text : kEmpty;
  }

  GPtr<GMimeMessage> message_;
  std::string from_;
  bool html_ = false;
  std::int64_t seconds_ = 0;
};

}  // namespace

MimeError::MimeError(Kind kind, std::string message)
    : std::runtime_error(std::move(message)), kind_(kind) {}

std::string build_mime_message(const SimpleMessage& m) {
  ensure_gmime();
  thread_local ReusedMessage reused;
  if (ReusedMessage::fits(m)) {
    if (reused.holds_shape_of(m))
      return reused.build(m);
    GPtr<GMimeMessage> message = new_message(m);
    std::string bytes = write_message(message.get());
    reused.keep(std::move(message), m);
    return bytes;
  }
  return write_message(new_message(m).get());
}

ParsedMessage parse_mime_message(std::string_view raw) {
  ensure_gmime();
  if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw MimeError(MimeError::Kind::malformed, "The message is empty.");
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  ParseIssues issues;
  GMimeParserOptions* options = g_mime_parser_options_new();
  g_mime_parser_options_set_warning_callback(options, on_parser_warning, &issues);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
  g_mime_parser_options_free(options);
  if (!issues.first_critical.empty())
    throw MimeError(MimeError::Kind::malformed, issues.first_critical);
  if (!message)
    throw MimeError(MimeError::Kind::malformed, "The message has no header section.");
  ParsedMessage parsed;
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    parsed.headers.push_back({str(g_mime_header_get_name(h)), str(g_mime_header_get_value(h))});
    // SES's wording for a line such as ": value" (aws/aws-sdk-js issue 4121).
    if (parsed.headers.back().name.empty())
      throw MimeError(MimeError::Kind::malformed, "Empty header names are illegal.");
  }
  if (parsed.headers.empty())
    throw MimeError(MimeError::Kind::malformed, "The message has no header section.");
  parsed.from = mailboxes(g_mime_message_get_from(message.get()));
  parsed.to = mailboxes(g_mime_message_get_to(message.get()));
  parsed.cc = mailboxes(g_mime_message_get_cc(message.get()));
  parsed.bcc = mailboxes(g_mime_message_get_bcc(message.get()));
  parsed.reply_to = mailboxes(g_mime_message_get_reply_to(message.get()));
  parsed.subject = str(g_mime_message_get_subject(message.get()));
  parsed.message_id = str(g_mime_message_get_message_id(message.get()));
  if (GMimeObject* body = g_mime_message_get_mime_part(message.get()))
    collect_parts(body, parsed);
  return parsed;
}

}  // namespace sesv2mock
