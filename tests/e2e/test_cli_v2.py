"""AWS CLI v2 as Debian ships it (package `awscli` 2.9.x, /usr/bin/aws) against sesv2-mock.

This CLI is older than the one pip gives: it sends ListImportJobs as `GET
/v2/email/import-jobs?PageSize=..&NextToken=..` with `{ImportDestinationType}` as a JSON
body (PageSize and NextToken are query parameters in its model), prints timestamps as ISO 8601 strings (it parses
the server's epoch numbers itself), and has no paginator for sesv2, so `--page-size` and
`--next-token` are the raw request members and `--max-items` is refused.

/usr/bin/aws is called by its full path: the pyenv shim `aws` (CLI v1) comes first on PATH.
Install it with tools/install-deps.sh. Nothing from the user's AWS config leaks in:
HOME is a temporary folder and AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE are /dev/null.
"""
import datetime
import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UUID4_RE, ServerTestCase, unique_account  # noqa: E402

AWS_V2 = os.environ.get("SESV2_E2E_AWS_V2", "/usr/bin/aws")
MAIN_ACCOUNT = "111111111111"
UNKNOWN_JOB = "00000000-0000-4000-8000-000000000000"


def parse_ts(value) -> datetime.datetime:
    """A timestamp as CLI v2 prints it (ISO 8601 by default; epoch if so configured)."""
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return datetime.datetime.fromisoformat(value)


class CliV2Tests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        if not (os.path.isfile(AWS_V2) and os.access(AWS_V2, os.X_OK)):
            raise AssertionError(f"{AWS_V2} not found: run tools/install-deps.sh")
        version = subprocess.run([AWS_V2, "--version"], capture_output=True, text=True,
                                 env=cls.base_env(os.environ.get("TMPDIR", "/tmp")), timeout=60)
        if not version.stdout.startswith("aws-cli/2."):
            raise AssertionError(f"{AWS_V2} is not AWS CLI v2: {version.stdout}{version.stderr}")
        cls.version = version.stdout.split()[0]
        super().setUpClass()
        cls.home = os.path.join(cls.workdir, "home")
        os.makedirs(cls.home, exist_ok=True)

    @staticmethod
    def base_env(home: str) -> dict:
        # Nothing of the caller's AWS or Python setup (pyenv, PYTHONPATH) reaches the CLI.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "PYTHON", "PYENV", "SESV2_MOCK_"))}
        env.update({
            "HOME": home,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_PAGER": "",
        })
        return env

    def aws(self, *args, account=MAIN_ACCOUNT, check=True):
        env = self.base_env(self.home)
        env["AWS_ACCESS_KEY_ID"] = account
        cmd = [AWS_V2, "sesv2", *args, "--endpoint-url", self.server.url, "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        if check:
            self.assertEqual(proc.returncode, 0,
                             f"{' '.join(cmd)}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        return proc

    def create_job(self, s3_url, data_format="CSV", account=MAIN_ACCOUNT, check=True):
        return self.aws(
            "create-import-job",
            "--import-destination",
            json.dumps({"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}}),
            "--import-data-source", json.dumps({"S3Url": s3_url, "DataFormat": data_format}),
            account=account, check=check)

    def wait_completed(self, job_id, account=MAIN_ACCOUNT):
        deadline = time.monotonic() + 60
        while True:
            job = self.aws("get-import-job", "--job-id", job_id, account=account)
            if job["JobStatus"] in ("COMPLETED", "FAILED", "CANCELLED") \
                    or time.monotonic() > deadline:
                return job
            time.sleep(0.2)

    def test_import_get_list_suppressed(self):
        url = self.server.write_s3("cliv2-bucket", "in.csv",
                                   "v2+1@example.com,BOUNCE\n"
                                   "v2-2@EXAMPLE.com,COMPLAINT\n"
                                   "v2-3@example.com,BOUNCE\n"
                                   "not-an-address,BOUNCE\n")
        before = datetime.datetime.now(datetime.timezone.utc)
        created = self.create_job(url)
        self.assertEqual(set(created), {"JobId"})
        job_id = created["JobId"]
        self.assertRegex(job_id, UUID4_RE)

        job = self.wait_completed(job_id)
        after = datetime.datetime.now(datetime.timezone.utc)
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual(job["JobId"], job_id)
        self.assertEqual(job["ProcessedRecordsCount"], 4)
        self.assertEqual(job["FailedRecordsCount"], 1)
        self.assertEqual(job["ImportDataSource"], {"S3Url": url, "DataFormat": "CSV"})
        self.assertEqual(job["ImportDestination"],
                         {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}})
        # CLI v2 turns the server's epoch number into an ISO 8601 string.
        self.assertIsInstance(job["CreatedTimestamp"], str, job)
        created_at = parse_ts(job["CreatedTimestamp"])
        completed_at = parse_ts(job["CompletedTimestamp"])
        self.assertIsNotNone(created_at.tzinfo)
        slack = datetime.timedelta(seconds=2)
        self.assertTrue(before - slack <= created_at <= after + slack,
                        (before, job["CreatedTimestamp"], after))
        self.assertTrue(created_at <= completed_at <= after + slack,
                        (job["CreatedTimestamp"], job["CompletedTimestamp"], after))
        self.assertTrue(job["FailureInfo"]["FailedRecordsS3Url"].startswith("http"), job)

        # ListImportJobs goes out as GET /v2/email/import-jobs with a JSON body.
        listed = self.aws("list-import-jobs")
        self.assertEqual([j["JobId"] for j in listed["ImportJobs"]], [job_id])
        summary = listed["ImportJobs"][0]
        self.assertEqual(summary["JobStatus"], "COMPLETED")
        self.assertEqual(parse_ts(summary["CreatedTimestamp"]), created_at)
        self.assertNotIn("FailureInfo", summary)
        self.assertNotIn("CompletedTimestamp", summary)
        self.assertNotIn("NextToken", listed)
        only_supp = self.aws("list-import-jobs", "--import-destination-type", "SUPPRESSION_LIST")
        self.assertEqual([j["JobId"] for j in only_supp["ImportJobs"]], [job_id])
        only_contacts = self.aws("list-import-jobs", "--import-destination-type", "CONTACT_LIST")
        self.assertEqual(only_contacts["ImportJobs"], [])

        got = self.aws("get-suppressed-destination", "--email-address", "v2+1@example.com")
        dest = got["SuppressedDestination"]
        self.assertEqual(dest["EmailAddress"], "v2+1@example.com")
        self.assertEqual(dest["Reason"], "BOUNCE")
        updated = parse_ts(dest["LastUpdateTime"])
        self.assertTrue(before - slack <= updated <= after + slack, dest)
        got = self.aws("get-suppressed-destination", "--email-address", "v2-2@example.com")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "COMPLAINT")

    def test_list_pagination_page_size_2(self):
        account = unique_account()
        url = self.server.write_s3("cliv2-bucket", f"{account}/page.csv", "page@example.com,BOUNCE\n")
        ids = [self.create_job(url, account=account)["JobId"] for _ in range(5)]
        # This CLI has no paginator for sesv2: --max-items is not an option of the command.
        proc = self.aws("list-import-jobs", "--page-size", "2", "--max-items", "2",
                        account=account, check=False)
        self.assertEqual(proc.returncode, 252, proc.stderr)
        self.assertIn("Unknown options: --max-items", proc.stderr)

        pages, seen, token = [], [], None
        for _ in range(5):
            args = ["list-import-jobs", "--page-size", "2"]
            if token:
                args += ["--next-token", token]
            page = self.aws(*args, account=account)
            pages.append(len(page["ImportJobs"]))
            seen += [j["JobId"] for j in page["ImportJobs"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, [2, 2, 1])
        self.assertEqual(seen, list(reversed(ids)))  # newest first, stable across pages

        # The filter and the page size together.
        page = self.aws("list-import-jobs", "--page-size", "2", "--import-destination-type",
                        "SUPPRESSION_LIST", account=account)
        self.assertEqual([j["JobId"] for j in page["ImportJobs"]], list(reversed(ids))[:2])
        self.assertIn("NextToken", page)

        proc = self.aws("list-import-jobs", "--next-token", "forged", account=account, check=False)
        self.assertEqual(proc.returncode, 254, proc.stderr)
        self.assertIn("BadRequestException", proc.stderr)

    def test_unknown_job_is_not_found(self):
        proc = self.aws("get-import-job", "--job-id", UNKNOWN_JOB, check=False)
        self.assertEqual(proc.returncode, 254, proc.stderr)
        self.assertIn("An error occurred (NotFoundException) when calling the GetImportJob "
                      "operation", proc.stderr)
        self.assertIn(UNKNOWN_JOB, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "")

    def test_bad_data_format_is_rejected_by_the_server(self):
        # botocore does not check enum values client-side, so the request reaches the
        # server, which answers BadRequestException naming the field.
        account = unique_account()
        proc = self.create_job("s3://cliv2-bucket/k.csv", data_format="XML", account=account,
                               check=False)
        self.assertEqual(proc.returncode, 254, proc.stderr)
        self.assertNotIn("Parameter validation failed", proc.stderr)
        self.assertIn("An error occurred (BadRequestException) when calling the "
                      "CreateImportJob operation", proc.stderr)
        self.assertIn("importDataSource.dataFormat", proc.stderr)
        self.assertIn("[CSV, JSON]", proc.stderr)
        # Nothing was stored.
        self.assertEqual(self.aws("list-import-jobs", account=account)["ImportJobs"], [])

    def test_missing_required_member_is_rejected_client_side(self):
        # For contrast: a missing required member never leaves the CLI.
        proc = self.aws("create-import-job", "--import-data-source",
                        '{"S3Url":"s3://b/k.csv","DataFormat":"CSV"}', check=False)
        self.assertEqual(proc.returncode, 252, proc.stderr)
        self.assertIn("--import-destination", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
