"""Email identities, configuration sets and the account through boto3 (and AWS CLI v2 for
ListEmailIdentities), the control route that sets an identity's verification status,
/_mock/reset, fixtures and --sandbox. Each test works in its own account."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (READY_RE, REPO_ROOT, ServerTestCase, control,  # noqa: E402
                     server_binary, unique_account)

AWS_V2 = os.environ.get("SESV2_E2E_AWS_V2", "/usr/bin/aws")
DKIM_TOKEN_CHARS = set("0123456789abcdefghijklmnopqrstuvwxyz")


def strip(resp):
    resp = dict(resp)
    resp.pop("ResponseMetadata", None)
    return resp


def list_all_identities(ses, page_size):
    names, pages, token = [], 0, None
    while True:
        kwargs = {"PageSize": page_size}
        if token:
            kwargs["NextToken"] = token
        resp = ses.list_email_identities(**kwargs)
        pages += 1
        names += [i["IdentityName"] for i in resp["EmailIdentities"]]
        token = resp.get("NextToken")
        if not token:
            return names, pages


class IdentityTests(ServerTestCase):

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)

    def set_status(self, identity, status, account=None):
        return control(self.server, "POST", f"/_mock/identities/{identity}/verification",
                       {"VerificationStatus": status, "Account": account or self.account})

    def test_create_and_get_email_address(self):
        resp = self.ses.create_email_identity(EmailIdentity="Sender@Example.COM",
                                              Tags=[{"Key": "team", "Value": "mail"}])
        self.assertEqual(strip(resp), {"IdentityType": "EMAIL_ADDRESS",
                                       "VerifiedForSendingStatus": True})
        got = strip(self.ses.get_email_identity(EmailIdentity="Sender@example.com"))
        self.assertEqual(got, {
            "IdentityType": "EMAIL_ADDRESS",
            "FeedbackForwardingStatus": True,
            "VerifiedForSendingStatus": True,
            "DkimAttributes": {"SigningEnabled": False, "Status": "NOT_STARTED",
                               "SigningAttributesOrigin": "AWS_SES",
                               "NextSigningKeyLength": "RSA_1024_BIT"},
            "MailFromAttributes": {"BehaviorOnMxFailure": "USE_DEFAULT_VALUE"},
            "Policies": {},
            "Tags": [{"Key": "team", "Value": "mail"}],
            "VerificationStatus": "SUCCESS",
            "VerificationInfo": {},
        })
        # The domain compares case-insensitively, the local part as written.
        self.assertEqual(self.ses.get_email_identity(EmailIdentity="Sender@EXAMPLE.com")
                         ["IdentityType"], "EMAIL_ADDRESS")
        msg = self.assertClientError("NotFoundException", 404, self.ses.get_email_identity,
                                     EmailIdentity="sender@example.com")
        self.assertEqual(msg, "Email identity sender@example.com does not exist.")

    def test_create_and_get_domain(self):
        resp = strip(self.ses.create_email_identity(EmailIdentity="Mail.Example.ORG"))
        self.assertEqual(resp["IdentityType"], "DOMAIN")
        self.assertTrue(resp["VerifiedForSendingStatus"])
        dkim = resp["DkimAttributes"]
        self.assertEqual(dkim["SigningEnabled"], True)
        self.assertEqual(dkim["Status"], "SUCCESS")
        self.assertEqual(dkim["SigningAttributesOrigin"], "AWS_SES")
        self.assertEqual(dkim["NextSigningKeyLength"], "RSA_2048_BIT")
        self.assertEqual(dkim["CurrentSigningKeyLength"], "RSA_2048_BIT")
        self.assertEqual(len(dkim["Tokens"]), 3)
        for token in dkim["Tokens"]:
            self.assertEqual(len(token), 32)
            self.assertLessEqual(set(token), DKIM_TOKEN_CHARS)
        got = self.ses.get_email_identity(EmailIdentity="mail.example.org")
        self.assertEqual(got["DkimAttributes"]["Tokens"], dkim["Tokens"])  # stable
        self.assertEqual(got["VerificationStatus"], "SUCCESS")
        self.assertNotIn("ConfigurationSetName", got)
        listed = self.ses.list_email_identities()["EmailIdentities"]
        self.assertEqual(listed, [{"IdentityType": "DOMAIN", "IdentityName": "mail.example.org",
                                   "SendingEnabled": True, "VerificationStatus": "SUCCESS"}])

    def test_create_errors(self):
        self.ses.create_email_identity(EmailIdentity="example.com")
        msg = self.assertClientError("AlreadyExistsException", 400,
                                     self.ses.create_email_identity, EmailIdentity="EXAMPLE.com")
        self.assertEqual(msg, "Email identity example.com already exist.")
        msg = self.assertClientError("BadRequestException", 400, self.ses.create_email_identity,
                                     EmailIdentity="not a domain")
        self.assertEqual(msg, "Invalid email identity: not a domain. "
                              "It must be an email address or a domain name.")
        msg = self.assertClientError("NotFoundException", 404, self.ses.create_email_identity,
                                     EmailIdentity="a@example.com", ConfigurationSetName="nope")
        self.assertEqual(msg, "Configuration set <nope> does not exist.")
        msg = self.assertClientError("BadRequestException", 400, self.ses.create_email_identity,
                                     EmailIdentity="b@example.com",
                                     Tags=[{"Key": "aws:reserved", "Value": "x"}])
        self.assertTrue(msg)
        msg = self.assertClientError(
            "BadRequestException", 400, self.ses.create_email_identity,
            EmailIdentity="c@example.com",
            DkimSigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"})
        self.assertEqual(msg, "DkimSigningAttributes can only be specified for a domain "
                              "identity, not an email address.")
        # None of the refused ones exists.
        names, _ = list_all_identities(self.ses, 10)
        self.assertEqual(names, ["example.com"])

    def test_configuration_set_of_an_identity(self):
        self.ses.create_configuration_set(ConfigurationSetName="ident-cs")
        self.ses.create_email_identity(EmailIdentity="cs@example.com",
                                       ConfigurationSetName="ident-cs")
        got = self.ses.get_email_identity(EmailIdentity="cs@example.com")
        self.assertEqual(got["ConfigurationSetName"], "ident-cs")

    def test_list_pages(self):
        for name in ["e.com", "a@b.com", "c.com", "b.com", "z@b.com"]:
            self.ses.create_email_identity(EmailIdentity=name)
        names, pages = list_all_identities(self.ses, 2)
        self.assertEqual(pages, 3)
        self.assertEqual(names, ["a@b.com", "b.com", "c.com", "e.com", "z@b.com"])
        names, pages = list_all_identities(self.ses, 1000)
        self.assertEqual((len(names), pages), (5, 1))
        msg = self.assertClientError("BadRequestException", 400, self.ses.list_email_identities,
                                     PageSize=1001)
        self.assertEqual(msg, "1 validation error detected: Value at 'pageSize' failed to "
                              "satisfy constraint: Member must be between 1 and 1000")
        self.assertClientError("BadRequestException", 400, self.ses.list_email_identities,
                               NextToken="forged")
        # Another account sees none of them.
        other = self.server.client(unique_account())
        self.assertEqual(other.list_email_identities()["EmailIdentities"], [])

    def test_delete(self):
        self.ses.create_email_identity(EmailIdentity="del.example.com")
        resp = self.ses.delete_email_identity(EmailIdentity="DEL.example.com")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        msg = self.assertClientError("NotFoundException", 404, self.ses.delete_email_identity,
                                     EmailIdentity="del.example.com")
        self.assertEqual(msg, "Email identity del.example.com does not exist.")
        self.assertClientError("NotFoundException", 404, self.ses.get_email_identity,
                               EmailIdentity="del.example.com")

    def test_control_sets_verification_status(self):
        self.ses.create_email_identity(EmailIdentity="v@example.com")
        for status in ["PENDING", "FAILED", "TEMPORARY_FAILURE", "NOT_STARTED"]:
            code, _, body = self.set_status("v@example.com", status)
            self.assertEqual(code, 200, body)
            self.assertEqual(body["VerificationStatus"], status)
            self.assertEqual(body["IdentityName"], "v@example.com")
            got = self.ses.get_email_identity(EmailIdentity="v@example.com")
            self.assertEqual(got["VerificationStatus"], status)
            self.assertFalse(got["VerifiedForSendingStatus"])
            listed = self.ses.list_email_identities()["EmailIdentities"][0]
            self.assertEqual((listed["VerificationStatus"], listed["SendingEnabled"]),
                             (status, False))
        # A verified domain lets its addresses send whatever their own status.
        self.ses.create_email_identity(EmailIdentity="example.com")
        got = self.ses.get_email_identity(EmailIdentity="v@example.com")
        self.assertEqual((got["VerificationStatus"], got["VerifiedForSendingStatus"]),
                         ("NOT_STARTED", True))
        code, _, _ = self.set_status("example.com", "PENDING")
        self.assertEqual(code, 200)
        domain = self.ses.get_email_identity(EmailIdentity="example.com")
        self.assertEqual(domain["DkimAttributes"]["Status"], "PENDING")
        self.assertFalse(self.ses.get_email_identity(
            EmailIdentity="v@example.com")["VerifiedForSendingStatus"])
        self.assertEqual(self.set_status("v@example.com", "SUCCESS")[0], 200)
        self.assertTrue(self.ses.get_email_identity(
            EmailIdentity="v@example.com")["VerifiedForSendingStatus"])

    def test_control_errors(self):
        code, headers, body = self.set_status("ghost@example.com", "PENDING")
        self.assertEqual((code, headers.get("x-amzn-errortype")), (404, "NotFoundException"))
        self.assertEqual(body["message"], "Email identity ghost@example.com does not exist.")
        self.ses.create_email_identity(EmailIdentity="ok@example.com")
        code, headers, body = self.set_status("ok@example.com", "VERIFIED")
        self.assertEqual((code, headers.get("x-amzn-errortype")), (400, "BadRequestException"))
        self.assertEqual(body["message"],
                         "1 validation error detected: Value at 'VerificationStatus' failed to "
                         "satisfy constraint: Member must satisfy enum value set: [PENDING, "
                         "SUCCESS, FAILED, TEMPORARY_FAILURE, NOT_STARTED]")
        # Another account's identity of the same name is a different identity.
        code, _, _ = self.set_status("ok@example.com", "PENDING", account=unique_account())
        self.assertEqual(code, 404)
        self.assertEqual(self.ses.get_email_identity(
            EmailIdentity="ok@example.com")["VerificationStatus"], "SUCCESS")


class ConfigurationSetTests(ServerTestCase):

    def setUp(self):
        self.ses = self.server.client(unique_account())

    def test_create_get_with_options(self):
        resp = self.ses.create_configuration_set(
            ConfigurationSetName="full-set",
            SuppressionOptions={"SuppressedReasons": ["BOUNCE"]},
            SendingOptions={"SendingEnabled": False},
            TrackingOptions={"CustomRedirectDomain": "click.example.com"},
            Tags=[{"Key": "env", "Value": "dev"}])
        self.assertEqual(strip(resp), {})
        got = strip(self.ses.get_configuration_set(ConfigurationSetName="full-set"))
        self.assertEqual(got, {
            "ConfigurationSetName": "full-set",
            "TrackingOptions": {"CustomRedirectDomain": "click.example.com"},
            "SendingOptions": {"SendingEnabled": False},
            "Tags": [{"Key": "env", "Value": "dev"}],
            "SuppressionOptions": {"SuppressedReasons": ["BOUNCE"]},
        })
        self.ses.create_configuration_set(ConfigurationSetName="plain")
        self.assertEqual(strip(self.ses.get_configuration_set(ConfigurationSetName="plain")),
                         {"ConfigurationSetName": "plain",
                          "SendingOptions": {"SendingEnabled": True}, "Tags": []})

    def test_errors(self):
        self.ses.create_configuration_set(ConfigurationSetName="dup")
        msg = self.assertClientError("AlreadyExistsException", 400,
                                     self.ses.create_configuration_set,
                                     ConfigurationSetName="dup")
        self.assertEqual(msg, "Configuration set <dup> already exists.")
        msg = self.assertClientError("BadRequestException", 400,
                                     self.ses.create_configuration_set,
                                     ConfigurationSetName="no spaces")
        self.assertEqual(msg, "ConfigurationSetName can contain up to 64 characters. Only "
                              "alphanumeric characters, underscores(_) and hyphens(-) are allowed.")
        self.assertClientError("BadRequestException", 400, self.ses.create_configuration_set,
                               ConfigurationSetName="x" * 65)
        missing = "Configuration set <nope> does not exist."
        for fn, kwargs in [
                (self.ses.get_configuration_set, {}),
                (self.ses.delete_configuration_set, {}),
                (self.ses.put_configuration_set_suppression_options,
                 {"SuppressedReasons": ["BOUNCE"]}),
                (self.ses.put_configuration_set_sending_options, {"SendingEnabled": True})]:
            msg = self.assertClientError("NotFoundException", 404, fn,
                                         ConfigurationSetName="nope", **kwargs)
            self.assertEqual(msg, missing, fn.__name__)
        bad = self.server.client(unique_account(), validate=False)
        bad.create_configuration_set(ConfigurationSetName="enum")
        msg = self.assertClientError("BadRequestException", 400,
                                     bad.put_configuration_set_suppression_options,
                                     ConfigurationSetName="enum", SuppressedReasons=["SPAM"])
        self.assertEqual(msg, "1 validation error detected: Value at 'suppressedReasons' failed "
                              "to satisfy constraint: Member must satisfy enum value set: "
                              "[BOUNCE, COMPLAINT]")

    def test_suppression_and_sending_options(self):
        self.ses.create_configuration_set(ConfigurationSetName="opts")

        def get():
            return self.ses.get_configuration_set(ConfigurationSetName="opts")

        self.assertNotIn("SuppressionOptions", get())
        self.ses.put_configuration_set_suppression_options(
            ConfigurationSetName="opts", SuppressedReasons=["COMPLAINT", "BOUNCE"])
        self.assertEqual(get()["SuppressionOptions"],
                         {"SuppressedReasons": ["COMPLAINT", "BOUNCE"]})
        self.ses.put_configuration_set_suppression_options(
            ConfigurationSetName="opts", SuppressedReasons=[])
        self.assertEqual(get()["SuppressionOptions"], {"SuppressedReasons": []})
        # Without SuppressedReasons the override goes: the account's reasons apply again.
        self.ses.put_configuration_set_suppression_options(ConfigurationSetName="opts")
        self.assertNotIn("SuppressionOptions", get())

        self.ses.put_configuration_set_sending_options(ConfigurationSetName="opts",
                                                       SendingEnabled=False)
        self.assertEqual(get()["SendingOptions"], {"SendingEnabled": False})
        self.ses.put_configuration_set_sending_options(ConfigurationSetName="opts",
                                                       SendingEnabled=True)
        self.assertEqual(get()["SendingOptions"], {"SendingEnabled": True})

    def test_list_pages_and_delete(self):
        for name in ["cs-c", "cs-a", "cs-e", "cs-b", "cs-d"]:
            self.ses.create_configuration_set(ConfigurationSetName=name)
        names, pages, token = [], 0, None
        while True:
            kwargs = {"PageSize": 2}
            if token:
                kwargs["NextToken"] = token
            resp = self.ses.list_configuration_sets(**kwargs)
            pages += 1
            names += resp["ConfigurationSets"]
            token = resp.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(names, ["cs-a", "cs-b", "cs-c", "cs-d", "cs-e"])
        self.ses.delete_configuration_set(ConfigurationSetName="cs-c")
        self.assertEqual(self.ses.list_configuration_sets()["ConfigurationSets"],
                         ["cs-a", "cs-b", "cs-d", "cs-e"])


class AccountTests(ServerTestCase):

    def test_get_account_defaults_and_puts(self):
        ses = self.server.client(unique_account())
        self.assertEqual(strip(ses.get_account()), {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": "HEALTHY",
            "ProductionAccessEnabled": True,
            "SendQuota": {"Max24HourSend": 50000.0, "MaxSendRate": 14.0,
                          "SentLast24Hours": 0.0},
            "SendingEnabled": True,
            "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
        })
        self.assertEqual(strip(ses.put_account_sending_attributes(SendingEnabled=False)), {})
        self.assertEqual(strip(ses.put_account_suppression_attributes(
            SuppressedReasons=["COMPLAINT"])), {})
        got = ses.get_account()
        self.assertFalse(got["SendingEnabled"])
        self.assertEqual(got["SuppressionAttributes"], {"SuppressedReasons": ["COMPLAINT"]})
        ses.put_account_suppression_attributes(SuppressedReasons=[])
        self.assertEqual(ses.get_account()["SuppressionAttributes"], {"SuppressedReasons": []})
        ses.put_account_sending_attributes(SendingEnabled=True)
        self.assertTrue(ses.get_account()["SendingEnabled"])
        # Other accounts keep the defaults.
        other = self.server.client(unique_account())
        self.assertEqual(other.get_account()["SuppressionAttributes"]["SuppressedReasons"],
                         ["BOUNCE", "COMPLAINT"])
        bad = self.server.client(unique_account(), validate=False)
        self.assertClientError("BadRequestException", 400,
                               bad.put_account_suppression_attributes,
                               SuppressedReasons=["NOPE"])


class SandboxTests(ServerTestCase):
    server_args = ("--sandbox",)

    def test_get_account_in_sandbox(self):
        got = self.server.client(unique_account()).get_account()
        self.assertFalse(got["ProductionAccessEnabled"])
        self.assertEqual(got["SendQuota"], {"Max24HourSend": 200.0, "MaxSendRate": 1.0,
                                            "SentLast24Hours": 0.0})
        self.assertTrue(got["SendingEnabled"])


class SandboxEnvTests(unittest.TestCase):
    """SESV2_MOCK_SANDBOX=1 (the flag's environment twin) turns sandbox mode on too."""

    def test_env_twin(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SESV2_MOCK_")}
        env["SESV2_MOCK_SANDBOX"] = "1"
        proc = subprocess.Popen([server_binary(), "--port", "0", "--db", ":memory:",
                                 "--log-level", "error"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        try:
            line = proc.stdout.readline().decode()
            match = READY_RE.search(line)
            self.assertIsNotNone(match, line)
            import boto3
            ses = boto3.client("sesv2", endpoint_url=match.group(1), region_name="us-east-1",
                               aws_access_key_id="x", aws_secret_access_key="x")
            got = ses.get_account()
            self.assertFalse(got["ProductionAccessEnabled"])
            self.assertEqual(got["SendQuota"]["Max24HourSend"], 200.0)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=10), 0)
            proc.stdout.close()


class ExampleFixtureTests(ServerTestCase):
    server_args = ("--fixtures", os.path.join(REPO_ROOT, "fixtures", "04-identities.json"))

    def test_example_loaded_at_start(self):
        ses = self.server.client()
        self.assertEqual(
            [(i["IdentityName"], i["VerificationStatus"], i["SendingEnabled"])
             for i in ses.list_email_identities()["EmailIdentities"]],
            [("example.com", "SUCCESS", True), ("noreply@example.org", "SUCCESS", True),
             ("pending@example.net", "PENDING", False)])
        self.assertEqual(ses.get_email_identity(EmailIdentity="example.com")
                         ["ConfigurationSetName"], "transactional")
        self.assertEqual(ses.get_configuration_set(ConfigurationSetName="transactional")
                         ["SuppressionOptions"], {"SuppressedReasons": ["BOUNCE"]})
        self.assertEqual(ses.get_configuration_set(ConfigurationSetName="no-suppression")
                         ["SuppressionOptions"], {"SuppressedReasons": []})


class ResetAndFixtureTests(ServerTestCase):

    def seed(self, account):
        ses = self.server.client(account)
        ses.create_configuration_set(ConfigurationSetName="r-cs")
        ses.create_email_identity(EmailIdentity="r@example.com")
        ses.put_account_sending_attributes(SendingEnabled=False)
        return ses

    def test_reset_clears_identities_sets_and_account(self):
        keep_account, drop_account = unique_account(), unique_account()
        keep = self.seed(keep_account)
        drop = self.seed(drop_account)
        code, _, _ = control(self.server, "POST", "/_mock/reset", {"account": drop_account})
        self.assertEqual(code, 200)
        self.assertEqual(drop.list_email_identities()["EmailIdentities"], [])
        self.assertEqual(drop.list_configuration_sets()["ConfigurationSets"], [])
        self.assertTrue(drop.get_account()["SendingEnabled"])
        self.assertEqual(len(keep.list_email_identities()["EmailIdentities"]), 1)
        self.assertEqual(keep.list_configuration_sets()["ConfigurationSets"], ["r-cs"])
        self.assertFalse(keep.get_account()["SendingEnabled"])
        code, _, _ = control(self.server, "POST", "/_mock/reset")
        self.assertEqual(code, 200)
        self.assertEqual(keep.list_email_identities()["EmailIdentities"], [])
        self.assertEqual(keep.list_configuration_sets()["ConfigurationSets"], [])
        self.assertTrue(keep.get_account()["SendingEnabled"])

    def test_fixture_seeds_identities_and_sets(self):
        account = unique_account()
        code, _, body = control(self.server, "POST", "/_mock/fixtures", {
            "Account": account,
            "ConfigurationSets": [
                {"ConfigurationSetName": "fx-cs", "SuppressedReasons": ["BOUNCE"],
                 "SendingEnabled": False, "Tags": [{"Key": "k", "Value": "v"}]},
                {"ConfigurationSetName": "fx-plain"}],
            "EmailIdentities": [
                {"EmailIdentity": "Fixture.Example.com"},
                {"EmailIdentity": "pending@fixture.net", "VerificationStatus": "PENDING",
                 "ConfigurationSetName": "fx-cs"}],
        })
        self.assertEqual(code, 200, body)
        self.assertEqual((body["emailIdentities"], body["configurationSets"]), (2, 2))
        ses = self.server.client(account)
        identities = ses.list_email_identities()["EmailIdentities"]
        self.assertEqual(identities, [
            {"IdentityType": "DOMAIN", "IdentityName": "fixture.example.com",
             "SendingEnabled": True, "VerificationStatus": "SUCCESS"},
            {"IdentityType": "EMAIL_ADDRESS", "IdentityName": "pending@fixture.net",
             "SendingEnabled": False, "VerificationStatus": "PENDING"}])
        self.assertEqual(ses.get_email_identity(
            EmailIdentity="pending@fixture.net")["ConfigurationSetName"], "fx-cs")
        cs = strip(ses.get_configuration_set(ConfigurationSetName="fx-cs"))
        self.assertEqual(cs, {"ConfigurationSetName": "fx-cs",
                              "SendingOptions": {"SendingEnabled": False},
                              "Tags": [{"Key": "k", "Value": "v"}],
                              "SuppressionOptions": {"SuppressedReasons": ["BOUNCE"]}})
        self.assertNotIn("SuppressionOptions",
                         ses.get_configuration_set(ConfigurationSetName="fx-plain"))

    def test_broken_fixtures_are_rejected_with_their_path(self):
        account = unique_account()
        cases = [
            ({"EmailIdentities": [{"EmailIdentity": "ok.com"},
                                  {"EmailIdentity": "ok.com", "VerificationStatus": "DONE"}]},
             "Fixture rejected at EmailIdentities[1].VerificationStatus: must be one of "
             "PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE, NOT_STARTED."),
            ({"EmailIdentities": [{"EmailIdentity": "bad domain"}]},
             "Fixture rejected at EmailIdentities[0].EmailIdentity: Invalid email identity: "
             "bad domain. It must be an email address or a domain name."),
            ({"EmailIdentities": [{"EmailIdentity": "a@x.com", "ConfigurationSetName": "none"}]},
             "Fixture rejected at EmailIdentities[0].ConfigurationSetName: Configuration set "
             "<none> does not exist."),
            ({"EmailIdentities": [{"EmailIdentity": "a@x.com"}, {"EmailIdentity": "a@X.COM"}]},
             "Fixture rejected at EmailIdentities[1].EmailIdentity: repeats another identity "
             "of the same account and region."),
            ({"ConfigurationSets": [{"ConfigurationSetName": "ok"},
                                    {"ConfigurationSetName": "bad name"}]},
             "Fixture rejected at ConfigurationSets[1].ConfigurationSetName: must be 1-64 "
             "letters, digits, underscores (_) and hyphens (-)."),
            ({"ConfigurationSets": [{"ConfigurationSetName": "s",
                                     "SuppressedReasons": ["BOUNCE", "SPAM"]}]},
             "Fixture rejected at ConfigurationSets[0].SuppressedReasons[1]: must be one of "
             "BOUNCE, COMPLAINT."),
            ({"ConfigurationSets": [{"ConfigurationSetName": "s", "Sending": True}]},
             "Fixture rejected at ConfigurationSets[0].Sending: is not a known field."),
        ]
        for document, message in cases:
            document["Account"] = account
            code, headers, body = control(self.server, "POST", "/_mock/fixtures", document)
            self.assertEqual((code, headers.get("x-amzn-errortype")),
                             (400, "BadRequestException"), body)
            self.assertEqual(body["message"], message)
        # All or nothing: nothing of the rejected documents was written.
        ses = self.server.client(account)
        self.assertEqual(ses.list_email_identities()["EmailIdentities"], [])
        self.assertEqual(ses.list_configuration_sets()["ConfigurationSets"], [])


class CliV2IdentityTests(ServerTestCase):
    """AWS CLI v2 as Debian ships it (2.9.x): list-email-identities sends GET with PageSize
    and NextToken as query parameters, like boto3; --page-size/--next-token are raw."""

    def aws(self, account, *args):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "PYTHON", "PYENV", "SESV2_MOCK_"))}
        env.update({"HOME": self.workdir, "AWS_CONFIG_FILE": "/dev/null",
                    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_ACCESS_KEY_ID": account,
                    "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": ""})
        proc = subprocess.run([AWS_V2, "sesv2", *args, "--endpoint-url", self.server.url,
                               "--output", "json"], env=env, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def test_list_email_identities_pages(self):
        if not (os.path.isfile(AWS_V2) and os.access(AWS_V2, os.X_OK)):
            raise AssertionError(f"{AWS_V2} not found: run tools/install-deps.sh")
        account = unique_account()
        for name in ["cli-a.com", "cli@b.com", "cli-c.com"]:
            self.aws(account, "create-email-identity", "--email-identity", name)
        first = self.aws(account, "list-email-identities", "--page-size", "2")
        self.assertEqual([i["IdentityName"] for i in first["EmailIdentities"]],
                         ["cli-a.com", "cli-c.com"])
        second = self.aws(account, "list-email-identities", "--page-size", "2",
                          "--next-token", first["NextToken"])
        self.assertEqual(second["EmailIdentities"], [
            {"IdentityType": "EMAIL_ADDRESS", "IdentityName": "cli@b.com",
             "SendingEnabled": True, "VerificationStatus": "SUCCESS"}])
        self.assertNotIn("NextToken", second)
        got = self.aws(account, "get-account")
        self.assertTrue(got["ProductionAccessEnabled"])


if __name__ == "__main__":
    unittest.main()
