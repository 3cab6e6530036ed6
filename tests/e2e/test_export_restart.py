"""Export jobs across restarts: a MESSAGE_INSIGHTS export killed (kill -9) mid-run resumes
from its checkpoint and writes the same file as an uninterrupted export; a finished export
keeps its state, statistics and file after a restart."""
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import MockServer, http_get  # noqa: E402

ACCOUNT = "222233334444"
MESSAGES = 200
# With --import-rate 40 a batch is 4 messages every 0.1 s: the export takes ~5 s.
RATE = "40"


class ExportRestartTest(unittest.TestCase):

    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sesv2-e2e-export-restart-")
        self.srv = MockServer(self.workdir, "--import-rate", RATE, name="exports")

    def tearDown(self):
        self.srv.kill()
        if os.environ.get("SESV2_E2E_KEEP"):
            sys.stderr.write(f"\n[harness] kept {self.workdir}\n")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def wait(self, ses, job_id, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = ses.get_export_job(JobId=job_id)
            if job["JobStatus"] in ("COMPLETED", "FAILED", "CANCELLED"):
                return job
            time.sleep(0.05)
        self.fail(f"export {job_id} did not finish: {job}")

    def download(self, job):
        status, _, body = http_get(job["ExportDestination"]["S3Url"])
        self.assertEqual(status, 200)
        return body

    def test_kill_9_mid_export_resumes_and_finished_exports_stay(self):
        self.srv.start()
        ses = self.srv.client(ACCOUNT)
        ses.create_email_identity(EmailIdentity="example.com")
        t0 = time.time() - 1
        for i in range(MESSAGES):
            ses.send_email(FromEmailAddress="sender@example.com",
                           Destination={"ToAddresses": [f"user{i}@example.com"]},
                           Content={"Simple": {"Subject": {"Data": f"Message {i}"},
                                               "Body": {"Text": {"Data": "x"}}}})
        source = {"MessageInsightsDataSource": {"StartDate": t0, "EndDate": time.time() + 1}}
        small = ses.create_export_job(
            ExportDataSource={"MessageInsightsDataSource": dict(
                source["MessageInsightsDataSource"], MaxResults=3)},
            ExportDestination={"DataFormat": "CSV"})["JobId"]
        small_job = self.wait(ses, small)
        small_file = self.download(small_job)
        job_id = ses.create_export_job(ExportDataSource=source,
                                       ExportDestination={"DataFormat": "JSON"})["JobId"]
        deadline, seen = time.monotonic() + 30, 0
        while time.monotonic() < deadline:
            job = ses.get_export_job(JobId=job_id)
            self.assertNotEqual(job["JobStatus"], "COMPLETED", "finished before the kill")
            seen = job["Statistics"]["ProcessedRecordsCount"]
            if MESSAGES // 5 <= seen < MESSAGES:
                break
            time.sleep(0.01)
        else:
            self.fail(f"no progress within 30 s (last {seen})")
        self.srv.kill()  # kill -9 mid-export

        self.srv.start(extra_args=[])  # same database and s3 folder, no rate cap
        ses = self.srv.client(ACCOUNT)
        job = self.wait(ses, job_id)
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual(job["Statistics"], {"ProcessedRecordsCount": MESSAGES,
                                             "ExportedRecordsCount": MESSAGES})
        resumed = self.download(job)
        again = self.wait(ses, ses.create_export_job(
            ExportDataSource=source, ExportDestination={"DataFormat": "JSON"})["JobId"])
        self.assertEqual(resumed, self.download(again))
        self.assertEqual(len(resumed.splitlines()), MESSAGES)
        # the export finished before the kill is as it was
        after = ses.get_export_job(JobId=small)
        self.assertEqual((after["JobStatus"], after["Statistics"], after["CompletedTimestamp"]),
                         (small_job["JobStatus"], small_job["Statistics"],
                          small_job["CompletedTimestamp"]))
        self.assertEqual(self.download(after), small_file)
        self.assertEqual(len(ses.list_export_jobs()["ExportJobs"]), 3)


if __name__ == "__main__":
    unittest.main()
