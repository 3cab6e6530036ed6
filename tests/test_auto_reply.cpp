// The mailbox simulator's out-of-the-office reply and the raw header edit used when SES
// overrides a raw message's List-Unsubscribe headers.
#include <doctest/doctest.h>

#include "server/sending/auto_reply.hpp"
#include "server/sending/mime_message.hpp"
#include "server/sending/raw_headers.hpp"

using namespace sesv2mock;

TEST_CASE("auto_reply_destination: forwarding address, then Return-Path, then the sender") {
  CHECK(auto_reply_destination(std::string("Bounces <b@example.com>"),
                               std::string("<r@example.com>"), "s@example.com") == "b@example.com");
  CHECK(auto_reply_destination(std::nullopt, std::string("<r@example.com>"), "s@example.com") ==
        "r@example.com");
  CHECK(auto_reply_destination(std::nullopt, std::string("<>"), "s@example.com") ==
        "s@example.com");  // a null Return-Path names nobody
  CHECK(auto_reply_destination(std::nullopt, std::string("not an address"), "s@example.com") ==
        "s@example.com");
  CHECK(auto_reply_destination(std::nullopt, std::string("<R@Example.COM>"), "s@example.com") ==
        "R@example.com");
  CHECK(auto_reply_destination(std::nullopt, std::nullopt, "s@example.com") == "s@example.com");
}

TEST_CASE("ooto_auto_reply: RFC 3834 headers, From the simulator, To the destination") {
  StoredMessage original;
  original.message_id = "orig";
  original.partition = Partition{"111111111111", "eu-west-1"};
  original.subject = "Plans";
  original.created_timestamp = 1234.5;
  auto reply = ooto_auto_reply(
      {&original, "orig@email.amazonses.com", "ooto+x@simulator.amazonses.com", "s@example.com"});
  CHECK(reply.kind == "AUTO_REPLY");
  CHECK(reply.message_id != "orig");
  CHECK(reply.partition == original.partition);
  CHECK(reply.source == "ooto+x@simulator.amazonses.com");
  CHECK(reply.subject == "Auto: Plans");
  CHECK(reply.created_timestamp == 1234.5);
  CHECK(reply.destination_json == R"({"ToAddresses":["s@example.com"]})");
  REQUIRE(reply.recipients.size() == 1);
  CHECK(reply.recipients[0].address == "s@example.com");
  CHECK(reply.recipients[0].fate == "RECEIVED");
  CHECK(reply.recipients[0].events.empty());
  auto parsed = parse_mime_message(reply.raw_mime);
  CHECK(parsed.subject == "Auto: Plans");
  REQUIRE(parsed.from.size() == 1);
  CHECK(parsed.from[0].address == "ooto+x@simulator.amazonses.com");
  REQUIRE(parsed.to.size() == 1);
  CHECK(parsed.to[0].address == "s@example.com");
  auto header = [&](std::string_view name) {
    for (const auto& h : parsed.headers)
      if (h.name == name)
        return h.value;
    return std::string("(none)");
  };
  CHECK(header("Auto-Submitted") == "auto-replied");
  CHECK(header("In-Reply-To") == "<orig@email.amazonses.com>");
  CHECK(header("References") == "<orig@email.amazonses.com>");
  CHECK(parsed.message_id == reply.message_id + "@simulator.amazonses.com");
}

TEST_CASE("drop_header_fields: named fields and their folded lines, never the body") {
  const std::string raw =
      "From: a@example.com\r\n"
      "list-unsubscribe: <https://x/u>,\r\n"
      "\t<mailto:u@x>\r\n"
      "Subject: s\r\n"
      "List-Unsubscribe-Post : List-Unsubscribe=One-Click\r\n"
      "X-List-Unsubscribe: kept\r\n"
      "\r\n"
      "List-Unsubscribe: body text\r\n";
  CHECK(drop_header_fields(raw, {"List-Unsubscribe", "List-Unsubscribe-Post"}) ==
        "From: a@example.com\r\n"
        "Subject: s\r\n"
        "X-List-Unsubscribe: kept\r\n"
        "\r\n"
        "List-Unsubscribe: body text\r\n");
  // LF line ends, and a message without a body.
  CHECK(drop_header_fields("A: 1\nB: 2\n  more\nC: 3\n", {"b"}) == "A: 1\nC: 3\n");
  CHECK(drop_header_fields("", {"b"}).empty());
}
