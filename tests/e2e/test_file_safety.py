"""Issue 12, defects 1, 2 and 6: files stay inside the s3 directory whatever links it holds
(fixture writes and job reads), non-finite numbers are bad input (never a 500 nor
`Infinity` on the wire), and a job that cannot read its file says why with the whole URL:
access denied (checked with the server running as `nobody`, since root reads any file),
not found, a NUL escaped as \\u0000."""
import json
import os
import shutil
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import MockServer, ServerTestCase, suppression_import, wait_for_job  # noqa: E402


def post(server, path, raw: bytes):
    conn = server.connection()
    conn.request("POST", path, body=raw, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheader("x-amzn-ErrorType"), body


def get(server, path):
    conn = server.connection()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheader("x-amzn-ErrorType"), body


class LinkTests(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outside = tempfile.mkdtemp(prefix="sesv2-outside-")
        os.makedirs(os.path.join(cls.server.s3_dir, "b"), exist_ok=True)
        os.symlink(cls.outside, os.path.join(cls.server.s3_dir, "b", "dirlink"))
        os.symlink(cls.outside, os.path.join(cls.server.s3_dir, "linkbucket"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.outside, ignore_errors=True)
        super().tearDownClass()

    def fixture_refused(self, url):
        doc = {"S3Objects": [{"S3Url": url, "Body": "a@example.com,BOUNCE\n"}]}
        status, code, body = post(self.server, "/_mock/fixtures", json.dumps(doc).encode())
        self.assertEqual((status, code), (400, "BadRequestException"), body)
        self.assertIn(f"The object {url} is outside the s3 directory.", json.loads(body)["message"])
        self.assertEqual(os.listdir(self.outside), [])

    def test_fixture_through_a_linked_folder_is_refused(self):
        self.fixture_refused("s3://b/dirlink/x.csv")
        self.fixture_refused("s3://b/dirlink/deeper/x.csv")

    def test_fixture_through_a_linked_bucket_is_refused(self):
        self.fixture_refused("s3://linkbucket/y.csv")

    def test_fixture_inside_still_writes(self):
        doc = {"S3Objects": [{"S3Url": "s3://b/real/dir/z.csv", "Body": "z@example.com,BOUNCE\n"}]}
        status, _, body = post(self.server, "/_mock/fixtures", json.dumps(doc).encode())
        self.assertEqual(status, 200, body)
        with open(os.path.join(self.server.s3_dir, "b", "real", "dir", "z.csv")) as f:
            self.assertEqual(f.read(), "z@example.com,BOUNCE\n")

    def test_job_reading_through_a_linked_folder_fails(self):
        with open(os.path.join(self.outside, "in.csv"), "w") as f:
            f.write("secret@example.com,BOUNCE\n")
        try:
            ses = self.server.client()
            job = wait_for_job(ses, suppression_import(ses, "s3://b/dirlink/in.csv"))
            self.assertEqual(job["JobStatus"], "FAILED")
            self.assertEqual(job["FailureInfo"]["ErrorMessage"],
                             "The object s3://b/dirlink/in.csv is outside the s3 directory.")
        finally:
            os.remove(os.path.join(self.outside, "in.csv"))

    def test_nul_in_the_url_is_escaped_in_full(self):
        ses = self.server.client()
        job = wait_for_job(ses, suppression_import(ses, "s3://b/a\x00b/tail.csv"))
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(job["FailureInfo"]["ErrorMessage"],
                         "The object s3://b/a\\u0000b/tail.csv does not exist.")


class NonFiniteNumberTests(ServerTestCase):
    def test_fixture_timestamps(self):
        for value in (b"1e999", b"-1e999", b'"inf"', b'"nan"', b'"-inf"', b'"1e999"'):
            raw = (b'{"SuppressedDestinations":[{"EmailAddress":"t@example.com","Reason":"BOUNCE",'
                   b'"LastUpdateTime":' + value + b"}]}")
            status, code, body = post(self.server, "/_mock/fixtures", raw)
            self.assertEqual((status, code), (400, "BadRequestException"), (value, body))
            self.assertIn("must be epoch seconds or an ISO 8601 date-time.", json.loads(body)["message"])

    def test_suppression_list_dates(self):
        for name in ("StartDate", "EndDate"):
            for value in ("inf", "nan", "1e999", "-1e999", "-inf"):
                status, code, body = get(self.server, f"/v2/email/suppression/addresses?{name}={value}")
                self.assertEqual(status, 400, (name, value, body))
                self.assertNotIn(b"Infinity", body)

    def test_json_body_timestamps(self):
        # CreateImportJob has no timestamp member: send one in a fixture import job instead.
        raw = (b'{"ImportJobs":[{"ImportDestination":{"SuppressionListDestination":'
               b'{"SuppressionListImportAction":"PUT"}},"ImportDataSource":{"S3Url":"s3://b/k.csv",'
               b'"DataFormat":"CSV"},"JobStatus":"COMPLETED","CreatedTimestamp":1e999}]}')
        status, code, body = post(self.server, "/_mock/fixtures", raw)
        self.assertEqual((status, code), (400, "BadRequestException"), body)


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"), "needs root and setpriv")
class AccessDeniedTests(unittest.TestCase):
    """Root bypasses file modes, so the server runs as nobody (setpriv) for these."""

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="sesv2-e2e-denied-")
        os.chmod(cls.workdir, 0o777)

        class NobodyServer(MockServer):
            def command(self, extra_args=None):
                return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        *super().command(extra_args)]

        cls.server = NobodyServer(cls.workdir)
        os.chmod(cls.server.s3_dir, 0o777)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def test_unreadable_file(self):
        url = self.server.write_s3("open", "secret.csv", "a@example.com,BOUNCE\n")
        os.chmod(os.path.join(self.server.s3_dir, "open"), 0o755)
        os.chmod(os.path.join(self.server.s3_dir, "open", "secret.csv"), 0o000)
        ses = self.server.client()
        job = wait_for_job(ses, suppression_import(ses, url))
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(job["FailureInfo"]["ErrorMessage"], f"Access denied to the object {url}.")

    def test_unreadable_bucket_folder(self):
        url = self.server.write_s3("closed", "k.csv", "a@example.com,BOUNCE\n")
        os.chmod(os.path.join(self.server.s3_dir, "closed"), 0o000)
        ses = self.server.client()
        job = wait_for_job(ses, suppression_import(ses, url))
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(job["FailureInfo"]["ErrorMessage"], f"Access denied to the object {url}.")


if __name__ == "__main__":
    unittest.main()
