"""The job pipeline under load and change (issue 8 and issue 12 defect 5): jobs share the
worker pool fairly, /advance never runs an import on an HTTP thread, and a source file that
changes under a job fails it rather than completing it with part of the records."""
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import MockServer, suppression_import, wait_for_job  # noqa: E402

ACCOUNT = "123456789012"


def lines(n, prefix="u"):
    return "".join(f"{prefix}{i}@example.com,BOUNCE\n" for i in range(n))


def post(url, timeout=30):
    req = urllib.request.Request(url, data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, json.loads(r.read() or b"{}")


def wait_progress(ses, job_id, at_least=1, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ses.get_import_job(JobId=job_id)
        if job.get("ProcessedRecordsCount", 0) >= at_least:
            return job
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} made no progress in {timeout}s")


class PipelineTestCase(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix=f"sesv2-e2e-pipeline-{self._testMethodName}-")
        self.servers = []

    def server(self, *args):
        srv = MockServer(self.workdir, *args)
        self.servers.append(srv)
        srv.start()
        return srv

    def tearDown(self):
        failed = any(err for _, err in getattr(self._outcome, "errors", []) if err)
        for srv in self.servers:
            srv.kill()
            if failed:
                sys.stderr.write(srv.log_tail() + "\n")
        shutil.rmtree(self.workdir, ignore_errors=True)


class PoolTests(PipelineTestCase):
    def test_small_job_is_not_held_behind_a_large_one(self):
        # Before: one worker thread ran jobs one at a time; the small job waited ~10 s.
        srv = self.server("--import-rate", "1000", "--job-threads", "1")
        ses = srv.client(ACCOUNT)
        large = suppression_import(ses, srv.write_s3("b", "large.csv", lines(10_000, "l")))
        wait_progress(ses, large)
        started = time.monotonic()
        small = suppression_import(ses, srv.write_s3("b", "small.csv", lines(1, "s")))
        job = wait_for_job(ses, small, timeout=15)
        took = time.monotonic() - started
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 1))
        self.assertLess(took, 1.5, f"the 1-record job took {took:.1f}s behind the large one")
        self.assertEqual(ses.get_import_job(JobId=large)["JobStatus"], "PROCESSING")

    def test_advance_answers_at_once_and_health_stays_fast(self):
        # Before: the second advance ran the whole import on the HTTP thread (4 s here).
        srv = self.server("--processing-mode", "manual", "--import-rate", "500")
        ses = srv.client(ACCOUNT)
        jobs = [suppression_import(ses, srv.write_s3("b", f"a{i}.csv", lines(2_000, f"a{i}-")))
                for i in range(2)]
        for job_id in jobs:
            self.assertEqual(post(f"{srv.url}/_mock/import-jobs/{job_id}/advance")[1]["JobStatus"],
                             "PROCESSING")
        for job_id in jobs:
            started = time.monotonic()
            status, answer = post(f"{srv.url}/_mock/import-jobs/{job_id}/advance")
            self.assertEqual((status, answer["JobStatus"]), (200, "PROCESSING"))
            self.assertLess(time.monotonic() - started, 0.5)
        started = time.monotonic()
        self.assertEqual(srv.health()[0], 200)
        self.assertLess(time.monotonic() - started, 0.5)
        for job_id in jobs:
            job = wait_for_job(ses, job_id, timeout=30)
            self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 2_000))


class ChangedSourceTests(PipelineTestCase):
    def test_file_cut_while_the_job_reads_it(self):
        srv = self.server("--import-rate", "2000")
        ses = srv.client(ACCOUNT)
        content = lines(10_000)
        job_id = suppression_import(ses, srv.write_s3("b", "cut.csv", content))
        wait_progress(ses, job_id)
        srv.write_s3("b", "cut.csv", content[: len(content) // 2])
        job = wait_for_job(ses, job_id, timeout=30)
        self.assertEqual(job["JobStatus"], "FAILED", job)
        self.assertTrue(job["FailureInfo"]["ErrorMessage"].startswith(
            "The object s3://b/cut.csv changed while the import job was reading it"), job)

    def test_file_cut_below_the_checkpoint_while_the_server_is_down(self):
        srv = self.server("--import-rate", "2000")
        ses = srv.client(ACCOUNT)
        content = lines(10_000)
        job_id = suppression_import(ses, srv.write_s3("b", "down.csv", content))
        seen = wait_progress(ses, job_id, at_least=2_000)["ProcessedRecordsCount"]
        srv.kill()
        srv.write_s3("b", "down.csv", content[: len(content) // 10])  # 1,000 records < seen
        srv.start(extra_args=[])
        ses = srv.client(ACCOUNT)
        job = wait_for_job(ses, job_id, timeout=30)
        self.assertEqual(job["JobStatus"], "FAILED", job)
        self.assertGreaterEqual(job["ProcessedRecordsCount"], seen)
        self.assertTrue(job["FailureInfo"]["ErrorMessage"].startswith(
            "The object s3://b/down.csv changed after the import job started reading it"), job)

    def test_unchanged_file_resumes_to_the_exact_count(self):
        srv = self.server("--import-rate", "2000")
        ses = srv.client(ACCOUNT)
        job_id = suppression_import(ses, srv.write_s3("b", "same.csv", lines(6_000)))
        wait_progress(ses, job_id, at_least=2_000)
        srv.kill()
        srv.start(extra_args=[])
        job = wait_for_job(srv.client(ACCOUNT), job_id, timeout=30)
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 6_000))


if __name__ == "__main__":
    unittest.main(verbosity=2)
