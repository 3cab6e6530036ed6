// SendService over an in-memory database, with SendingRules standing in for identities,
// the account and configuration sets.
#include <doctest/doctest.h>

#include <set>

#include "server/core/page_token.hpp"
#include "server/core/paging.hpp"
#include "server/sending/recipient_fate.hpp"
#include "server/sending/send_service.hpp"
#include "storage/contact_store.hpp"
#include "storage/database.hpp"
#include "storage/message_store.hpp"
#include "storage/suppression_store.hpp"
#include "storage/template_store.hpp"

using namespace sesv2mock;

namespace {

struct Fixture {
  storage::Database db{":memory:"};
  storage::TemplateStore template_store{db};
  storage::MessageStore messages{db};
  storage::SuppressionStore suppression{db};
  storage::ContactStore contacts{db};
  PageTokenCodec tokens{"test-key"};
  Pager pager{tokens};
  TemplateService templates{template_store, pager};
  UnsubscribeLinks links{tokens, contacts};
  std::set<std::string> verified{"example.com"};
  AccountRules account;
  std::optional<ConfigurationSetRules> set;
  SendService service{rules(), templates, messages, suppression, contacts, links};
  RequestContext ctx{Partition{"111111111111", "us-west-2"}, "localhost:1234", "rid"};

  SendingRules rules() {
    SendingRules r;
    r.is_verified = [this](const Partition&, std::string_view a) {
      auto at = a.rfind('@');
      return verified.count(std::string(a)) || verified.count(std::string(a.substr(at + 1)));
    };
    r.account = [this](const Partition&) { return account; };
    r.configuration_set = [this](const Partition&, std::string_view) { return set; };
    return r;
  }

  SendEmailRequest simple(std::vector<std::string> to) {
    SendEmailRequest r;
    r.from = "me@example.com";
    r.destination = Destination{std::move(to), {}, {}};
    r.subject = "Hello";
    r.text = "Body";
    return r;
  }

  std::string fate_of(const std::string& id, std::size_t i = 0) {
    return messages.find(id)->recipients.at(i).fate;
  }
};

std::string error_of(const std::function<void()>& f, std::string* code = nullptr) {
  try {
    f();
  } catch (const ApiError& e) {
    if (code)
      *code = e.code();
    return e.message();
  }
  return "no error";
}

}  // namespace

TEST_CASE("send: delivered message is stored with MIME, SEND then DELIVERY") {
  Fixture f;
  auto id = f.service.send_email(f.ctx, f.simple({"to@example.com"}));
  auto m = f.messages.find(id);
  REQUIRE(m);
  CHECK(m->kind == "SIMPLE");
  CHECK(m->raw_mime.find("Subject: Hello") != std::string::npos);
  CHECK(m->raw_mime.find("Message-Id: <" + id + "@email.amazonses.com>") != std::string::npos);
  REQUIRE(m->recipients.size() == 1);
  CHECK(m->recipients[0].fate == "DELIVERED");
  CHECK(m->recipients[0].events.size() == 2);
  CHECK(f.messages.count_sent_since(f.ctx.partition, 0) == 1);
}

TEST_CASE("send: refusals with SES's codes and messages") {
  Fixture f;
  std::string code;
  auto req = f.simple({"to@example.com"});
  req.from = "x@other.org";
  CHECK(error_of([&] { f.service.send_email(f.ctx, req); }, &code) ==
        "Email address is not verified. The following identities failed the check in region "
        "US-WEST-2: x@other.org");
  CHECK(code == "MessageRejected");
  f.account.production_access_enabled = false;
  CHECK(error_of([&] {
          f.service.send_email(f.ctx, f.simple({"a@x.org", "success@simulator.amazonses.com"}));
        }) ==
        "Email address is not verified. The following identities failed the check in region "
        "US-WEST-2: a@x.org");
  f.account.production_access_enabled = true;
  f.account.sending_enabled = false;
  CHECK(error_of([&] { f.service.send_email(f.ctx, f.simple({"a@example.com"})); }, &code) ==
        "Email sending is paused for this account.");
  CHECK(code == "SendingPausedException");
  f.account.sending_enabled = true;
  auto with_set = f.simple({"a@example.com"});
  with_set.configuration_set = "cs";
  CHECK(error_of([&] { f.service.send_email(f.ctx, with_set); }, &code) ==
        "Configuration set cs does not exist.");
  CHECK(code == "NotFoundException");
  std::vector<std::string> many(51, "a@example.com");
  CHECK(error_of([&] { f.service.send_email(f.ctx, f.simple(many)); }) ==
        "Recipient count exceeds 50.");
  CHECK(error_of([&] { f.service.send_email(f.ctx, f.simple({})); }) ==
        "There are no recipients specified.");
  f.service.set_max_message_bytes(100);
  auto big = f.simple({"a@example.com"});
  big.text = std::string(200, 'x');
  CHECK(error_of([&] { f.service.send_email(f.ctx, big); }, &code)
            .starts_with("Message length is more than 100 bytes long: '"));
  CHECK(code == "BadRequestException");
  CHECK(f.messages.list({}).empty());
}

TEST_CASE("send: suppression follows the configuration set's override") {
  Fixture f;
  f.suppression.put(f.ctx.partition, {"b@example.com", SuppressionReason::Bounce, 1});
  f.suppression.put(f.ctx.partition, {"c@example.com", SuppressionReason::Complaint, 1});
  auto id = f.service.send_email(f.ctx, f.simple({"b@example.com", "c@example.com"}));
  CHECK(f.fate_of(id, 0) == "SUPPRESSED");
  CHECK(f.fate_of(id, 1) == "SUPPRESSED");
  auto ev = f.messages.find(id)->recipients[0].events;
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].bounce_sub_type == std::optional<std::string>("OnAccountSuppressionList"));
  f.set = ConfigurationSetRules{true, std::vector<SuppressionReason>{}};  // override: none
  auto req = f.simple({"b@example.com"});
  req.configuration_set = "cs";
  CHECK(f.fate_of(f.service.send_email(f.ctx, req)) == "DELIVERED");
  f.set = ConfigurationSetRules{true, std::nullopt};  // no override: the account's reasons
  CHECK(f.fate_of(f.service.send_email(f.ctx, req)) == "SUPPRESSED");
}

TEST_CASE("send: templates render, missing data is a rendering failure") {
  Fixture f;
  f.templates.create(f.ctx, "t", {std::string("Hi {{n}}"), std::string("Dear {{n}}"), std::nullopt},
                     {});
  SendEmailRequest r = f.simple({"a@example.com"});
  r.kind = ContentKind::Template;
  r.template_ref.name = "t";
  r.template_ref.data = R"({"n":"Ann"})";
  auto id = f.service.send_email(f.ctx, r);
  CHECK(f.messages.find(id)->subject == "Hi Ann");
  r.template_ref.data = "{}";
  id = f.service.send_email(f.ctx, r);
  CHECK(f.fate_of(id) == "RENDERING_FAILED");
  CHECK(f.messages.find(id)->recipients[0].events[0].type == "RENDERING_FAILURE");
  r.template_ref.name = "missing";
  CHECK(error_of([&] { f.service.send_email(f.ctx, r); }) == "Template missing does not exist.");
}

TEST_CASE("send: list management decides per topic and adds unknown recipients") {
  Fixture f;
  ContactList list;
  list.contact_list_name = "news";
  list.topics = {{"weekly", "Weekly", "", SubscriptionStatus::OptOut}};
  REQUIRE(f.contacts.create_list(f.ctx.partition, list, 10) == storage::ListCreateOutcome::Created);
  Contact in;
  in.email_address = "in@example.com";
  in.topic_preferences = {{"weekly", SubscriptionStatus::OptIn}};
  f.contacts.create_contact(f.ctx.partition, "news", in, {});
  auto req = f.simple({"in@example.com", "new@example.com"});
  req.list_management = ListManagementOptions{"news", std::string("weekly")};
  auto id = f.service.send_email(f.ctx, req);
  CHECK(f.fate_of(id, 0) == "DELIVERED");
  CHECK(f.fate_of(id, 1) == "UNSUBSCRIBED");  // no preference, topic default OPT_OUT
  CHECK(f.contacts.find_contact(f.ctx.partition, "news", "new@example.com"));
  CHECK(f.messages.find(id)->raw_mime.find("List-Unsubscribe") == std::string::npos);
  auto one = f.simple({"in@example.com"});
  one.text = "{{amazonSESUnsubscribeUrl}} {{amazonSESUnsubscribeUrl}} {{amazonSESUnsubscribeUrl}}";
  one.list_management = req.list_management;
  auto raw = f.messages.find(f.service.send_email(f.ctx, one))->raw_mime;
  // Not folded nor encoded (a URL in encoded words is useless to mail clients).
  CHECK(raw.starts_with("List-Unsubscribe: <http://localhost:1234/_mock/unsubscribe/"));
  CHECK(raw.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click") != std::string::npos);
  CHECK(raw.find("{{amazonSESUnsubscribeUrl}}") != std::string::npos);  // only two replaced
  auto target = f.links.decode(
      f.links.url("h", {f.ctx.partition, "news", std::string("weekly"), "in@example.com"})
          .substr(std::string("http://h/_mock/unsubscribe/").size()));
  REQUIRE(target);
  CHECK(f.links.unsubscribe(*target));
  CHECK(f.fate_of(f.service.send_email(f.ctx, one)) == "UNSUBSCRIBED");
  auto unknown = f.simple({"a@example.com"});
  unknown.list_management = ListManagementOptions{"nope", std::nullopt};
  CHECK(error_of([&] { f.service.send_email(f.ctx, unknown); }) ==
        "List with name: nope doesn't exist.");
}

TEST_CASE("send: bulk entries get their own status") {
  Fixture f;
  f.templates.create(f.ctx, "t", {std::string("Hi {{n}}"), std::string("x"), std::nullopt}, {});
  SendBulkEmailRequest r;
  r.from = "me@example.com";
  r.default_template.name = "t";
  r.default_template.data = R"({"n":"d"})";
  r.entries = {BulkEntry{{{"a@example.com"}, {}, {}}, {}, {}, std::string(R"({"n":"a"})"), {}},
               BulkEntry{{{"bad"}, {}, {}}, {}, {}, std::nullopt, {}}};
  auto out = f.service.send_bulk_email(f.ctx, r);
  REQUIRE(out.size() == 2);
  CHECK(out[0].status == "SUCCESS");
  CHECK(f.messages.find(*out[0].message_id)->subject == "Hi a");
  CHECK(out[1].status == "INVALID_PARAMETER");
  CHECK(*out[1].error == "Missing final '@domain'");
  r.default_template.name = "missing";
  CHECK(f.service.send_bulk_email(f.ctx, r)[0].status == "TEMPLATE_NOT_FOUND");
}

TEST_CASE("recipient fate helpers: simulator addresses and ISPs") {
  CHECK(simulator_address("Bounce+label@Simulator.AmazonSES.com") == SimulatorAddress::Bounce);
  CHECK_FALSE(simulator_address("bounce@example.com"));
  CHECK_FALSE(simulator_address("other@simulator.amazonses.com"));
  CHECK(isp_of("a@gmail.com") == "Gmail");
  CHECK(isp_of("a@yahoo.co.uk") == "Yahoo");
  CHECK(isp_of("a@hotmail.com") == "Outlook");
  CHECK(isp_of("a@example.com") == "Other");
  CHECK(new_message_id().size() == 60);
  CHECK(address_part("Name <a@b.com>") == "a@b.com");
}
