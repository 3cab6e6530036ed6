"""The AWS CLI (v1, installed beside the Python that has boto3) against sesv2-mock."""
import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UUID4_RE, ServerTestCase, aws_cli, unique_account  # noqa: E402

AWS = aws_cli()


class CliTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        if AWS is None:
            raise AssertionError("AWS CLI not found (expected next to the boto3 Python)")
        super().setUpClass()

    def setUp(self):
        self.account = unique_account()

    def aws(self, *args, account=None, check=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ACCESS_KEY_ID": account or self.account,
            "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_CONFIG_FILE": os.path.join(self.workdir, "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.workdir, "no-aws-credentials"),
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_PAGER": "",
        })
        cmd = [AWS, "sesv2", *args, "--endpoint-url", self.server.url,
               "--region", "us-east-1", "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if check:
            self.assertEqual(proc.returncode, 0,
                             f"{' '.join(cmd)}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        return proc

    def create_job(self, s3_url, data_format="CSV", action="PUT"):
        return self.aws(
            "create-import-job",
            "--import-destination",
            json.dumps({"SuppressionListDestination": {"SuppressionListImportAction": action}}),
            "--import-data-source", json.dumps({"S3Url": s3_url, "DataFormat": data_format}))

    def test_import_get_list_and_suppressed_destination(self):
        url = self.server.write_s3("cli-bucket", f"{self.account}/in.csv",
                                   "cli+1@example.com,BOUNCE\n"
                                   "cli2@EXAMPLE.com,COMPLAINT\n"
                                   "broken-line\n")
        created = self.create_job(url)
        self.assertEqual(set(created), {"JobId"})
        job_id = created["JobId"]
        self.assertRegex(job_id, UUID4_RE)

        deadline = time.monotonic() + 60
        while True:
            job = self.aws("get-import-job", "--job-id", job_id)
            if job["JobStatus"] in ("COMPLETED", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual(job["JobId"], job_id)
        self.assertEqual(job["ProcessedRecordsCount"], 3)
        self.assertEqual(job["FailedRecordsCount"], 1)
        self.assertEqual(job["ImportDataSource"], {"S3Url": url, "DataFormat": "CSV"})
        self.assertEqual(job["ImportDestination"],
                         {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}})
        self.assertIn("CreatedTimestamp", job)
        self.assertIn("CompletedTimestamp", job)
        self.assertIn("FailedRecordsS3Url", job["FailureInfo"])

        listed = self.aws("list-import-jobs")
        self.assertEqual([j["JobId"] for j in listed["ImportJobs"]], [job_id])
        self.assertNotIn("FailureInfo", listed["ImportJobs"][0])
        self.assertNotIn("CompletedTimestamp", listed["ImportJobs"][0])
        filtered = self.aws("list-import-jobs", "--import-destination-type", "CONTACT_LIST")
        self.assertEqual(filtered["ImportJobs"], [])

        got = self.aws("get-suppressed-destination", "--email-address", "cli+1@example.com")
        self.assertEqual(got["SuppressedDestination"]["EmailAddress"], "cli+1@example.com")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "BOUNCE")
        self.assertIn("LastUpdateTime", got["SuppressedDestination"])
        got = self.aws("get-suppressed-destination", "--email-address", "cli2@example.com")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "COMPLAINT")

        listed = self.aws("list-suppressed-destinations", "--reasons", "COMPLAINT")
        self.assertEqual([d["EmailAddress"] for d in listed["SuppressedDestinationSummaries"]],
                         ["cli2@example.com"])

    def test_put_and_delete_suppressed_destination(self):
        self.assertEqual(self.aws("put-suppressed-destination", "--email-address",
                                  "clip@example.com", "--reason", "COMPLAINT"), {})
        got = self.aws("get-suppressed-destination", "--email-address", "clip@example.com")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "COMPLAINT")
        self.assertEqual(self.aws("delete-suppressed-destination", "--email-address",
                                  "clip@example.com"), {})
        proc = self.aws("get-suppressed-destination", "--email-address", "clip@example.com",
                        check=False)
        self.assertIn(proc.returncode, (254, 255), proc.stderr)
        self.assertIn("NotFoundException", proc.stderr)

    def test_unknown_job_id(self):
        proc = self.aws("get-import-job", "--job-id", "00000000-0000-4000-8000-000000000000",
                        check=False)
        self.assertIn(proc.returncode, (254, 255), proc.stderr)
        self.assertIn("NotFoundException", proc.stderr)
        self.assertIn("00000000-0000-4000-8000-000000000000", proc.stderr)
        self.assertEqual(proc.stdout.strip(), "")

    def test_bad_data_format(self):
        proc = self.aws(
            "create-import-job", "--import-destination",
            '{"SuppressionListDestination":{"SuppressionListImportAction":"PUT"}}',
            "--import-data-source", '{"S3Url":"s3://b/k.csv","DataFormat":"XML"}', check=False)
        self.assertIn(proc.returncode, (254, 255), proc.stderr)
        self.assertIn("BadRequestException", proc.stderr)
        self.assertIn("importDataSource.dataFormat", proc.stderr)

    def test_jobs_are_per_account(self):
        url = self.server.write_s3("cli-bucket", f"{self.account}/acct.csv",
                                   "acct@example.com,BOUNCE\n")
        job_id = self.create_job(url)["JobId"]
        other = unique_account()
        proc = self.aws("get-import-job", "--job-id", job_id, account=other, check=False)
        self.assertIn(proc.returncode, (254, 255), proc.stderr)
        self.assertIn("NotFoundException", proc.stderr)
        self.assertEqual(self.aws("list-import-jobs", account=other)["ImportJobs"], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
