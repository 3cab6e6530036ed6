"""The /_mock control API (SPEC section 5, issue 4), end to end: processing modes, job control
(advance / cancel / fail), fault injection as boto3 sees it, and reset.

Control calls are plain JSON over http.client (the control API is not an AWS API); SES calls
go through boto3. Each class runs its own server; tests that change server-wide settings
(mode, faults, reset) restore them or live in a class of their own.
"""
import csv
import datetime as dt
import io
import json
import os
import sys
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    DEFAULT_REGION, FINAL_STATES, ServerTestCase, error_of, http_get, list_all_suppressed,
    suppression_import, unique_account, wait_for_job)


# -- raw control calls ------------------------------------------------------------------------
def control(server, method, path, body=None, raw=None):
    """One control call: (status, lower-cased headers, parsed JSON body or None)."""
    conn = server.connection()
    try:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    parsed = json.loads(payload) if payload else None
    return resp.status, hdrs, parsed


def epoch(value):
    """A boto3 datetime (or an epoch number) as epoch seconds."""
    return value.timestamp() if isinstance(value, dt.datetime) else float(value)


class ControlMixin:
    """Helpers shared by the control test classes (mixed into ServerTestCase subclasses)."""

    def ok(self, method, path, body=None):
        status, headers, parsed = control(self.server, method, path, body)
        self.assertEqual(status, 200, f"{method} {path} -> {status} {parsed}")
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertIn("x-amzn-requestid", headers)
        return parsed

    def control_error(self, status, code, method, path, body=None, raw=None):
        """Require an AWS-style error from a control call; returns its message."""
        got, headers, parsed = control(self.server, method, path, body, raw)
        self.assertEqual(got, status, f"{method} {path} -> {got} {parsed}")
        self.assertEqual(headers.get("x-amzn-errortype"), code, parsed)
        self.assertIn("x-amzn-requestid", headers)
        self.assertIsInstance(parsed, dict)
        self.assertIsInstance(parsed.get("message"), str, parsed)
        return parsed["message"]

    def set_config(self, **body):
        return self.ok("POST", "/_mock/config", body)

    def write_lines(self, key, lines):
        return self.server.write_s3("control-" + self.account, key, "".join(l + "\n" for l in lines))

    def new_job(self, lines=("a1@example.com,BOUNCE", "a2@example.com,COMPLAINT"), key=None):
        url = self.write_lines(key or f"{uuid.uuid4()}.csv", list(lines))
        return suppression_import(self.ses, url)

    def statuses_until_final(self, job_id, timeout=10.0, interval=0.02):
        """Poll GetImportJob; the distinct JobStatus values seen, in order, and the last job."""
        seen, last = [], None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.ses.get_import_job(JobId=job_id)
            if not seen or seen[-1] != last["JobStatus"]:
                seen.append(last["JobStatus"])
            if last["JobStatus"] in ("CREATED", "PROCESSING"):
                self.assertNotIn("CompletedTimestamp", last, f"unfinished job has one: {last}")
            if last["JobStatus"] in FINAL_STATES:
                return seen, last
            time.sleep(interval)
        self.fail(f"job {job_id} did not end within {timeout}s; seen {seen}")

    def stays(self, job_id, status, seconds, interval=0.1):
        """GetImportJob answers `status` throughout `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job = self.ses.get_import_job(JobId=job_id)
            self.assertEqual(job["JobStatus"], status, job)
            time.sleep(interval)
        return self.ses.get_import_job(JobId=job_id)

    def assertMatchesGetImportJob(self, answer, job_id):
        """A control answer is GetImportJob's shape plus Account and Region."""
        got = self.ses.get_import_job(JobId=job_id)
        self.assertEqual(answer["Account"], self.account)
        self.assertEqual(answer["Region"], DEFAULT_REGION)
        for key in ("JobId", "JobStatus", "ImportDestination", "ImportDataSource",
                    "ProcessedRecordsCount", "FailedRecordsCount"):
            self.assertEqual(answer[key], got[key], key)
        self.assertAlmostEqual(answer["CreatedTimestamp"], epoch(got["CreatedTimestamp"]), places=3)
        self.assertEqual("CompletedTimestamp" in answer, "CompletedTimestamp" in got)
        if "CompletedTimestamp" in got:
            self.assertAlmostEqual(answer["CompletedTimestamp"], epoch(got["CompletedTimestamp"]),
                                   places=3)
        self.assertEqual(answer.get("FailureInfo", {}).get("ErrorMessage"),
                         got.get("FailureInfo", {}).get("ErrorMessage"))
        return got


# =============================================================================================
class ProcessingModeTests(ControlMixin, ServerTestCase):
    """immediate (the default), delayed and manual, and switching between them at run time."""

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.set_config(processingMode="immediate", processingDelayMs=1000)

    def tearDown(self):
        self.set_config(processingMode="immediate", processingDelayMs=1000)

    def test_health_and_config(self):
        status, body = self.server.health()
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "ok")
        self.assertEqual(json.loads(body)["processingMode"], "immediate")
        config = self.ok("GET", "/_mock/config")
        self.assertEqual((config["processingMode"], config["processingDelayMs"]), ("immediate", 1000))

        answer = self.set_config(processingMode="delayed", processingDelayMs=250)
        self.assertEqual((answer["processingMode"], answer["processingDelayMs"]), ("delayed", 250))
        config = self.ok("GET", "/_mock/config")
        self.assertEqual((config["processingMode"], config["processingDelayMs"]), ("delayed", 250))
        self.assertEqual(self.ok("GET", "/_mock/health")["processingMode"], "delayed")

        # Either member alone changes only itself.
        answer = self.set_config(processingMode="manual")
        self.assertEqual((answer["processingMode"], answer["processingDelayMs"]), ("manual", 250))
        answer = self.set_config(processingDelayMs=40)
        self.assertEqual((answer["processingMode"], answer["processingDelayMs"]), ("manual", 40))

    def test_bad_config_is_rejected_and_changes_nothing(self):
        self.set_config(processingMode="delayed", processingDelayMs=300)
        message = self.control_error(400, "BadRequestException", "POST", "/_mock/config",
                                     {"processingMode": "fast"})
        self.assertEqual(message, "1 validation error detected: Value at 'processingMode' failed to "
                                  "satisfy constraint: Member must satisfy enum value set: "
                                  "[immediate, delayed, manual]")
        self.control_error(400, "BadRequestException", "POST", "/_mock/config",
                           {"processingDelayMs": -1})
        self.control_error(400, "BadRequestException", "POST", "/_mock/config", raw=b"{mode")
        config = self.ok("GET", "/_mock/config")
        self.assertEqual((config["processingMode"], config["processingDelayMs"]), ("delayed", 300))

    def test_immediate_mode_completes_the_job(self):
        job_id = self.new_job(["i1@example.com,BOUNCE", "i2@example.com,COMPLAINT", "broken,BOUNCE"])
        job = wait_for_job(self.ses, job_id, timeout=5)
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (3, 1))
        self.assertEqual(self.ses.get_suppressed_destination(EmailAddress="i2@example.com")
                         ["SuppressedDestination"]["Reason"], "COMPLAINT")

    def test_delayed_mode_shows_each_state_in_order(self):
        self.set_config(processingMode="delayed", processingDelayMs=300)
        job_id = self.new_job(["d1@example.com,BOUNCE", "d2@example.com,BOUNCE"])
        seen, job = self.statuses_until_final(job_id)
        self.assertEqual(seen, ["CREATED", "PROCESSING", "COMPLETED"])
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (2, 0))
        # A pause of 300 ms in CREATED and another in PROCESSING.
        took = epoch(job["CompletedTimestamp"]) - epoch(job["CreatedTimestamp"])
        self.assertGreaterEqual(took, 0.59, job)
        self.assertLess(took, 5.0, job)

    def test_delayed_mode_waits_in_created(self):
        self.set_config(processingMode="delayed", processingDelayMs=1500)
        job_id = self.new_job()
        job = self.stays(job_id, "CREATED", 1.0)
        self.assertEqual(job["ProcessedRecordsCount"], 0)
        job = wait_for_job(self.ses, job_id, timeout=10)
        self.assertEqual(job["JobStatus"], "COMPLETED")

    def test_manual_mode_waits_for_advance(self):
        self.set_config(processingMode="manual")
        job_id = self.new_job(["m1@example.com,BOUNCE", "m2@example.com,COMPLAINT",
                               "not-an-address,BOUNCE", "m3@example.com,SPAM"])
        job = self.stays(job_id, "CREATED", 1.0)
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (0, 0))

        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/advance")
        self.assertEqual(answer["JobStatus"], "PROCESSING")
        self.assertNotIn("CompletedTimestamp", answer)
        self.assertMatchesGetImportJob(answer, job_id)
        job = self.stays(job_id, "PROCESSING", 0.5)
        self.assertNotIn("CompletedTimestamp", job)
        self.assertClientError("NotFoundException", 404, self.ses.get_suppressed_destination,
                               EmailAddress="m1@example.com")

        # advance hands the job to the worker pool and answers at once (a job this small may
        # already be done); poll for the end.
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/advance")
        self.assertIn(answer["JobStatus"], ("PROCESSING", "COMPLETED"))
        job = wait_for_job(self.ses, job_id, timeout=10)
        self.assertEqual(job["JobStatus"], "COMPLETED")
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (4, 2))
        self.assertGreaterEqual(job["CompletedTimestamp"], job["CreatedTimestamp"])
        self.assertEqual({d["EmailAddress"]: d["Reason"] for d in list_all_suppressed(self.ses)},
                         {"m1@example.com": "BOUNCE", "m2@example.com": "COMPLAINT"})

    def test_mode_switched_at_run_time(self):
        # manual -> immediate: a waiting job runs without being advanced.
        answer = self.set_config(processingMode="manual")
        self.assertEqual(answer["processingMode"], "manual")
        job_id = self.new_job()
        self.stays(job_id, "CREATED", 0.8)
        self.set_config(processingMode="immediate")
        job = wait_for_job(self.ses, job_id, timeout=5)
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 2))

        # manual -> delayed: the waiting job now passes through PROCESSING, visibly.
        self.set_config(processingMode="manual")
        job_id = self.new_job()
        self.stays(job_id, "CREATED", 0.5)
        self.set_config(processingMode="delayed", processingDelayMs=400)
        seen, job = self.statuses_until_final(job_id)
        self.assertEqual(seen[-2:], ["PROCESSING", "COMPLETED"])
        self.assertEqual(job["ProcessedRecordsCount"], 2)

        # immediate -> manual: new jobs wait again.
        self.set_config(processingMode="manual")
        job_id = self.new_job()
        self.stays(job_id, "CREATED", 0.8)


class StartupModeTests(ControlMixin, ServerTestCase):
    """--processing-mode and --processing-delay-ms at start."""
    server_args = ("--processing-mode", "delayed", "--processing-delay-ms", "350")

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)

    def test_flags_set_the_mode(self):
        config = self.ok("GET", "/_mock/config")
        self.assertEqual((config["processingMode"], config["processingDelayMs"]), ("delayed", 350))
        self.assertEqual(self.ok("GET", "/_mock/health")["processingMode"], "delayed")
        job_id = self.new_job()
        seen, job = self.statuses_until_final(job_id)
        self.assertEqual(seen, ["CREATED", "PROCESSING", "COMPLETED"])
        self.assertGreaterEqual(epoch(job["CompletedTimestamp"]) - epoch(job["CreatedTimestamp"]), 0.69)


# =============================================================================================
class JobControlTests(ControlMixin, ServerTestCase):
    """advance / cancel / fail from every state, in manual mode so jobs stay where put."""
    server_args = ("--processing-mode", "manual")

    LINES = ("c1@example.com,BOUNCE", "c2@example.com,COMPLAINT", "nope,BOUNCE")

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)

    def job_in(self, state):
        """A job of this test's account brought to `state` through the control API."""
        job_id = self.new_job(self.LINES)
        if state in ("PROCESSING", "COMPLETED"):
            self.ok("POST", f"/_mock/import-jobs/{job_id}/advance")
        if state == "COMPLETED":
            self.ok("POST", f"/_mock/import-jobs/{job_id}/advance")
            wait_for_job(self.ses, job_id, timeout=10)  # the pool runs it
        if state == "FAILED":
            self.ok("POST", f"/_mock/import-jobs/{job_id}/fail", {"message": "set up as FAILED"})
        if state == "CANCELLED":
            self.ok("POST", f"/_mock/import-jobs/{job_id}/cancel")
        self.assertEqual(self.ses.get_import_job(JobId=job_id)["JobStatus"], state)
        return job_id

    def test_manual_mode_from_the_flag(self):
        self.assertEqual(self.ok("GET", "/_mock/config")["processingMode"], "manual")

    # -- legal moves --------------------------------------------------------------------------
    def test_advance_created_then_processing(self):
        job_id = self.job_in("CREATED")
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/advance")
        self.assertEqual((answer["JobStatus"], answer["ProcessedRecordsCount"]), ("PROCESSING", 0))
        self.assertMatchesGetImportJob(answer, job_id)
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/advance")
        # Handed to the pool and answered at once: a job this small may already be done.
        self.assertIn(answer["JobStatus"], ("PROCESSING", "COMPLETED"))
        job = wait_for_job(self.ses, job_id, timeout=10)
        self.assertEqual(job["JobStatus"], "COMPLETED")
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (3, 1))
        self.assertTrue(job["FailureInfo"]["FailedRecordsS3Url"].startswith(self.server.url + "/"))
        self.assertNotIn("ErrorMessage", job["FailureInfo"])
        status, _, body = http_get(job["FailureInfo"]["FailedRecordsS3Url"])
        self.assertEqual(status, 200)
        rows = list(csv.reader(io.StringIO(body.decode())))
        self.assertEqual(rows[0], ["lineNumber", "failureReason", "record"])
        self.assertEqual([(r[0], r[2]) for r in rows[1:]], [("3", "nope,BOUNCE")])
        self.assertTrue(rows[1][1], rows)

    def check_cancelled(self, job_id, before, after, processed):
        job = self.ses.get_import_job(JobId=job_id)
        self.assertEqual(job["JobStatus"], "CANCELLED")
        self.assertIn("CompletedTimestamp", job)
        self.assertGreaterEqual(epoch(job["CompletedTimestamp"]), before - 0.5)
        self.assertLessEqual(epoch(job["CompletedTimestamp"]), after + 0.5)
        self.assertGreaterEqual(job["CompletedTimestamp"], job["CreatedTimestamp"])
        self.assertEqual(job["ProcessedRecordsCount"], processed)
        self.assertNotIn("FailureInfo", job)
        # Nothing of the file was imported, and the worker does not pick it up later.
        self.assertEqual(list_all_suppressed(self.ses), [])

    def test_cancel_created(self):
        job_id = self.job_in("CREATED")
        before = time.time()
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/cancel")
        after = time.time()
        self.assertEqual(answer["JobStatus"], "CANCELLED")
        self.assertIn("CompletedTimestamp", answer)
        self.assertMatchesGetImportJob(answer, job_id)
        self.check_cancelled(job_id, before, after, 0)

    def test_cancel_processing(self):
        job_id = self.job_in("PROCESSING")
        before = time.time()
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/cancel")
        after = time.time()
        self.assertEqual(answer["JobStatus"], "CANCELLED")
        self.assertMatchesGetImportJob(answer, job_id)
        self.check_cancelled(job_id, before, after, 0)

    def check_failed(self, job_id, message, before, after):
        job = self.ses.get_import_job(JobId=job_id)
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(job["FailureInfo"]["ErrorMessage"], message)
        self.assertNotIn("FailedRecordsS3Url", job["FailureInfo"])
        self.assertGreaterEqual(epoch(job["CompletedTimestamp"]), before - 0.5)
        self.assertLessEqual(epoch(job["CompletedTimestamp"]), after + 0.5)
        self.assertGreaterEqual(job["CompletedTimestamp"], job["CreatedTimestamp"])
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (0, 0))
        self.assertEqual(list_all_suppressed(self.ses), [])
        summaries = self.ses.list_import_jobs()["ImportJobs"]
        self.assertEqual([(s["JobId"], s["JobStatus"]) for s in summaries], [(job_id, "FAILED")])

    def test_fail_created(self):
        job_id = self.job_in("CREATED")
        message = 'Quota "daily-import" exceeded \u2014 try again tomorrow. \u2713'
        before = time.time()
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/fail", {"message": message})
        after = time.time()
        self.assertEqual(answer["JobStatus"], "FAILED")
        self.assertEqual(answer["FailureInfo"]["ErrorMessage"], message)
        self.assertMatchesGetImportJob(answer, job_id)
        self.check_failed(job_id, message, before, after)

    def test_fail_processing(self):
        job_id = self.job_in("PROCESSING")
        message = "The bucket policy denies sesv2-mock access to the object."
        before = time.time()
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/fail", {"message": message})
        after = time.time()
        self.assertEqual(answer["JobStatus"], "FAILED")
        self.assertMatchesGetImportJob(answer, job_id)
        self.check_failed(job_id, message, before, after)

    def test_fail_without_a_message_uses_a_default(self):
        job_id = self.job_in("CREATED")
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/fail")
        self.assertEqual(answer["JobStatus"], "FAILED")
        self.assertEqual(answer["FailureInfo"]["ErrorMessage"],
                         "The import job was failed by the control API.")

    # -- illegal moves ------------------------------------------------------------------------
    def test_no_move_out_of_a_final_state(self):
        for state in ("COMPLETED", "FAILED", "CANCELLED"):
            with self.subTest(state=state):
                job_id = self.job_in(state)
                before = self.ses.get_import_job(JobId=job_id)

                message = self.control_error(409, "ConflictException", "POST",
                                             f"/_mock/import-jobs/{job_id}/advance")
                self.assertIn(job_id, message)
                self.assertIn(state, message)
                message = self.control_error(409, "ConflictException", "POST",
                                             f"/_mock/import-jobs/{job_id}/cancel")
                self.assertEqual(message, f"Import job {job_id} is {state}; it cannot move to CANCELLED.")
                message = self.control_error(409, "ConflictException", "POST",
                                             f"/_mock/import-jobs/{job_id}/fail", {"message": "late"})
                self.assertEqual(message, f"Import job {job_id} is {state}; it cannot move to FAILED.")

                after = self.ses.get_import_job(JobId=job_id)
                for key in ("JobStatus", "CompletedTimestamp", "ProcessedRecordsCount",
                            "FailedRecordsCount", "FailureInfo"):
                    self.assertEqual(after.get(key), before.get(key), key)

    def test_unknown_job(self):
        job_id = str(uuid.uuid4())
        for method, path, body in (("GET", f"/_mock/import-jobs/{job_id}", None),
                                   ("POST", f"/_mock/import-jobs/{job_id}/advance", None),
                                   ("POST", f"/_mock/import-jobs/{job_id}/cancel", None),
                                   ("POST", f"/_mock/import-jobs/{job_id}/fail", {"message": "x"})):
            with self.subTest(path=path):
                message = self.control_error(404, "NotFoundException", method, path, body)
                self.assertIn(job_id, message)

    def test_control_reads_a_job_of_any_account(self):
        account = unique_account()
        ses = self.server.client(account, region="eu-west-2")
        url = self.server.write_s3("control-any", f"{account}.csv", "z@example.com,BOUNCE\n")
        job_id = suppression_import(ses, url)
        answer = self.ok("GET", f"/_mock/import-jobs/{job_id}")
        self.assertEqual((answer["Account"], answer["Region"]), (account, "eu-west-2"))
        self.assertEqual((answer["JobId"], answer["JobStatus"]), (job_id, "CREATED"))
        self.assertEqual(answer["ImportDataSource"], {"S3Url": url, "DataFormat": "CSV"})
        # ... and can move it, though SES itself only shows it to its own account and region.
        self.assertEqual(self.ok("POST", f"/_mock/import-jobs/{job_id}/cancel")["JobStatus"], "CANCELLED")
        self.assertEqual(ses.get_import_job(JobId=job_id)["JobStatus"], "CANCELLED")
        self.assertClientError("NotFoundException", 404, self.ses.get_import_job, JobId=job_id)


# =============================================================================================
class SlowImportControlTests(ControlMixin, ServerTestCase):
    """Cancel and fail a job while it runs (the import rate is capped at 2,000 records/s)."""
    server_args = ("--import-rate", "2000")

    TOTAL = 20_000

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)

    def start_slow_job(self):
        job_id = self.new_job([f"slow{i}@example.com,BOUNCE" for i in range(self.TOTAL)],
                              key="slow.csv")
        job = wait_for_job(self.ses, job_id, states=("PROCESSING",) + FINAL_STATES, timeout=10)
        self.assertEqual(job["JobStatus"], "PROCESSING", job)
        deadline = time.monotonic() + 10
        while job["ProcessedRecordsCount"] < 400 and time.monotonic() < deadline:
            time.sleep(0.05)
            job = self.ses.get_import_job(JobId=job_id)
        self.assertEqual(job["JobStatus"], "PROCESSING", job)
        self.assertGreaterEqual(job["ProcessedRecordsCount"], 400)
        self.assertLess(job["ProcessedRecordsCount"], self.TOTAL)
        return job_id

    def assertStopped(self, job_id, state, answer):
        job = self.ses.get_import_job(JobId=job_id)
        processed = job["ProcessedRecordsCount"]
        self.assertEqual(job["JobStatus"], state)
        self.assertLess(processed, self.TOTAL)
        self.assertEqual(answer["ProcessedRecordsCount"], processed)
        time.sleep(1.0)  # at 2,000 records/s a running job would add ~2,000 meanwhile
        job = self.ses.get_import_job(JobId=job_id)
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), (state, processed))
        # What was imported is exactly what was counted, nothing after the stop.
        self.assertEqual(len(list_all_suppressed(self.ses)), processed)
        return job

    def test_cancel_while_processing_stops_the_import(self):
        job_id = self.start_slow_job()
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/cancel")
        self.assertEqual(answer["JobStatus"], "CANCELLED")
        job = self.assertStopped(job_id, "CANCELLED", answer)
        self.assertIn("CompletedTimestamp", job)
        self.assertNotIn("FailureInfo", job)

    def test_fail_while_processing_stops_the_import(self):
        job_id = self.start_slow_job()
        answer = self.ok("POST", f"/_mock/import-jobs/{job_id}/fail",
                         {"message": "Stopped halfway on purpose."})
        self.assertEqual(answer["JobStatus"], "FAILED")
        job = self.assertStopped(job_id, "FAILED", answer)
        self.assertEqual(job["FailureInfo"]["ErrorMessage"], "Stopped halfway on purpose.")
        self.assertIn("CompletedTimestamp", job)

    def test_worker_goes_on_after_a_cancel(self):
        job_id = self.start_slow_job()
        self.ok("POST", f"/_mock/import-jobs/{job_id}/cancel")
        small = self.new_job(["after@example.com,COMPLAINT"])
        job = wait_for_job(self.ses, small, timeout=5)
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 1))


# =============================================================================================
class FaultInjectionTests(ControlMixin, ServerTestCase):
    """Faults as boto3 sees them. Counting is per HTTP request, retries included."""

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.ok("DELETE", "/_mock/faults")
        url = self.server.write_s3("faults", f"{self.account}.csv", "f@example.com,BOUNCE\n")
        self.job_id = suppression_import(self.ses, url)
        wait_for_job(self.ses, self.job_id)

    def tearDown(self):
        self.ok("DELETE", "/_mock/faults")

    def sdk(self, **retries):
        cfg = Config(retries=retries, connect_timeout=5, read_timeout=30)
        return boto3.session.Session().client(
            "sesv2", endpoint_url=self.server.url, region_name=DEFAULT_REGION,
            aws_access_key_id=self.account, aws_secret_access_key="x", config=cfg)

    def add_fault(self, **fault):
        answer = self.ok("POST", "/_mock/faults", fault)
        self.assertIsInstance(answer["id"], str)
        self.assertTrue(answer["id"])
        return answer

    def faults(self):
        return self.ok("GET", "/_mock/faults")["faults"]

    def expect_error(self, code, status, fn, **kwargs):
        try:
            resp = fn(**kwargs)
        except ClientError as e:
            got = error_of(e)
            self.assertEqual(got[:2], (code, status), got)
            headers = e.response["ResponseMetadata"]["HTTPHeaders"]
            self.assertEqual(headers.get("x-amzn-errortype"), code)
            self.assertIn("x-amzn-requestid", headers)
            return e
        self.fail(f"expected {code}, got {resp}")

    def test_next_two_calls_throttle_with_retries_off(self):
        fault = self.add_fault(operation="GetImportJob", errorCode="TooManyRequestsException",
                               message="slow down", count=2)
        self.assertEqual((fault["operation"], fault["errorCode"], fault["status"], fault["message"],
                          fault["matched"], fault["remaining"]),
                         ("GetImportJob", "TooManyRequestsException", 429, "slow down", 0, 2))
        ses = self.sdk(total_max_attempts=1)
        e = self.expect_error("TooManyRequestsException", 429, ses.get_import_job, JobId=self.job_id)
        self.assertEqual(error_of(e)[2], "slow down")
        self.assertEqual(e.response["ResponseMetadata"].get("RetryAttempts", 0), 0)
        listed = self.faults()
        self.assertEqual([(f["id"], f["matched"], f["remaining"]) for f in listed],
                         [(fault["id"], 1, 1)])
        e = self.expect_error("TooManyRequestsException", 429, ses.get_import_job, JobId=self.job_id)
        self.assertEqual(error_of(e)[2], "slow down")
        self.assertEqual(self.faults(), [])  # used up: gone
        job = ses.get_import_job(JobId=self.job_id)
        self.assertEqual(job["JobStatus"], "COMPLETED")
        self.assertEqual(job["ResponseMetadata"].get("RetryAttempts", 0), 0)

    def test_next_two_calls_throttle_with_standard_retries(self):
        self.add_fault(operation="GetImportJob", errorCode="TooManyRequestsException",
                       message="slow down", count=2)
        ses = self.sdk(mode="standard", max_attempts=3)
        job = ses.get_import_job(JobId=self.job_id)  # attempts 1 and 2 throttled, 3 succeeds
        self.assertEqual(job["JobId"], self.job_id)
        self.assertEqual(job["JobStatus"], "COMPLETED")
        self.assertEqual(job["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(job["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.faults(), [])
        again = ses.get_import_job(JobId=self.job_id)
        self.assertEqual(again["ResponseMetadata"].get("RetryAttempts", 0), 0)

    def test_retries_run_out(self):
        fault = self.add_fault(operation="GetImportJob", errorCode="TooManyRequestsException",
                               message="slow down", count=5)
        ses = self.sdk(mode="standard", total_max_attempts=3)
        e = self.expect_error("TooManyRequestsException", 429, ses.get_import_job, JobId=self.job_id)
        self.assertEqual(e.response["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual([(f["id"], f["matched"], f["remaining"]) for f in self.faults()],
                         [(fault["id"], 3, 2)])
        # Two left: the next call's first two attempts fail, its third succeeds.
        job = ses.get_import_job(JobId=self.job_id)
        self.assertEqual(job["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(self.faults(), [])

    def test_fault_for_a_time(self):
        fault = self.add_fault(operation="ListImportJobs", errorCode="InternalServiceErrorException",
                               message="maintenance window", durationMs=3000)
        self.assertNotIn("remaining", fault)
        # A window of seconds, so a loaded machine still fits several calls into it.
        self.assertAlmostEqual(fault["until"], time.time() + 3.0, delta=1.0)
        ses = self.sdk(total_max_attempts=1)
        failures = 0
        while time.time() < fault["until"] - 0.3:
            e = self.expect_error("InternalServiceErrorException", 500, ses.list_import_jobs)
            self.assertEqual(error_of(e)[2], "maintenance window")
            failures += 1
            time.sleep(0.05)
        self.assertGreaterEqual(failures, 2)
        self.assertEqual([f["matched"] for f in self.faults()], [failures])
        # Other operations are untouched meanwhile.
        self.assertEqual(ses.get_import_job(JobId=self.job_id)["JobStatus"], "COMPLETED")
        time.sleep(max(0.0, fault["until"] - time.time()) + 0.1)
        jobs = ses.list_import_jobs()["ImportJobs"]
        self.assertEqual([j["JobId"] for j in jobs], [self.job_id])
        self.assertEqual(self.faults(), [])

    def test_star_matches_every_ses_operation_but_not_the_control_api(self):
        fault = self.add_fault(operation="*", errorCode="LimitExceededException",
                               message="over the limit", count=3)
        ses = self.sdk(total_max_attempts=1)
        e = self.expect_error("LimitExceededException", 400, ses.get_import_job, JobId=self.job_id)
        self.assertEqual(error_of(e)[2], "over the limit")
        # /_mock routes are never faulted and use no count.
        self.assertEqual(self.ok("GET", "/_mock/health")["status"], "ok")
        self.assertEqual(self.ok("GET", f"/_mock/import-jobs/{self.job_id}")["JobStatus"], "COMPLETED")
        self.assertEqual([(f["id"], f["matched"], f["remaining"]) for f in self.faults()],
                         [(fault["id"], 1, 2)])
        self.expect_error("LimitExceededException", 400, ses.list_suppressed_destinations)
        self.expect_error("LimitExceededException", 400, ses.put_suppressed_destination,
                          EmailAddress="star@example.com", Reason="BOUNCE")
        self.assertEqual(self.faults(), [])
        # The faulted PUT stored nothing; calls go through again.
        self.assertClientError("NotFoundException", 404, ses.get_suppressed_destination,
                               EmailAddress="star@example.com")
        self.assertEqual(ses.get_import_job(JobId=self.job_id)["JobStatus"], "COMPLETED")

    def test_fault_without_count_or_duration_lasts_until_removed(self):
        fault = self.add_fault(operation="*", errorCode="InternalServiceErrorException")
        self.assertNotIn("remaining", fault)
        self.assertNotIn("until", fault)
        self.assertEqual(fault["status"], 500)
        ses = self.sdk(total_max_attempts=1)
        for _ in range(5):
            self.expect_error("InternalServiceErrorException", 500, ses.list_import_jobs)
        self.assertEqual([f["matched"] for f in self.faults()], [5])
        self.ok("DELETE", f"/_mock/faults/{fault['id']}")
        self.assertEqual(len(ses.list_import_jobs()["ImportJobs"]), 1)

    def test_faulted_create_stores_nothing(self):
        self.add_fault(operation="CreateImportJob", errorCode="TooManyRequestsException", count=1)
        ses = self.sdk(total_max_attempts=1)
        url = self.server.write_s3("faults", f"{self.account}-2.csv", "g@example.com,BOUNCE\n")
        self.expect_error("TooManyRequestsException", 429, suppression_import, client=ses, s3_url=url)
        self.assertEqual([j["JobId"] for j in ses.list_import_jobs()["ImportJobs"]], [self.job_id])
        second = suppression_import(ses, url)
        self.assertEqual(len(ses.list_import_jobs()["ImportJobs"]), 2)
        self.assertEqual(wait_for_job(ses, second)["JobStatus"], "COMPLETED")

    def test_status_override(self):
        self.add_fault(operation="GetImportJob", errorCode="InternalServiceErrorException",
                       message="unavailable", status=503, count=1)
        ses = self.sdk(total_max_attempts=1)
        e = self.expect_error("InternalServiceErrorException", 503, ses.get_import_job, JobId=self.job_id)
        self.assertEqual(error_of(e)[2], "unavailable")

    def test_other_operations_do_not_use_the_count(self):
        fault = self.add_fault(operation="GetImportJob", errorCode="TooManyRequestsException", count=1)
        ses = self.sdk(total_max_attempts=1)
        ses.list_import_jobs()
        ses.list_suppressed_destinations()
        self.assertEqual([(f["id"], f["matched"], f["remaining"]) for f in self.faults()],
                         [(fault["id"], 0, 1)])
        self.expect_error("TooManyRequestsException", 429, ses.get_import_job, JobId=self.job_id)
        ses.get_import_job(JobId=self.job_id)

    def test_list_and_clear_faults(self):
        a = self.add_fault(operation="GetImportJob", errorCode="TooManyRequestsException", count=2)
        b = self.add_fault(operation="ListImportJobs", errorCode="LimitExceededException",
                           durationMs=60_000)
        c = self.add_fault(operation="PutSuppressedDestination", errorCode="BadRequestException",
                           message="nope")
        self.assertEqual(len({a["id"], b["id"], c["id"]}), 3)
        listed = self.faults()
        self.assertEqual([f["id"] for f in listed], [a["id"], b["id"], c["id"]])
        self.assertEqual([(f["operation"], f["errorCode"], f["status"], f["matched"]) for f in listed],
                         [("GetImportJob", "TooManyRequestsException", 429, 0),
                          ("ListImportJobs", "LimitExceededException", 400, 0),
                          ("PutSuppressedDestination", "BadRequestException", 400, 0)])
        self.assertEqual(listed[0]["remaining"], 2)
        self.assertIn("until", listed[1])
        self.assertEqual(listed[2]["message"], "nope")

        self.assertEqual(self.ok("DELETE", f"/_mock/faults/{b['id']}"), {})
        self.assertEqual([f["id"] for f in self.faults()], [a["id"], c["id"]])
        message = self.control_error(404, "NotFoundException", "DELETE", f"/_mock/faults/{b['id']}")
        self.assertIn(b["id"], message)
        ses = self.sdk(total_max_attempts=1)
        ses.list_import_jobs()  # b is gone

        self.assertEqual(self.ok("DELETE", "/_mock/faults"), {})
        self.assertEqual(self.faults(), [])
        ses.get_import_job(JobId=self.job_id)
        ses.put_suppressed_destination(EmailAddress="ok@example.com", Reason="BOUNCE")

    def test_bad_fault_is_rejected(self):
        for body in ({"errorCode": "TooManyRequestsException"},
                     {"operation": "GetImportJob"},
                     {"operation": "GetImportJob", "errorCode": "TooManyRequestsException", "count": 0},
                     {"operation": "GetImportJob", "errorCode": "TooManyRequestsException",
                      "durationMs": 0},
                     {"operation": "GetImportJob", "errorCode": "TooManyRequestsException",
                      "status": 200}):
            with self.subTest(body=body):
                self.control_error(400, "BadRequestException", "POST", "/_mock/faults", body)
        self.assertEqual(self.faults(), [])


# =============================================================================================
class ResetTests(ControlMixin, ServerTestCase):
    """POST /_mock/reset, everything or one account/region. Own server: it wipes it all."""

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)

    def populate(self, account, region, tag):
        """Two jobs, two suppressed addresses and a contact list in one account/region;
        returns the clients, job ids and NextTokens of the listings."""
        ses = self.server.client(account, region=region)
        url = self.server.write_s3("reset", f"{tag}.csv", f"{tag}@example.com,BOUNCE\n")
        jobs = [suppression_import(ses, url) for _ in range(2)]
        for job_id in jobs:
            wait_for_job(ses, job_id)
        ses.put_suppressed_destination(EmailAddress=f"{tag}-2@example.com", Reason="COMPLAINT")
        ses.create_contact_list(ContactListName=f"list-{tag}")
        job_token = ses.list_import_jobs(PageSize=1)["NextToken"]
        addr_token = ses.list_suppressed_destinations(PageSize=1)["NextToken"]
        return {"ses": ses, "jobs": jobs, "job_token": job_token, "addr_token": addr_token,
                "list": f"list-{tag}", "account": account, "region": region}

    def assertPopulated(self, p):
        ses = p["ses"]
        self.assertEqual(sorted(j["JobId"] for j in ses.list_import_jobs()["ImportJobs"]),
                         sorted(p["jobs"]))
        for job_id in p["jobs"]:
            self.assertEqual(ses.get_import_job(JobId=job_id)["JobStatus"], "COMPLETED")
        self.assertEqual(len(list_all_suppressed(ses)), 2)
        self.assertEqual([l["ContactListName"] for l in ses.list_contact_lists()["ContactLists"]],
                         [p["list"]])
        self.assertEqual(len(ses.list_import_jobs(PageSize=1, NextToken=p["job_token"])["ImportJobs"]), 1)
        self.assertEqual(len(ses.list_suppressed_destinations(
            PageSize=1, NextToken=p["addr_token"])["SuppressedDestinationSummaries"]), 1)

    def assertEmptied(self, p):
        ses = p["ses"]
        for job_id in p["jobs"]:
            self.assertClientError("NotFoundException", 404, ses.get_import_job, JobId=job_id)
            self.control_error(404, "NotFoundException", "GET", f"/_mock/import-jobs/{job_id}")
        self.assertEqual(ses.list_import_jobs()["ImportJobs"], [])
        self.assertEqual(list_all_suppressed(ses), [])
        self.assertEqual(ses.list_contact_lists()["ContactLists"], [])
        self.assertClientError("NotFoundException", 404, ses.get_contact_list,
                               ContactListName=p["list"])

    def test_reset_everything(self):
        a = self.populate(self.account, "us-east-1", f"all-a-{self.account}")
        b = self.populate(unique_account(), "eu-west-1", f"all-b-{self.account}")
        self.ok("POST", "/_mock/faults", {"operation": "DeleteContact",
                                          "errorCode": "TooManyRequestsException"})
        self.assertPopulated(a)
        self.assertPopulated(b)

        self.ok("POST", "/_mock/reset")

        self.assertEmptied(a)
        self.assertEmptied(b)
        self.assertEqual(self.ok("GET", "/_mock/faults")["faults"], [])
        # NextTokens handed out before the reset are stale now.
        for p in (a, b):
            msg = self.assertClientError("BadRequestException", 400, p["ses"].list_import_jobs,
                                         PageSize=1, NextToken=p["job_token"])
            self.assertIn("NextToken", msg)
            self.assertClientError("InvalidNextTokenException", 400, p["ses"].list_suppressed_destinations,
                                   PageSize=1, NextToken=p["addr_token"])
        # The server works as before.
        self.assertEqual(self.ok("GET", "/_mock/health")["status"], "ok")
        c = self.populate(self.account, "us-east-1", f"after-{self.account}")
        self.assertPopulated(c)

    def test_reset_one_account_and_region(self):
        other = unique_account()
        target = self.populate(self.account, "us-east-1", f"one-t-{self.account}")
        same_account = self.populate(self.account, "eu-west-1", f"one-r-{self.account}")
        same_region = self.populate(other, "us-east-1", f"one-a-{self.account}")
        fault = self.ok("POST", "/_mock/faults", {"operation": "DeleteContact",
                                                  "errorCode": "TooManyRequestsException"})

        self.ok("POST", "/_mock/reset", {"account": self.account, "region": "us-east-1"})

        self.assertEmptied(target)
        self.assertPopulated(same_account)
        self.assertPopulated(same_region)
        # Faults are server-wide, not part of an account: a partition reset keeps them.
        self.assertEqual([f["id"] for f in self.ok("GET", "/_mock/faults")["faults"]], [fault["id"]])
        self.ok("DELETE", "/_mock/faults")


if __name__ == "__main__":
    unittest.main()
