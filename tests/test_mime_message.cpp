#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "server/sending/mime_message.hpp"

using namespace sesv2mock;

namespace {

SimpleMessage sample() {
  SimpleMessage m;
  m.from = "Zoë Sender <sender@example.com>";
  m.to = {"a@example.com", "\"B, Person\" <b@example.com>"};
  m.cc = {"c@example.com"};
  m.reply_to = {"replies@example.com"};
  m.subject = "Grüße — hello";
  m.text = "Hello Zoë\nsecond line";
  m.html = "<p>Hello <b>Zoë</b></p>";
  m.headers = {{"X-Campaign", "spring-2026"}};
  m.message_id = "0100018c-abc@email.amazonses.com";
  m.date = std::chrono::system_clock::from_time_t(1700000000);
  return m;
}

std::string header(const ParsedMessage& p, const std::string& name) {
  for (const auto& h : p.headers)
    if (h.name == name)
      return h.value;
  return "<absent>";
}

MimeError::Kind parse_error(const std::string& raw, std::string* message = nullptr) {
  try {
    parse_mime_message(raw);
  } catch (const MimeError& e) {
    if (message)
      *message = e.what();
    return e.kind();
  }
  FAIL("no MimeError for " << raw);
  return MimeError::Kind::invalid_content;
}

}  // namespace

TEST_CASE("build_mime_message writes a Simple message as real MIME") {
  std::string raw = build_mime_message(sample());
  SUBCASE("headers: encoded words for non-ASCII, CRLF line ends, no Bcc") {
    CHECK(raw.find("From: =?UTF-8?b?Wm/Dqw==?= Sender <sender@example.com>\r\n") !=
          std::string::npos);
    CHECK(raw.find("Subject: =?UTF-8?B?R3LDvMOfZSDigJQ=?= hello\r\n") != std::string::npos);
    CHECK(raw.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n") != std::string::npos);
    CHECK(raw.find("Message-Id: <0100018c-abc@email.amazonses.com>\r\n") != std::string::npos);
    CHECK(raw.find("MIME-Version: 1.0\r\n") != std::string::npos);
    CHECK(raw.find("Content-Type: multipart/alternative;") != std::string::npos);
    CHECK(raw.find("Bcc") == std::string::npos);
    CHECK(raw.find("\n\n") == std::string::npos);  // every line ends in CRLF
  }
  SUBCASE("parsing it back gives the values that went in") {
    ParsedMessage p = parse_mime_message(raw);
    CHECK(p.from == std::vector<MailboxAddress>{{"Zoë Sender", "sender@example.com"}});
    CHECK(p.to ==
          std::vector<MailboxAddress>{{"", "a@example.com"}, {"B, Person", "b@example.com"}});
    CHECK(p.cc == std::vector<MailboxAddress>{{"", "c@example.com"}});
    CHECK(p.bcc.empty());
    CHECK(p.reply_to == std::vector<MailboxAddress>{{"", "replies@example.com"}});
    CHECK(p.subject == "Grüße — hello");
    CHECK(p.message_id == "0100018c-abc@email.amazonses.com");
    REQUIRE(p.text_part);
    CHECK(*p.text_part == "Hello Zoë\r\nsecond line");
    REQUIRE(p.html_part);
    CHECK(*p.html_part == "<p>Hello <b>Zoë</b></p>");
    CHECK(header(p, "X-Campaign") == "spring-2026");
    CHECK(header(p, "Subject") == "Grüße — hello");
    CHECK(p.attachments.empty());
    std::vector<std::string> names;
    for (const auto& h : p.headers)
      names.push_back(h.name);
    CHECK(names == std::vector<std::string>{"Date", "From", "Reply-To", "Subject", "To", "Cc",
                                            "Message-Id", "X-Campaign", "MIME-Version"});
  }
}

TEST_CASE("build_mime_message: bodies and attachments") {
  SUBCASE("text only is a single text/plain part") {
    SimpleMessage m = sample();
    m.html.reset();
    std::string raw = build_mime_message(m);
    CHECK(raw.find("multipart") == std::string::npos);
    CHECK(raw.find("Content-Type: text/plain; charset=UTF-8\r\n") != std::string::npos);
    ParsedMessage p = parse_mime_message(raw);
    CHECK(*p.text_part == "Hello Zoë\r\nsecond line\r\n");  // GMime ends the message with CRLF
    CHECK_FALSE(p.html_part);
  }
  SUBCASE("attachments are byte-exact in every transfer encoding") {
    SimpleMessage m = sample();
    std::string binary;
    for (int i = 0; i < 256; ++i)
      binary += static_cast<char>(i);
    Attachment pdf{"report é.pdf",
                   "application/pdf",
                   binary,
                   AttachmentDisposition::attachment,
                   "",
                   "Monthly report",
                   AttachmentTransferEncoding::base64};
    Attachment logo{"logo.png",
                    "image/png",
                    "\x89PNG\r\n\x1a\n",
                    AttachmentDisposition::inline_,
                    "logo1",
                    "",
                    AttachmentTransferEncoding::base64};
    Attachment notes{"notes.txt",
                     "text/plain",
                     "caf\xc3\xa9 = 1 + 1\n",
                     AttachmentDisposition::attachment,
                     "",
                     "",
                     AttachmentTransferEncoding::quoted_printable};
    Attachment ascii{"a.csv",
                     "text/csv",
                     "id,name\n1,x\n",
                     AttachmentDisposition::attachment,
                     "",
                     "",
                     AttachmentTransferEncoding::seven_bit};
    m.attachments = {pdf, logo, notes, ascii};
    std::string raw = build_mime_message(m);
    CHECK(raw.find("Content-Type: multipart/mixed;") != std::string::npos);
    CHECK(raw.find("Content-Disposition: inline; filename=logo.png\r\n") != std::string::npos);
    CHECK(raw.find("Content-Id: <logo1>\r\n") != std::string::npos);
    CHECK(raw.find("Content-Description: Monthly report\r\n") != std::string::npos);
    CHECK(raw.find("Content-Transfer-Encoding: quoted-printable\r\n") != std::string::npos);
    CHECK(raw.find("Content-Transfer-Encoding: 7bit\r\n") != std::string::npos);
    ParsedMessage p = parse_mime_message(raw);
    CHECK(*p.text_part == "Hello Zoë\r\nsecond line");
    CHECK(*p.html_part == "<p>Hello <b>Zoë</b></p>");
    REQUIRE(p.attachments.size() == 4);
    CHECK(p.attachments[0].file_name == "report é.pdf");
    CHECK(p.attachments[0].content_type == "application/pdf");
    CHECK(p.attachments[0].disposition == "attachment");
    CHECK(p.attachments[0].content_description == "Monthly report");
    CHECK(p.attachments[0].content == binary);
    CHECK(p.attachments[0].size() == 256);
    CHECK(p.attachments[1].content_id == "logo1");
    CHECK(p.attachments[1].disposition == "inline");
    CHECK(p.attachments[1].content == std::string("\x89PNG\r\n\x1a\n"));
    CHECK(p.attachments[2].content == "caf\xc3\xa9 = 1 + 1\r\n");  // text travels with CRLF
    CHECK(p.attachments[3].content_type == "text/csv");
    CHECK(p.attachments[3].content == "id,name\r\n1,x\r\n");
  }
  SUBCASE("bad input is a typed error") {
    SimpleMessage m = sample();
    m.from = "not an address <<";
    CHECK_THROWS_AS(build_mime_message(m), MimeError);
    m = sample();
    m.to = {"a@example.com, smuggled@example.com"};
    CHECK_THROWS_WITH_AS(build_mime_message(m),
                         "Illegal address in To: a@example.com, smuggled@example.com", MimeError);
    m = sample();
    m.from = "a@example.com\r\nBcc: evil@example.com";
    CHECK_THROWS_AS(build_mime_message(m), MimeError);
    m = sample();
    m.subject = "Hi\r\nBcc: evil@example.com";  // encoded, never a header of its own
    ParsedMessage p = parse_mime_message(build_mime_message(m));
    CHECK(p.bcc.empty());
    CHECK(p.subject == "Hi\r\nBcc: evil@example.com");
    m = sample();
    m.headers = {{"Bad Name", "x"}};
    try {
      build_mime_message(m);
      FAIL("expected MimeError");
    } catch (const MimeError& e) {
      CHECK(e.kind() == MimeError::Kind::invalid_content);
      CHECK(std::string(e.what()) == "Illegal header name 'Bad Name'.");
    }
    m = sample();
    Attachment bad;
    bad.file_name = "x";
    bad.content_type = "nonsense";
    m.attachments = {bad};
    CHECK_THROWS_WITH_AS(build_mime_message(m), "Invalid attachment content type: nonsense",
                         MimeError);
  }
}

TEST_CASE("parse_mime_message reads raw mail") {
  SUBCASE("a hand-written message with encoded words, folding and a Bcc header") {
    std::string raw =
        "From: =?UTF-8?Q?Ren=C3=A9?= <rene@example.com>\r\n"
        "To: x@example.com,\r\n y@example.com\r\n"
        "Bcc: hidden@example.com\r\n"
        "Subject: =?ISO-8859-1?Q?caf=E9?=\r\n"
        "Content-Type: text/plain; charset=ISO-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "caf=E9 au lait\r\n";
    ParsedMessage p = parse_mime_message(raw);
    CHECK(p.from == std::vector<MailboxAddress>{{"René", "rene@example.com"}});
    CHECK(p.to.size() == 2);
    CHECK(p.to[1].address == "y@example.com");
    CHECK(p.bcc == std::vector<MailboxAddress>{{"", "hidden@example.com"}});
    CHECK(p.subject == "café");
    CHECK(*p.text_part == "café au lait\r\n");
    CHECK(header(p, "To") == "x@example.com, y@example.com");
  }
  SUBCASE("malformed messages are refused with SES's wording") {
    std::string message;
    CHECK(parse_error("", &message) == MimeError::Kind::malformed);
    CHECK(message == "The message is empty.");
    CHECK(parse_error("<!DOCTYPE html>\r\n\r\n<html></html>", &message) ==
          MimeError::Kind::malformed);
    CHECK(message == "Illegal header '<!DOCTYPE html>'.");
    CHECK(parse_error("Subject: x\r\nnot a header line\r\n\r\nbody", &message) ==
          MimeError::Kind::malformed);
    CHECK(message == "Illegal header 'not a header line'.");
    CHECK(parse_error("Subject: x\r\n: no name\r\n\r\nbody", &message) ==
          MimeError::Kind::malformed);
    CHECK(message == "Empty header names are illegal.");
    CHECK(parse_error("Subject: x\r\nContent-Type: multipart/mixed\r\n\r\n--b\r\n\r\nx\r\n",
                      &message) == MimeError::Kind::malformed);
    CHECK(message == "A multipart part has no boundary.");
  }
}

TEST_CASE("build_mime_message: a second build of one content differs in Date and Message-Id only") {
  SimpleMessage first = sample();
  first.subject = "memo test";  // content no earlier test case built
  const std::string a = build_mime_message(first);
  SimpleMessage second = first;
  second.message_id = "0100018c-xyz@email.amazonses.com";
  second.date = std::chrono::system_clock::from_time_t(1700000000 + 86400 + 3600);
  const std::string b = build_mime_message(second);
  CHECK(b.size() == a.size());
  CHECK(b.find("Date: Wed, 15 Nov 2023 23:13:20 +0000\r\n") != std::string::npos);
  CHECK(b.find("Tue, 14 Nov 2023") == std::string::npos);
  CHECK(b.find("<0100018c-xyz@email.amazonses.com>") != std::string::npos);
  CHECK(b.find("0100018c-abc") == std::string::npos);
  ParsedMessage p = parse_mime_message(b);
  CHECK(p.message_id == "0100018c-xyz@email.amazonses.com");
  CHECK(p.subject == "memo test");
  REQUIRE(p.text_part);
  CHECK(*p.text_part == "Hello Zoë\r\nsecond line");
  SimpleMessage third = second;
  third.cc = {"d@example.com"};  // other content: built afresh
  const std::string c = build_mime_message(third);
  CHECK(parse_mime_message(c).cc.size() == 1);
  CHECK(parse_mime_message(c).cc[0].address == "d@example.com");
  CHECK(parse_mime_message(c).message_id == "0100018c-xyz@email.amazonses.com");
}

TEST_CASE("build_mime_message: a text part's transfer encoding is the one GMime picks") {
  // Plain ASCII takes a short path (no GMime filter); everything else is GMime's choice.
  auto encoding_of_text = [](const std::string& text) {
    SimpleMessage m = sample();
    m.text = text;
    m.html.reset();
    m.attachments.clear();
    const std::string raw = build_mime_message(m);
    const std::string field = "Content-Transfer-Encoding: ";
    auto at = raw.find(field);
    if (at == std::string::npos)
      return std::string("(none)");
    return raw.substr(at + field.size(), raw.find("\r\n", at) - at - field.size());
  };
  CHECK(encoding_of_text("Hello,\nplain ASCII.\n") == "(none)");
  CHECK(encoding_of_text(std::string(950, 'x')) == "(none)");  // past the short path's 900
  CHECK(encoding_of_text(std::string(999, 'x')) == "quoted-printable");
  CHECK(encoding_of_text("Un caf\xc3\xa9 au lait, s'il vous pla\xc3\xaet.") == "quoted-printable");
  CHECK(encoding_of_text("caf\xc3\xa9") == "base64");  // mostly 8-bit
  CHECK(encoding_of_text(std::string("a\0b", 3)) == "base64");
}

namespace {

// A build on a thread of its own: that thread has no message tree to refill, so this is
// always a build from new objects.
std::string built_afresh(const SimpleMessage& m) {
  std::string raw;
  std::thread([&] { raw = build_mime_message(m); }).join();
  return raw;
}

SimpleMessage plain(const std::string& to, const std::string& subject, const std::string& text) {
  SimpleMessage m;
  m.from = "bench@example.com";
  m.to = {to};
  m.subject = subject;
  m.text = text;
  m.message_id = "0100018c-" + std::to_string(subject.size()) + "@email.amazonses.com";
  m.date = std::chrono::system_clock::from_time_t(1700000000 + 7 * subject.size());
  return m;
}

}  // namespace

TEST_CASE("build_mime_message: a refilled message tree writes the bytes of a new one") {
  // Messages of one shape refill the tree the previous one left on this thread; the others
  // (and every shape change) build anew. Each must equal a build from new objects.
  std::vector<SimpleMessage> run;
  run.push_back(plain("a@example.com", "first", "Hello.\n"));
  run.push_back(plain("b@example.com", "second, longer subject", "Second body\nof two lines"));
  run.push_back(plain("Zo\xc3\xab <z@example.com>",
                      "Gr\xc3\xbc\xc3\x9f"
                      "e",
                      ""));
  SimpleMessage several = plain("c@example.com", "several", "x");
  several.to = {"c@example.com", "\"D, Person\" <d@example.com>", "e@example.com"};
  run.push_back(several);
  run.push_back(plain("f@example.com", std::string(200, 's') + " folded subject", "y"));
  SimpleMessage html = plain("g@example.com", "html", "");
  html.text.reset();
  html.html = "<p>hi</p>";
  run.push_back(html);
  run.push_back(plain("h@example.com", "back to text", "z"));
  SimpleMessage other_from = plain("i@example.com", "other sender", "z");
  other_from.from = "Other <other@example.com>";
  run.push_back(other_from);
  run.push_back(plain("j@example.com", "sender again", "z"));
  SimpleMessage with_cc = plain("k@example.com", "with cc", "z");
  with_cc.cc = {"cc@example.com"};
  run.push_back(with_cc);
  run.push_back(plain("l@example.com", "after cc", "caf\xc3\xa9 needs an encoding"));
  run.push_back(plain("m@example.com", "plain again", "ascii"));
  // Same subject length, same second: the second keeps the first's Date header.
  run.push_back(plain("p@example.com", "same size A", "1"));
  run.push_back(plain("q@example.com", "same size B", "2"));
  SimpleMessage empty_text = plain("n@example.com", "no text", "");
  empty_text.text.reset();
  run.push_back(empty_text);
  for (std::size_t i = 0; i < run.size(); ++i) {
    CAPTURE(i);
    CHECK(build_mime_message(run[i]) == built_afresh(run[i]));
  }
  // A refill that fails on a bad address leaves nothing half-filled for the next message.
  bool refused = false;
  try {
    build_mime_message(plain("not an address <", "bad", "z"));
  } catch (const MimeError& e) {
    refused = e.kind() == MimeError::Kind::invalid_address;
  }
  CHECK(refused);
  const SimpleMessage after = plain("o@example.com", "after a failure", "z");
  CHECK(build_mime_message(after) == built_afresh(after));
}
