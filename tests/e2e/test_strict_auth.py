"""Strict SigV4 (--auth strict) with boto3: right keys pass and act in their account; a wrong
secret, an unknown key, a tampered body, an old date, no or a malformed Authorization header
are refused with AWS's codes and messages. /_mock/* and /_aws/ses stay open. The flags'
environment twins and the credentials file are checked too."""
import datetime
import hashlib
import json
import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import MockServer, ServerTestCase, error_of, http_get  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

GOOD_KEY, GOOD_SECRET, GOOD_ACCOUNT = "AKIDSTRICTGOOD", "good/secret+1", "123456789012"
PLAIN_KEY, PLAIN_SECRET = "AKIDNOACCOUNT", "plain-secret"
BAD_SIGNATURE = ("The request signature we calculated does not match the signature you provided. "
                 "Check your AWS Secret Access Key and signing method. Consult the service "
                 "documentation for details.")


def derived_account(key: str) -> str:
    """The account the server gives a key listed without one (first 8 bytes of SHA-256)."""
    return "%012d" % (int(hashlib.sha256(key.encode()).hexdigest()[:16], 16) % 10**12)


def strict_client(server, key, secret, token=None):
    cfg = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=5,
                 read_timeout=30)
    return boto3.session.Session().client(
        "sesv2", endpoint_url=server.url, region_name="eu-west-1", aws_access_key_id=key,
        aws_secret_access_key=secret, aws_session_token=token, config=cfg)


def raw_request(server, method, path, body=b"", headers=None):
    conn = server.connection()
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), data


class StrictAuthTests(ServerTestCase):
    server_args = ["--auth", "strict", "--processing-mode", "manual",
                   "--credential", f"{GOOD_KEY}:{GOOD_SECRET}:{GOOD_ACCOUNT}",
                   "--credential", f"{PLAIN_KEY}:{PLAIN_SECRET}"]

    def refused(self, fn, code):
        with self.assertRaises(ClientError) as ctx:
            fn()
        got_code, status, message = error_of(ctx.exception)
        self.assertEqual((got_code, status), (code, 403), message)
        return message

    def job_account(self, client):
        url = self.server.write_s3("strict", "in.csv", "a@example.com,BOUNCE\n")
        job_id = client.create_import_job(
            ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
            ImportDataSource={"S3Url": url, "DataFormat": "CSV"})["JobId"]
        status, _, body = http_get(f"{self.server.url}/_mock/import-jobs/{job_id}")
        self.assertEqual(status, 200)
        return json.loads(body)["Account"]

    def test_right_keys_pass_in_their_accounts(self):
        good = strict_client(self.server, GOOD_KEY, GOOD_SECRET)
        self.assertEqual(good.list_import_jobs()["ImportJobs"], [])
        self.assertEqual(self.job_account(good), GOOD_ACCOUNT)
        plain = strict_client(self.server, PLAIN_KEY, PLAIN_SECRET)
        self.assertEqual(self.job_account(plain), derived_account(PLAIN_KEY))

    def test_session_token_is_accepted(self):
        client = strict_client(self.server, GOOD_KEY, GOOD_SECRET, token="FwoGZXIvYXdzEXAMPLE//token==")
        self.assertIn("ImportJobs", client.list_import_jobs())

    def test_paths_with_encoded_labels_pass(self):
        client = strict_client(self.server, GOOD_KEY, GOOD_SECRET)
        with self.assertRaises(ClientError) as ctx:
            client.get_suppressed_destination(EmailAddress="a b+c@example.com")
        self.assertEqual(error_of(ctx.exception)[0], "NotFoundException")

    def test_wrong_secret(self):
        client = strict_client(self.server, GOOD_KEY, "not-the-secret")
        self.assertEqual(self.refused(client.list_import_jobs, "InvalidSignatureException"),
                         BAD_SIGNATURE)

    def test_unknown_key(self):
        client = strict_client(self.server, "AKIDUNKNOWN", "whatever")
        self.assertEqual(self.refused(client.list_import_jobs, "UnrecognizedClientException"),
                         "The security token included in the request is invalid.")

    def test_tampered_body(self):
        client = strict_client(self.server, GOOD_KEY, GOOD_SECRET)

        def tamper(request, **_):
            request.body = request.body.replace(b"tampered-list", b"changed-list!")

        client.meta.events.register("before-send.sesv2.CreateContactList", tamper)
        message = self.refused(lambda: client.create_contact_list(ContactListName="tampered-list"),
                               "InvalidSignatureException")
        self.assertEqual(message, BAD_SIGNATURE)

    def test_old_date(self):
        client = strict_client(self.server, GOOD_KEY, GOOD_SECRET)
        old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        with mock.patch("botocore.auth.get_current_datetime", return_value=old):
            message = self.refused(client.list_import_jobs, "InvalidSignatureException")
        self.assertTrue(message.startswith("Signature expired: " + old.strftime("%Y%m%dT%H%M%SZ") +
                                           " is now earlier than "), message)
        self.assertTrue(message.endswith(" - 15 min.)"), message)

    def test_missing_and_malformed_headers(self):
        status, headers, body = raw_request(self.server, "GET", "/v2/email/import-jobs")
        self.assertEqual(status, 403)
        self.assertEqual(headers["x-amzn-ErrorType"], "MissingAuthenticationTokenException")
        self.assertEqual(json.loads(body)["message"], "Missing Authentication Token")
        self.assertIn("x-amzn-RequestId", headers)
        status, headers, body = raw_request(self.server, "GET", "/v2/email/import-jobs",
                                            headers={"Authorization": "AWS4-HMAC-SHA256 Credential=x"})
        self.assertEqual(status, 403)
        self.assertEqual(headers["x-amzn-ErrorType"], "IncompleteSignatureException")

    def test_control_and_aws_endpoints_stay_open(self):
        self.assertEqual(self.server.health()[0], 200)
        status, _, _ = http_get(self.server.url + "/_aws/ses")
        self.assertNotEqual(status, 403)


class StrictAuthFromEnvironmentTests(unittest.TestCase):
    def test_env_twins_and_file(self):
        import tempfile
        workdir = tempfile.mkdtemp(prefix="sesv2-e2e-auth-")
        cred_file = os.path.join(workdir, "keys.txt")
        with open(cred_file, "w") as f:
            f.write("# file keys\nFILEKEY:filesecret:222233334444\n")
        env = ["SESV2_MOCK_AUTH=strict", "SESV2_MOCK_CREDENTIALS=ENVKEY1:s1,ENVKEY2:s2:111111111111",
               f"SESV2_MOCK_CREDENTIALS_FILE={cred_file}"]

        class EnvServer(MockServer):
            # The harness keeps SESV2_MOCK_* out of the server's environment: set them via env(1).
            def command(self, extra_args=None):
                return ["env", *env, *super().command(extra_args)]

        server = EnvServer(workdir).start()
        try:
            for key, secret in (("ENVKEY1", "s1"), ("ENVKEY2", "s2"), ("FILEKEY", "filesecret")):
                self.assertIn("ImportJobs", strict_client(server, key, secret).list_import_jobs())
            with self.assertRaises(ClientError) as ctx:
                strict_client(server, "ENVKEY1", "s2").list_import_jobs()
            self.assertEqual(error_of(ctx.exception)[0], "InvalidSignatureException")
        finally:
            server.stop()

    def test_strict_without_keys_does_not_start(self):
        import subprocess
        from harness import server_binary
        proc = subprocess.run([server_binary(), "--port", "0", "--db", ":memory:", "--auth", "strict"],
                              capture_output=True, text=True, timeout=20,
                              env={k: v for k, v in os.environ.items() if not k.startswith("SESV2_MOCK_")})
        self.assertEqual(proc.returncode, 1)
        self.assertIn("--auth strict needs at least one --credential", proc.stderr)


if __name__ == "__main__":
    unittest.main()
