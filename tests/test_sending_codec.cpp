// JSON shapes of the identity operations.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "server/api/sending_codec.hpp"
#include "server/core/errors.hpp"

using namespace sesv2mock;

TEST_CASE("codec: DKIM tokens are three stable, distinct 32-character strings per domain") {
  auto a = dkim_tokens("example.com");
  REQUIRE(a.size() == 3);
  CHECK(a == dkim_tokens("example.com"));
  CHECK(a != dkim_tokens("example.org"));
  for (const auto& t : a) {
    CHECK(t.size() == 32);
    CHECK(t.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz") == std::string::npos);
  }
  CHECK(a[0] != a[1]);
  CHECK(a[1] != a[2]);
}

TEST_CASE("codec: CreateEmailIdentity response: DKIM for a domain only") {
  IdentityView v;
  v.identity.identity_name = "a@example.com";
  v.identity.type = IdentityType::EmailAddress;
  v.verified_for_sending = true;
  CHECK(boost::json::serialize(created_identity_to_json(v)) ==
        R"({"IdentityType":"EMAIL_ADDRESS","VerifiedForSendingStatus":true})");
  v.identity.identity_name = "example.com";
  v.identity.type = IdentityType::Domain;
  v.identity.status = VerificationStatus::Pending;
  v.identity.created_timestamp = 5;
  v.verified_for_sending = false;
  auto out = created_identity_to_json(v);
  const auto& dkim = out.at("DkimAttributes").as_object();
  CHECK(dkim.at("SigningEnabled").as_bool());
  CHECK(dkim.at("Status").as_string() == "PENDING");
  CHECK(dkim.at("Tokens").as_array().size() == 3);
  CHECK(dkim.at("SigningAttributesOrigin").as_string() == "AWS_SES");
  CHECK(dkim.at("NextSigningKeyLength").as_string() == "RSA_2048_BIT");
  CHECK(dkim.at("CurrentSigningKeyLength").as_string() == "RSA_2048_BIT");
}

TEST_CASE("codec: GetEmailIdentity shape") {
  IdentityView v;
  v.identity.identity_name = "a@example.com";
  v.identity.type = IdentityType::EmailAddress;
  v.identity.status = VerificationStatus::TemporaryFailure;
  v.identity.configuration_set_name = "cs";
  v.identity.tags = {{"k", "v"}};
  CHECK(boost::json::serialize(identity_to_json(v)) ==
        R"({"IdentityType":"EMAIL_ADDRESS","FeedbackForwardingStatus":true,)"
        R"("VerifiedForSendingStatus":false,"DkimAttributes":{"SigningEnabled":false,)"
        R"("Status":"NOT_STARTED","SigningAttributesOrigin":"AWS_SES",)"
        R"("NextSigningKeyLength":"RSA_1024_BIT"},"MailFromAttributes":)"
        R"({"BehaviorOnMxFailure":"USE_DEFAULT_VALUE"},"Policies":{},)"
        R"("Tags":[{"Key":"k","Value":"v"}],"VerificationStatus":"TEMPORARY_FAILURE",)"
        R"("VerificationInfo":{},"ConfigurationSetName":"cs"})");
}

TEST_CASE("codec: CreateEmailIdentity request members") {
  auto r = parse_create_email_identity(
      boost::json::parse(
          R"({"EmailIdentity": "example.com", "ConfigurationSetName": "cs",
          "Tags": [{"Key": "a", "Value": "b"}], "DkimSigningAttributes": {}})")
          .as_object());
  CHECK(r.email_identity == "example.com");
  CHECK(r.configuration_set_name == "cs");
  CHECK(r.tags.size() == 1);
  CHECK(r.has_dkim_signing_attributes);
  try {
    parse_create_email_identity(boost::json::parse("{}").as_object());
    FAIL("expected an error");
  } catch (const ApiError& e) {
    CHECK(e.code() == "BadRequestException");
    CHECK(e.field() == "emailIdentity");
  }
}
