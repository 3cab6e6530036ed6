"""Imports from an S3-compatible endpoint (--s3-endpoint): sesv2-mock against moto_server.

moto_server runs as a child process on a free port. The objects are uploaded with boto3's S3
client while moto still accepts anything; then moto's IAM enforcement is switched on
(POST /moto-api/reset-auth with 0, the server-mode twin of INITIAL_NO_AUTH_ACTION_COUNT=0),
so from then on every S3 request must carry a valid SigV4 signature made with an access key
of the IAM user created here, and is checked against that user's policy. sesv2-mock signs
with that key: a COMPLETED job proves moto accepted its signature, and a server given a wrong
secret gets SignatureDoesNotMatch. Fixture S3Objects loaded with POST /_mock/fixtures are
uploaded to moto (signed PutObject), and a missing bucket rejects the whole fixture.

moto 5.2's own verifier rejects even boto3's signatures for keys holding '+' or non-ASCII
characters (it re-encodes the path it received), so the one test with such a key switches
enforcement off for its duration; keys with spaces are verified.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    MockServer, ServerTestCase, suppression_import, unique_account, wait_for_job)

BUCKET = "sesv2-imports"
REGION = "us-east-1"
IAM_USER = "sesv2-mock-importer"
# Everything in S3, except reading under secret/: that gives AccessDenied.
IMPORTER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{BUCKET}/secret/*"},
    ],
}
S3_TIMEOUT_MS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def moto_server_command(port: int) -> list[str]:
    """moto_server next to the Python that has boto3 (pyenv), else on PATH, else -m."""
    python = os.environ.get("PYTHON") or sys.executable
    for candidate in (os.path.join(os.path.dirname(python), "moto_server"),
                      os.path.expanduser("~/.pyenv/shims/moto_server"),
                      shutil.which("moto_server")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return [candidate, "-H", "127.0.0.1", "-p", str(port)]
    return [python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]


class MotoS3:
    """One moto_server process, with an IAM user whose key sesv2-mock signs with."""

    def __init__(self, workdir: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(workdir, "moto.log")
        self.proc = None
        self.access_key = self.secret_key = None

    def start(self, timeout: float = 20.0) -> None:
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(moto_server_command(self.port), stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"moto_server exited with {self.proc.returncode}\n"
                                     + self.log_tail())
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1).read()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise AssertionError("moto_server not ready\n" + self.log_tail())
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_tail(self, n: int = 30) -> str:
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return "(no moto log)"
        return f"--- {self.log_path} ---\n" + "\n".join(lines[-n:])

    def client(self, service: str, access_key: str = "setup", secret_key: str = "setup"):
        return boto3.session.Session().client(
            service, endpoint_url=self.url, region_name=REGION,
            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            config=Config(retries={"mode": "standard", "max_attempts": 1}))

    def create_importer(self) -> None:
        iam = self.client("iam")
        iam.create_user(UserName=IAM_USER)
        iam.put_user_policy(UserName=IAM_USER, PolicyName="imports",
                            PolicyDocument=json.dumps(IMPORTER_POLICY))
        key = iam.create_access_key(UserName=IAM_USER)["AccessKey"]
        self.access_key, self.secret_key = key["AccessKeyId"], key["SecretAccessKey"]

    def importer_s3(self):
        return self.client("s3", self.access_key, self.secret_key)

    def enforce_auth(self, enforced: bool) -> None:
        # moto reads the body as the new INITIAL_NO_AUTH_ACTION_COUNT: 0 checks every request.
        req = urllib.request.Request(
            self.url + "/moto-api/reset-auth", data=b"0" if enforced else b"inf",
            method="POST", headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            answer = json.loads(resp.read())
        if answer.get("status") != "ok":
            raise AssertionError(f"moto did not switch IAM enforcement: {answer}")


class S3EndpointImportTests(ServerTestCase):
    moto: MotoS3

    @classmethod
    def setUpClass(cls):
        cls.moto_dir = tempfile.mkdtemp(prefix="sesv2-e2e-moto-")
        cls.moto = MotoS3(cls.moto_dir)
        try:
            cls.moto.start()
            cls.moto.create_importer()
            cls.moto.client("s3").create_bucket(Bucket=BUCKET)
            cls.moto.enforce_auth(True)
        except BaseException:
            sys.stderr.write(cls.moto.log_tail() + "\n")
            cls.moto.stop()
            raise
        cls.server_args = cls.endpoint_args(cls.moto.url, cls.moto.secret_key)
        try:
            super().setUpClass()
        except BaseException:
            cls.moto.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.moto.stop()
            if cls._failed:
                sys.stderr.write(cls.moto.log_tail() + "\n")
            else:
                shutil.rmtree(cls.moto_dir, ignore_errors=True)

    @classmethod
    def endpoint_args(cls, endpoint: str, secret: str, *more: str) -> tuple:
        return ("--s3-endpoint", endpoint, "--s3-access-key", cls.moto.access_key,
                "--s3-secret-key", secret, "--s3-region", REGION, *more)

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.s3 = self.moto.importer_s3()

    # -- helpers -----------------------------------------------------------------------
    def upload(self, key: str, content: str) -> str:
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=content.encode("utf-8"))
        return f"s3://{BUCKET}/{key}"

    def run_import(self, s3_url: str, fmt: str = "CSV", ses=None) -> dict:
        ses = ses or self.ses
        job_id = suppression_import(ses, s3_url, "PUT", fmt)
        return wait_for_job(ses, job_id)

    def other_server(self, *args: str) -> MockServer:
        """A second sesv2-mock with other S3 settings, stopped when the test ends."""
        workdir = tempfile.mkdtemp(prefix="sesv2-e2e-s3-other-", dir=self.workdir)
        server = MockServer(workdir, *args, db=":memory:", name="other").start()
        self.addCleanup(server.stop)
        return server

    @staticmethod
    def post_fixture(server: MockServer, document: dict) -> tuple[int, str | None, dict]:
        conn = server.connection()
        try:
            conn.request("POST", "/_mock/fixtures", body=json.dumps(document).encode(),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = json.loads(resp.read() or b"null")
            return resp.status, resp.getheader("x-amzn-errortype"), body
        finally:
            conn.close()

    def fixture_document(self, s3_url: str, lines: list[str], job_status: str) -> tuple[dict, str]:
        job_id = str(uuid.uuid4())
        return {
            "Account": self.account, "Region": REGION,
            "S3Objects": [{"S3Url": s3_url, "Lines": lines}],
            "ImportJobs": [{
                "JobId": job_id,
                "ImportDestination": {"SuppressionListDestination":
                                      {"SuppressionListImportAction": "PUT"}},
                "ImportDataSource": {"S3Url": s3_url, "DataFormat": "CSV"},
                "JobStatus": job_status}],
            "SuppressedDestinations": [{"EmailAddress": "fixture-seeded@example.com",
                                        "Reason": "BOUNCE"}],
        }, job_id

    def assertFailedWith(self, job: dict, *fragments: str) -> str:
        self.assertEqual(job["JobStatus"], "FAILED", job)
        message = job.get("FailureInfo", {}).get("ErrorMessage", "")
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    def assertSuppressed(self, address: str, reason: str, ses=None) -> None:
        got = (ses or self.ses).get_suppressed_destination(EmailAddress=address)
        self.assertEqual(got["SuppressedDestination"]["EmailAddress"], address)
        self.assertEqual(got["SuppressedDestination"]["Reason"], reason)

    # -- the S3 side really checks signatures ------------------------------------------
    def test_moto_refuses_unsigned_requests(self):
        self.upload("probe.csv", "p@example.com,BOUNCE\n")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{self.moto.url}/{BUCKET}/probe.csv", timeout=5)
        self.assertEqual(caught.exception.code, 403)

    # -- imports that succeed ----------------------------------------------------------
    def test_csv_import_with_one_bad_line(self):
        url = self.upload(f"{self.account}/list.csv",
                          "a@example.com,BOUNCE\n"
                          "b@example.com,COMPLAINT\n"
                          "not-an-address,BOUNCE\n"
                          "c@example.com,BOUNCE\n")
        job = self.run_import(url)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], 4)
        self.assertEqual(job["FailedRecordsCount"], 1)
        self.assertSuppressed("a@example.com", "BOUNCE")
        self.assertSuppressed("b@example.com", "COMPLAINT")
        self.assertSuppressed("c@example.com", "BOUNCE")

    def test_json_import(self):
        records = [{"emailAddress": "j1@example.com", "reason": "BOUNCE"},
                   {"emailAddress": "j2@example.com", "reason": "COMPLAINT"},
                   {"emailAddress": "j3@example.com", "reason": "NOT_A_REASON"}]
        url = self.upload(f"{self.account}/list.json",
                          "".join(json.dumps(r) + "\n" for r in records))
        job = self.run_import(url, fmt="JSON")
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], 3)
        self.assertEqual(job["FailedRecordsCount"], 1)
        self.assertSuppressed("j1@example.com", "BOUNCE")
        self.assertSuppressed("j2@example.com", "COMPLAINT")

    def test_key_with_spaces_is_signed_and_fetched(self):
        url = self.upload(f"{self.account}/dir one/list two.csv", "s@example.com,COMPLAINT\n")
        job = self.run_import(url)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], 1)
        self.assertSuppressed("s@example.com", "COMPLAINT")

    def test_key_with_plus_and_unicode(self):
        # moto cannot verify any client's signature for such keys (see the module doc).
        self.moto.enforce_auth(False)
        try:
            url = self.upload(f"{self.account}/caf\u00e9 + cr\u00e8me.csv",
                              "u@example.com,BOUNCE\n")
            job = self.run_import(url)
        finally:
            self.moto.enforce_auth(True)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], 1)
        self.assertSuppressed("u@example.com", "BOUNCE")

    def test_large_object_is_streamed(self):
        count = 20_000
        url = self.upload(f"{self.account}/big.csv",
                          "".join(f"user{i}@example.com,BOUNCE\n" for i in range(count)))
        job = self.run_import(url)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], count)
        self.assertEqual(job["FailedRecordsCount"], 0)
        self.assertSuppressed(f"user{count - 1}@example.com", "BOUNCE")

    # -- each S3 error ends FAILED with its message ------------------------------------
    def test_missing_key(self):
        job = self.run_import(f"s3://{BUCKET}/{self.account}/nothing-here.csv")
        message = self.assertFailedWith(job, "NoSuchKey")
        self.assertEqual(message, f"The object s3://{BUCKET}/{self.account}/nothing-here.csv "
                                  "does not exist (NoSuchKey).")

    def test_missing_bucket(self):
        job = self.run_import("s3://no-such-bucket-here/list.csv")
        message = self.assertFailedWith(job, "NoSuchBucket")
        self.assertEqual(message, "The bucket no-such-bucket-here does not exist (NoSuchBucket).")

    def test_access_denied_by_policy(self):
        url = self.upload(f"secret/{self.account}.csv", "x@example.com,BOUNCE\n")
        job = self.run_import(url)
        message = self.assertFailedWith(job, "AccessDenied")
        self.assertEqual(message, f"Access to {url} was denied (AccessDenied).")

    def test_wrong_secret_is_rejected_by_the_signature_check(self):
        url = self.upload(f"{self.account}/signed.csv", "w@example.com,BOUNCE\n")
        other = self.other_server(*self.endpoint_args(self.moto.url, "not-the-secret"))
        job = self.run_import(url, ses=other.client(self.account))
        message = self.assertFailedWith(job, "SignatureDoesNotMatch")
        self.assertTrue(message.startswith("S3 answered 403 SignatureDoesNotMatch: "), message)

    def test_stopped_endpoint_refuses(self):
        dead = f"http://127.0.0.1:{free_port()}"  # bound then released: nothing listens
        other = self.other_server(*self.endpoint_args(dead, self.moto.secret_key))
        job = self.run_import(f"s3://{BUCKET}/list.csv", ses=other.client(self.account))
        message = self.assertFailedWith(job, "refused")
        self.assertEqual(message, f"The S3 endpoint {dead} refused the connection.")

    def test_silent_endpoint_times_out(self):
        with socket.socket() as silent:  # accepts connections (backlog) and never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
            other = self.other_server(*self.endpoint_args(
                endpoint, self.moto.secret_key, "--s3-timeout-ms", str(S3_TIMEOUT_MS)))
            job = self.run_import(f"s3://{BUCKET}/list.csv", ses=other.client(self.account))
        message = self.assertFailedWith(job, "did not answer")
        self.assertEqual(message,
                         f"The S3 endpoint {endpoint} did not answer within {S3_TIMEOUT_MS} ms.")

    # -- fixtures: S3Objects go to the endpoint ----------------------------------------
    def test_fixture_objects_are_uploaded_and_its_job_runs(self):
        key = f"{self.account}/fixture dir/seed.csv"
        lines = ["f1@example.com,BOUNCE", "f2@example.com,COMPLAINT", "not-an-address,BOUNCE"]
        document, job_id = self.fixture_document(f"s3://{BUCKET}/{key}", lines, "CREATED")
        status, error_type, body = self.post_fixture(self.server, document)
        self.assertEqual((status, error_type), (200, None), body)
        self.assertEqual(body["s3Objects"], 1)
        self.assertEqual(body["importJobs"], 1)
        stored = self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode("utf-8")
        self.assertEqual(stored, "".join(line + "\n" for line in lines))
        self.assertFalse(os.path.exists(os.path.join(self.server.s3_dir, BUCKET, key)),
                         "the object was also written under --s3-dir")
        job = wait_for_job(self.ses, job_id)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], 3)
        self.assertEqual(job["FailedRecordsCount"], 1)
        self.assertSuppressed("f1@example.com", "BOUNCE")
        self.assertSuppressed("f2@example.com", "COMPLAINT")
        self.assertSuppressed("fixture-seeded@example.com", "BOUNCE")

    def test_export_file_is_uploaded_streamed(self):
        # A MESSAGE_INSIGHTS export with --s3-endpoint: the finished file is put to S3 with a
        # signed, streamed PutObject (moto checks the signature and the payload hash) and is
        # byte for byte the file the mock serves at its S3Url.
        self.ses.create_email_identity(EmailIdentity="example.com")
        subjects = [f"upload test {i} " + "x" * 200 for i in range(300)]
        for i, subject in enumerate(subjects):
            self.ses.send_email(
                FromEmailAddress="sender@example.com",
                Destination={"ToAddresses": [f"reader{i}@example.com"]},
                Content={"Simple": {"Subject": {"Data": subject},
                                    "Body": {"Text": {"Data": "body"}}}})
        now = time.time()
        job_id = self.ses.create_export_job(
            ExportDataSource={"MessageInsightsDataSource": {"StartDate": now - 3600,
                                                            "EndDate": now + 3600}},
            ExportDestination={"DataFormat": "CSV",
                               "S3Url": f"s3://{BUCKET}/{self.account}/exports/"})["JobId"]
        deadline = time.monotonic() + 20
        job = self.ses.get_export_job(JobId=job_id)
        while job["JobStatus"] not in ("COMPLETED", "FAILED", "CANCELLED"):
            self.assertLess(time.monotonic(), deadline, job)
            time.sleep(0.05)
            job = self.ses.get_export_job(JobId=job_id)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["Statistics"],
                         {"ProcessedRecordsCount": 300, "ExportedRecordsCount": 300})
        with urllib.request.urlopen(job["ExportDestination"]["S3Url"], timeout=10) as resp:
            served = resp.read()
        stored = self.s3.get_object(Bucket=BUCKET,
                                    Key=f"{self.account}/exports/{job_id}.csv")["Body"].read()
        self.assertEqual(stored, served)
        self.assertGreater(len(stored), 300 * 200)
        lines = stored.decode("utf-8").splitlines()
        self.assertEqual(len(lines), 301)  # header + one row per message
        self.assertEqual(sorted(s for s in subjects if s in stored.decode("utf-8")), sorted(subjects))

    def test_fixture_naming_a_missing_bucket_is_rejected_whole(self):
        before = self.ses.list_import_jobs()["ImportJobs"]
        document, job_id = self.fixture_document("s3://no-such-fixture-bucket/seed.csv",
                                                 ["m@example.com,BOUNCE"], "COMPLETED")
        status, error_type, body = self.post_fixture(self.server, document)
        self.assertEqual((status, error_type), (400, "BadRequestException"), body)
        self.assertIn("S3Objects[0]", body["message"])
        self.assertEqual(body["message"], "Fixture rejected at S3Objects[0]: The bucket "
                                          "no-such-fixture-bucket does not exist (NoSuchBucket).")
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], before)
        self.assertClientError("NotFoundException", 404, self.ses.get_import_job, JobId=job_id)
        self.assertClientError("NotFoundException", 404, self.ses.get_suppressed_destination,
                               EmailAddress="fixture-seeded@example.com")
        with self.assertRaises(Exception):  # the loader creates no bucket
            self.s3.head_bucket(Bucket="no-such-fixture-bucket")

    def test_fixture_with_an_unreachable_endpoint_is_a_server_error(self):
        dead = f"http://127.0.0.1:{free_port()}"
        other = self.other_server(*self.endpoint_args(dead, self.moto.secret_key))
        document, job_id = self.fixture_document(f"s3://{BUCKET}/{self.account}/x.csv",
                                                 ["d@example.com,BOUNCE"], "COMPLETED")
        status, _, body = self.post_fixture(other, document)
        self.assertEqual(status, 500, body)
        self.assertEqual(body["message"], f"Fixture rejected at S3Objects[0]: The S3 endpoint "
                                          f"{dead} refused the connection.")
        ses = other.client(self.account)
        self.assertClientError("NotFoundException", 404, ses.get_import_job, JobId=job_id)


if __name__ == "__main__":
    unittest.main(verbosity=2)
