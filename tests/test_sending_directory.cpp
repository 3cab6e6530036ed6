// SendingDirectory: what the send path asks (verified senders, account settings under
// --sandbox, configuration sets).
#include <doctest/doctest.h>

#include "sending_test_support.hpp"

using namespace sesv2mock;
using sesv2mock::testing::SendingWorld;

TEST_CASE("directory: an address is verified by itself or by its domain, with status SUCCESS") {
  SendingWorld w;
  const Partition& p = w.ctx.partition;
  CHECK_FALSE(w.directory.is_verified(p, "a@example.com"));
  w.create_identity("a@example.com");
  CHECK(w.directory.is_verified(p, "a@example.com"));
  CHECK_FALSE(w.directory.is_verified(p, "b@example.com"));
  CHECK_FALSE(w.directory.is_verified(p, "A@example.com"));  // local part as written

  w.create_identity("Example.COM");
  CHECK(w.directory.is_verified(p, "b@example.com"));
  CHECK(w.directory.is_verified(p, "anyone@EXAMPLE.com"));
  CHECK_FALSE(w.directory.is_verified(p, "b@sub.example.com"));  // a domain covers itself only
  CHECK_FALSE(w.directory.is_verified(p, "b@example.org"));

  for (auto status : {VerificationStatus::Pending, VerificationStatus::Failed,
                      VerificationStatus::TemporaryFailure, VerificationStatus::NotStarted}) {
    CAPTURE(to_string(status));
    w.identities.set_status(p, "example.com", status);
    CHECK_FALSE(w.directory.is_verified(p, "b@example.com"));
    CHECK(w.directory.is_verified(p, "a@example.com"));  // still verified itself
  }
  w.identities.set_status(p, "a@example.com", VerificationStatus::Pending);
  CHECK_FALSE(w.directory.is_verified(p, "a@example.com"));
  w.identities.set_status(p, "example.com", VerificationStatus::Success);
  CHECK(w.directory.is_verified(p, "a@example.com"));  // the domain covers it again

  Partition other = p;
  other.account = "222222222222";
  CHECK_FALSE(w.directory.is_verified(other, "b@example.com"));
}

TEST_CASE("directory: account defaults, stored changes and --sandbox") {
  SendingWorld w;
  const Partition& p = w.ctx.partition;
  auto a = w.directory.account(p);
  CHECK(a.sending_enabled);
  CHECK(a.production_access_enabled);
  CHECK(a.suppressed_reasons ==
        std::vector<SuppressionReason>{SuppressionReason::Bounce, SuppressionReason::Complaint});
  CHECK(a.max_24_hour_send == 50000);
  CHECK(a.max_send_rate == 14);

  w.account.put_sending_attributes(w.ctx, false);
  w.account.put_suppression_attributes(w.ctx, {});
  a = w.directory.account(p);
  CHECK_FALSE(a.sending_enabled);
  CHECK(a.suppressed_reasons.empty());

  w.settings.sandbox = true;
  a = w.directory.account(p);
  CHECK_FALSE(a.production_access_enabled);
  CHECK(a.max_24_hour_send == 200);
  CHECK(a.max_send_rate == 1);
  CHECK_FALSE(a.sending_enabled);  // stored settings still apply

  Partition other = p;
  other.region = "eu-west-1";
  CHECK(w.directory.account(other).sending_enabled);
}

TEST_CASE("directory: an identity by name, and the default configuration set of a sender") {
  SendingWorld w;
  const Partition& p = w.ctx.partition;
  w.create_set("domain-cs");
  w.create_set("own-cs");
  CreateEmailIdentityRequest domain;
  domain.email_identity = "example.com";
  domain.configuration_set_name = "domain-cs";
  w.identities.create(w.ctx, domain);
  CHECK(w.directory.default_configuration_set(p, "any@example.com") == "domain-cs");
  CHECK(w.directory.default_configuration_set(p, "any@example.org") == std::nullopt);

  w.create_identity("plain@example.com");  // no set of its own: the domain's applies
  CHECK(w.directory.default_configuration_set(p, "plain@example.com") == "domain-cs");
  CreateEmailIdentityRequest own;
  own.email_identity = "own@example.com";
  own.configuration_set_name = "own-cs";
  w.identities.create(w.ctx, own);
  CHECK(w.directory.default_configuration_set(p, "own@example.com") == "own-cs");

  auto found = w.directory.identity(p, "EXAMPLE.com");
  REQUIRE(found);
  CHECK(found->identity_name == "example.com");
  CHECK(found->type == IdentityType::Domain);
  CHECK_FALSE(w.directory.identity(p, "nobody@example.com"));
}

TEST_CASE("directory: configuration sets by exact name, with their suppression override") {
  SendingWorld w;
  const Partition& p = w.ctx.partition;
  CHECK_FALSE(w.directory.configuration_set(p, "cs"));
  w.create_set("cs");
  auto cs = w.directory.configuration_set(p, "cs");
  REQUIRE(cs);
  CHECK(cs->name == "cs");
  CHECK_FALSE(cs->suppressed_reasons);
  CHECK(cs->sending_enabled);
  CHECK_FALSE(w.directory.configuration_set(p, "CS"));

  w.sets.put_suppression_options(w.ctx, "cs", std::vector<SuppressionReason>{});
  cs = w.directory.configuration_set(p, "cs");
  REQUIRE(cs->suppressed_reasons);
  CHECK(cs->suppressed_reasons->empty());
  w.sets.put_sending_options(w.ctx, "cs", false);
  CHECK_FALSE(w.directory.configuration_set(p, "cs")->sending_enabled);
}

TEST_CASE("directory: the sending identity of VDM metrics, the address before its domain") {
  SendingWorld w;
  const Partition& p = w.ctx.partition;
  CHECK(w.directory.sending_identity(p, "a@example.com") == "example.com");  // nothing verified
  w.create_identity("example.com");
  w.create_identity("vip@example.com");
  CHECK(w.directory.sending_identity(p, "a@example.com") == "example.com");
  CHECK(w.directory.sending_identity(p, "vip@example.com") == "vip@example.com");
  w.identities.set_status(p, "vip@example.com", VerificationStatus::Pending);
  CHECK(w.directory.sending_identity(p, "vip@example.com") == "example.com");
  Partition other = p;
  other.account = "222222222222";
  CHECK(w.directory.sending_identity(other, "vip@example.com") == "example.com");
}

TEST_CASE("directory: with its cache on, every write shows in the next answer") {
  SendingWorld w;
  w.directory.use_cache(w.db);
  const Partition& p = w.ctx.partition;
  CHECK_FALSE(w.directory.is_verified(p, "a@example.com"));  // cached "no"
  CHECK_FALSE(w.directory.is_verified(p, "a@example.com"));
  w.create_identity("example.com");
  CHECK(w.directory.is_verified(p, "a@example.com"));
  w.identities.set_status(p, "example.com", VerificationStatus::Pending);
  CHECK_FALSE(w.directory.is_verified(p, "a@example.com"));

  CHECK(w.directory.account(p).sending_enabled);
  w.account.put_sending_attributes(w.ctx, false);
  CHECK_FALSE(w.directory.account(p).sending_enabled);
  w.settings.sandbox = true;  // not a database write: the cache is keyed by it
  CHECK_FALSE(w.directory.account(p).production_access_enabled);
  w.settings.sandbox = false;
  CHECK(w.directory.account(p).production_access_enabled);

  CHECK_FALSE(w.directory.configuration_set(p, "cs"));
  w.create_set("cs");
  REQUIRE(w.directory.configuration_set(p, "cs"));
  CHECK(w.directory.configuration_set(p, "cs")->sending_enabled);
  w.sets.put_sending_options(w.ctx, "cs", false);
  CHECK_FALSE(w.directory.configuration_set(p, "cs")->sending_enabled);
}
