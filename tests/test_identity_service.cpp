// Email identities through IdentityService (no socket): creation rules, lookups that ignore
// the domain's case, paging, deletion and the control API's status change.
#include <doctest/doctest.h>

#include "sending_test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::api_error_of;
using sesv2mock::testing::SendingWorld;

TEST_CASE("identity: an address and a domain are created verified, by the presence of '@'") {
  SendingWorld w;
  auto address = w.create_identity("Sender@Example.COM");
  CHECK(address.identity.type == IdentityType::EmailAddress);
  CHECK(address.identity.identity_name == "Sender@example.com");
  CHECK(address.identity.status == VerificationStatus::Success);
  CHECK(address.verified_for_sending);

  auto domain = w.create_identity("Mail.Example.ORG");
  CHECK(domain.identity.type == IdentityType::Domain);
  CHECK(domain.identity.identity_name == "mail.example.org");
  CHECK(domain.verified_for_sending);
}

TEST_CASE("identity: creating one that exists is AlreadyExistsException with SES's wording") {
  SendingWorld w;
  w.create_identity("example.com");
  CHECK(api_error_of([&] { w.create_identity("EXAMPLE.com"); }) ==
        std::pair<std::string, std::string>{"AlreadyExistsException",
                                            "Email identity example.com already exist."});
  w.create_identity("a@example.com");
  CHECK(api_error_of([&] { w.create_identity("a@EXAMPLE.COM"); }).first ==
        "AlreadyExistsException");
  // The local part is compared as written.
  CHECK(w.create_identity("A@example.com").identity.identity_name == "A@example.com");
}

TEST_CASE("identity: invalid names are BadRequestException") {
  SendingWorld w;
  for (const char* bad : {"bad domain", "nodot", "-x.com", "x-.com", "a..b.com", "@example.com",
                          "a@", "a@b@c", "x_y.com"}) {
    CAPTURE(bad);
    auto [code, message] = api_error_of([&] { w.create_identity(bad); });
    CHECK(code == "BadRequestException");
    CHECK(message == std::string("Invalid email identity: ") + bad +
                         ". It must be an email address or a domain name.");
  }
  CHECK(api_error_of([&] { w.create_identity(""); }).second ==
        "1 validation error detected: Value at 'emailIdentity' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  CHECK(api_error_of([&] { w.create_identity(std::string(64, 'a') + ".com"); }).first ==
        "BadRequestException");
}

TEST_CASE("identity: configuration set must exist, tags are checked, DKIM only for domains") {
  SendingWorld w;
  CreateEmailIdentityRequest r;
  r.email_identity = "a@example.com";
  r.configuration_set_name = "missing";
  CHECK(api_error_of([&] { w.identities.create(w.ctx, r); }) ==
        std::pair<std::string, std::string>{"NotFoundException",
                                            "Configuration set <missing> does not exist."});
  w.create_set("missing");
  CHECK(w.identities.create(w.ctx, r).identity.configuration_set_name == "missing");

  CreateEmailIdentityRequest tagged;
  tagged.email_identity = "b@example.com";
  tagged.tags = {{"aws:x", "1"}};
  CHECK(api_error_of([&] { w.identities.create(w.ctx, tagged); }).first == "BadRequestException");
  CHECK(!w.identity_store.find(w.ctx.partition, "b@example.com"));

  CreateEmailIdentityRequest dkim;
  dkim.email_identity = "c@example.com";
  dkim.has_dkim_signing_attributes = true;
  CHECK(api_error_of([&] { w.identities.create(w.ctx, dkim); }).first == "BadRequestException");
  dkim.email_identity = "example.net";
  CHECK(w.identities.create(w.ctx, dkim).identity.type == IdentityType::Domain);
}

TEST_CASE("identity: get, delete and NotFoundException") {
  SendingWorld w;
  CreateEmailIdentityRequest r;
  r.email_identity = "example.com";
  r.tags = {{"team", "mail"}};
  w.identities.create(w.ctx, r);
  auto got = w.identities.get(w.ctx, "Example.Com");
  CHECK(got.identity.identity_name == "example.com");
  REQUIRE(got.identity.tags.size() == 1);
  CHECK(got.identity.tags[0].key == "team");
  CHECK(got.identity.tags[0].value == "mail");
  CHECK(got.identity.created_timestamp > 0);

  w.identities.erase(w.ctx, "EXAMPLE.com");
  CHECK(api_error_of([&] { w.identities.get(w.ctx, "example.com"); }) ==
        std::pair<std::string, std::string>{"NotFoundException",
                                            "Email identity example.com does not exist."});
  CHECK(api_error_of([&] { w.identities.erase(w.ctx, "example.com"); }).first ==
        "NotFoundException");
}

TEST_CASE("identity: partitions do not see each other's identities") {
  SendingWorld w;
  w.create_identity("example.com");
  RequestContext other;
  other.partition.account = "111111111111";
  CHECK(api_error_of([&] { w.identities.get(other, "example.com"); }).first == "NotFoundException");
  other.partition = w.ctx.partition;
  other.partition.region = "eu-west-1";
  CHECK(w.identities.list(other, {}).rows.empty());
}

TEST_CASE("identity: list pages in key order with a NextToken until the end") {
  SendingWorld w;
  for (const char* n : {"d.com", "a@b.com", "c.com", "b.com", "z@b.com"})
    w.create_identity(n);
  std::vector<std::string> seen;
  PageRequest page;
  page.page_size = 2;
  int pages = 0;
  while (true) {
    auto result = w.identities.list(w.ctx, page);
    ++pages;
    for (const auto& v : result.rows)
      seen.push_back(v.identity.identity_name);
    if (!result.next_token)
      break;
    page.next_token = result.next_token;
  }
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::string>{"a@b.com", "b.com", "c.com", "d.com", "z@b.com"});

  PageRequest zero;
  zero.page_size = 0;  // "at least 0" in the model: the default page size
  CHECK(w.identities.list(w.ctx, zero).rows.size() == 5);
  PageRequest too_big;
  too_big.page_size = 1001;
  CHECK(api_error_of([&] { w.identities.list(w.ctx, too_big); }).second ==
        "1 validation error detected: Value at 'pageSize' failed to satisfy constraint: "
        "Member must be between 1 and 1000");
  PageRequest forged;
  forged.next_token = "not-a-token";
  CHECK(api_error_of([&] { w.identities.list(w.ctx, forged); }).first == "BadRequestException");
}

TEST_CASE("identity: the control API sets the status; an address at a verified domain may send") {
  SendingWorld w;
  w.create_identity("a@example.com");
  auto v = w.identities.set_status(w.ctx.partition, "a@example.com", VerificationStatus::Pending);
  CHECK(v.identity.status == VerificationStatus::Pending);
  CHECK_FALSE(v.verified_for_sending);
  CHECK(w.identities.get(w.ctx, "a@example.com").identity.status == VerificationStatus::Pending);

  w.create_identity("example.com");
  CHECK(w.identities.get(w.ctx, "a@example.com").verified_for_sending);
  w.identities.set_status(w.ctx.partition, "example.com", VerificationStatus::Failed);
  CHECK_FALSE(w.identities.get(w.ctx, "a@example.com").verified_for_sending);
  CHECK_FALSE(w.identities.get(w.ctx, "example.com").verified_for_sending);

  CHECK(api_error_of([&] {
          w.identities.set_status(w.ctx.partition, "nobody@example.com",
                                  VerificationStatus::Success);
        }).second == "Email identity nobody@example.com does not exist.");
}
