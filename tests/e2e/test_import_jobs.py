"""Import jobs through boto3 against the real sesv2-mock binary.

Every test uses its own account id (unique_account), so tests never see each other's
jobs or addresses even though a class shares one server.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    UUID4_RE, ServerTestCase, http_get, list_all_suppressed, suppression_import,
    unique_account, wait_for_job)

SUPPRESSION_PUT = {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}}
SUPPRESSION_DELETE = {"SuppressionListDestination": {"SuppressionListImportAction": "DELETE"}}
DATA_FORMAT_MESSAGE = ("1 validation error detected: Value at 'importDataSource.dataFormat' "
                       "failed to satisfy constraint: Member must satisfy enum value set: "
                       "[CSV, JSON]")


def now_utc():
    return dt.datetime.now(dt.timezone.utc)


class ImportJobTests(ServerTestCase):

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.bucket = "e2e-" + self.account

    # -- helpers -----------------------------------------------------------------------
    def s3(self, key, content):
        return self.server.write_s3(self.bucket, key, content)

    def run_job(self, content, key, action="PUT", fmt="CSV", client=None):
        client = client or self.ses
        url = self.s3(key, content)
        job_id = suppression_import(client, url, action, fmt)
        self.assertRegex(job_id, UUID4_RE)
        return job_id, url, wait_for_job(client, job_id)

    def assertSuppressed(self, address, reason, client=None):
        got = (client or self.ses).get_suppressed_destination(EmailAddress=address)
        dest = got["SuppressedDestination"]
        self.assertEqual(dest["EmailAddress"], address)
        self.assertEqual(dest["Reason"], reason)
        self.assertIsInstance(dest["LastUpdateTime"], dt.datetime)

    def assertNotSuppressed(self, address, client=None):
        self.assertClientError("NotFoundException", 404,
                               (client or self.ses).get_suppressed_destination,
                               EmailAddress=address)

    def suppressed_map(self, client=None):
        items = list_all_suppressed(client or self.ses)
        return {d["EmailAddress"]: d["Reason"] for d in items}

    def assertCompleted(self, job, processed, failed):
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], processed)
        self.assertEqual(job["FailedRecordsCount"], failed)
        self.assertIsInstance(job["CreatedTimestamp"], dt.datetime)
        self.assertIsInstance(job["CompletedTimestamp"], dt.datetime)
        self.assertGreaterEqual(job["CompletedTimestamp"], job["CreatedTimestamp"])

    def download(self, job):
        url = job["FailureInfo"]["FailedRecordsS3Url"]
        self.assertTrue(url.startswith(self.server.url + "/"),
                        f"failed-records URL {url!r} is not on the server {self.server.url}")
        status, _, body = http_get(url)
        self.assertEqual(status, 200, body[:500])
        return body.decode("utf-8")

    # -- PUT imports -------------------------------------------------------------------
    def test_csv_put_with_good_and_bad_lines(self):
        lines = [
            "a1@example.com,BOUNCE",        # 1 ok
            "b1@Example.COM,COMPLAINT",     # 2 ok, domain lower-cased
            "not-an-address,BOUNCE",        # 3 invalid address
            "",                             # 4 blank: not a record
            "c1@example.com,SPAM",          # 5 unknown reason
            " Foo@EXAMPLE.com ,BOUNCE",     # 6 ok, trimmed, local part kept
            "d1@example.com",               # 7 no reason on a PUT
            "e1@example.com,COMPLAINT",     # 8 ok
        ]
        before = now_utc()
        job_id, url, job = self.run_job("\n".join(lines) + "\n", "mixed.csv")
        after = now_utc()

        self.assertEqual(job["JobId"], job_id)
        self.assertEqual(job["ImportDestination"], SUPPRESSION_PUT)
        self.assertEqual(job["ImportDataSource"], {"S3Url": url, "DataFormat": "CSV"})
        self.assertCompleted(job, processed=7, failed=3)
        self.assertGreaterEqual(job["CreatedTimestamp"], before - dt.timedelta(seconds=2))
        self.assertLessEqual(job["CreatedTimestamp"], after + dt.timedelta(seconds=2))
        self.assertNotIn("ErrorMessage", job["FailureInfo"])

        text = self.download(job)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[0], ["lineNumber", "failureReason", "record"])
        self.assertEqual([(r[0], r[2]) for r in rows[1:]],
                         [("3", "not-an-address,BOUNCE"),
                          ("5", "c1@example.com,SPAM"),
                          ("7", "d1@example.com")])
        for r in rows[1:]:
            self.assertEqual(len(r), 3, r)
            self.assertTrue(r[1].strip(), f"empty failureReason in {r}")
        # The record holding a comma must be quoted (RFC 4180).
        self.assertIn('"not-an-address,BOUNCE"', text)

        self.assertSuppressed("a1@example.com", "BOUNCE")
        self.assertSuppressed("b1@example.com", "COMPLAINT")
        self.assertSuppressed("Foo@example.com", "BOUNCE")
        self.assertSuppressed("e1@example.com", "COMPLAINT")
        self.assertNotSuppressed("c1@example.com")
        self.assertNotSuppressed("d1@example.com")
        self.assertEqual(self.suppressed_map(), {
            "a1@example.com": "BOUNCE", "b1@example.com": "COMPLAINT",
            "Foo@example.com": "BOUNCE", "e1@example.com": "COMPLAINT"})

    def test_csv_header_line_is_tolerated_and_not_counted(self):
        _, _, job = self.run_job(
            "emailAddress,reason\nh1@example.com,BOUNCE\nh2@example.com,COMPLAINT\n",
            "header.csv")
        self.assertCompleted(job, processed=2, failed=0)
        self.assertNotIn("FailedRecordsS3Url", job.get("FailureInfo", {}))
        self.assertEqual(self.suppressed_map(),
                         {"h1@example.com": "BOUNCE", "h2@example.com": "COMPLAINT"})

    def test_csv_with_bom_crlf_and_blank_lines(self):
        data = ("\ufeffr1@example.com,BOUNCE\r\n"
                "r2@example.com,COMPLAINT\r\n"
                "\r\n"
                "r3@example.com,BOUNCE")  # no final line end
        _, _, job = self.run_job(data.encode("utf-8"), "crlf-bom.csv")
        self.assertCompleted(job, processed=3, failed=0)
        self.assertEqual(self.suppressed_map(), {
            "r1@example.com": "BOUNCE", "r2@example.com": "COMPLAINT",
            "r3@example.com": "BOUNCE"})

    def test_csv_header_with_bom_and_crlf(self):
        data = "\ufeffemailAddress,reason\r\ns1@example.com,COMPLAINT\r\nbad,BOUNCE\r\n"
        _, _, job = self.run_job(data.encode("utf-8"), "bom-header.csv")
        self.assertCompleted(job, processed=2, failed=1)
        self.assertEqual(self.suppressed_map(), {"s1@example.com": "COMPLAINT"})
        rows = list(csv.reader(io.StringIO(self.download(job), newline="")))
        self.assertEqual(rows[0], ["lineNumber", "failureReason", "record"])
        self.assertEqual([(r[0], r[2]) for r in rows[1:]], [("3", "bad,BOUNCE")])

    def test_json_put(self):
        lines = [
            '{"emailAddress":"j1@example.com","reason":"BOUNCE"}',        # 1 ok
            '{"emailAddress":"j2@EXAMPLE.com","reason":"COMPLAINT"}',     # 2 ok
            '{"emailAddress":"j3@example.com"',                           # 3 malformed
            '{"emailAddress":"not-an-address","reason":"BOUNCE"}',        # 4 invalid address
            '',                                                           # 5 blank
            '{"emailAddress":"j4@example.com","reason":"SPAM"}',          # 6 unknown reason
            '{"emailAddress":"j5@example.com"}',                          # 7 no reason on PUT
            '{"reason":"BOUNCE","emailAddress":" j6@Example.com "}',      # 8 ok
        ]
        job_id, url, job = self.run_job("\n".join(lines) + "\n", "mixed.json", fmt="JSON")
        self.assertEqual(job["ImportDataSource"], {"S3Url": url, "DataFormat": "JSON"})
        self.assertCompleted(job, processed=7, failed=4)

        text = self.download(job)
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
        self.assertEqual([set(r) for r in records],
                         [{"lineNumber", "failureReason", "record"}] * 4)
        self.assertEqual([(r["lineNumber"], r["record"]) for r in records],
                         [(3, lines[2]), (4, lines[3]), (6, lines[5]), (7, lines[6])])
        for r in records:
            self.assertIsInstance(r["failureReason"], str)
            self.assertTrue(r["failureReason"].strip())

        self.assertEqual(self.suppressed_map(), {
            "j1@example.com": "BOUNCE", "j2@example.com": "COMPLAINT",
            "j6@example.com": "BOUNCE"})

    # -- DELETE imports ----------------------------------------------------------------
    def test_csv_delete_removes_addresses(self):
        for i in (1, 2, 3):
            self.ses.put_suppressed_destination(EmailAddress=f"x{i}@example.com",
                                                Reason="BOUNCE")
        _, _, job = self.run_job("x1@example.com\nx2@EXAMPLE.com\n", "delete.csv",
                                 action="DELETE")
        self.assertEqual(job["ImportDestination"], SUPPRESSION_DELETE)
        self.assertCompleted(job, processed=2, failed=0)
        self.assertNotSuppressed("x1@example.com")
        self.assertNotSuppressed("x2@example.com")
        self.assertSuppressed("x3@example.com", "BOUNCE")
        self.assertEqual(self.suppressed_map(), {"x3@example.com": "BOUNCE"})

    def test_json_delete_removes_addresses(self):
        self.ses.put_suppressed_destination(EmailAddress="y1@example.com", Reason="BOUNCE")
        self.ses.put_suppressed_destination(EmailAddress="y2@example.com", Reason="COMPLAINT")
        _, _, job = self.run_job('{"emailAddress":"y2@example.com"}\n', "delete.json",
                                 action="DELETE", fmt="JSON")
        self.assertCompleted(job, processed=1, failed=0)
        self.assertEqual(self.suppressed_map(), {"y1@example.com": "BOUNCE"})

    # -- jobs that cannot run ----------------------------------------------------------
    def test_missing_object_fails_job(self):
        url = f"s3://{self.bucket}/missing/nothing.csv"
        job_id = suppression_import(self.ses, url)
        job = wait_for_job(self.ses, job_id)
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(job["FailureInfo"]["ErrorMessage"],
                         f"The object {url} does not exist.")
        self.assertNotIn("FailedRecordsS3Url", job["FailureInfo"])
        self.assertIsInstance(job["CompletedTimestamp"], dt.datetime)
        self.assertEqual(job.get("ProcessedRecordsCount", 0), 0)
        self.assertEqual(job.get("FailedRecordsCount", 0), 0)

    def test_missing_bucket_fails_job(self):
        url = "s3://no-such-bucket-e2e/k.csv"
        job = wait_for_job(self.ses, suppression_import(self.ses, url))
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertEqual(job["FailureInfo"]["ErrorMessage"],
                         f"The object {url} does not exist.")

    # -- validation --------------------------------------------------------------------
    def create_raw(self, destination, source):
        client = self.server.client(self.account, validate=False)
        return client.create_import_job(ImportDestination=destination,
                                        ImportDataSource=source)

    def test_validation_no_destination(self):
        msg = self.assertClientError(
            "BadRequestException", 400, self.create_raw, {},
            {"S3Url": self.s3("v.csv", "a@example.com,BOUNCE\n"), "DataFormat": "CSV"})
        self.assertIn("SuppressionListDestination", msg)
        self.assertIn("ContactListDestination", msg)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    def test_validation_both_destinations(self):
        dest = {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"},
                "ContactListDestination": {"ContactListName": "list",
                                           "ContactListImportAction": "PUT"}}
        msg = self.assertClientError(
            "BadRequestException", 400, self.create_raw, dest,
            {"S3Url": self.s3("v.csv", "a@example.com,BOUNCE\n"), "DataFormat": "CSV"})
        self.assertIn("SuppressionListDestination", msg)
        self.assertIn("ContactListDestination", msg)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    def test_validation_bad_data_format(self):
        msg = self.assertClientError(
            "BadRequestException", 400, self.create_raw, SUPPRESSION_PUT,
            {"S3Url": self.s3("v.csv", "a@example.com,BOUNCE\n"), "DataFormat": "XML"})
        self.assertEqual(msg, DATA_FORMAT_MESSAGE)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    def test_validation_bad_import_action(self):
        msg = self.assertClientError(
            "BadRequestException", 400, self.create_raw,
            {"SuppressionListDestination": {"SuppressionListImportAction": "UPSERT"}},
            {"S3Url": self.s3("v.csv", "a@example.com,BOUNCE\n"), "DataFormat": "CSV"})
        self.assertTrue(msg.startswith("1 validation error detected: Value at "), msg)
        self.assertIn("importDestination.suppressionListDestination.suppressionListImportAction",
                      msg)
        self.assertIn("Member must satisfy enum value set", msg)
        self.assertIn("PUT", msg)
        self.assertIn("DELETE", msg)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    def test_validation_bad_s3_urls(self):
        for bad in ("http://x/y", "s3://bucket", "s3://bucket/", "s3:///key", "bucket/key", ""):
            with self.subTest(s3url=bad):
                msg = self.assertClientError(
                    "BadRequestException", 400, self.create_raw, SUPPRESSION_PUT,
                    {"S3Url": bad, "DataFormat": "CSV"})
                self.assertIn("importDataSource.s3Url", msg)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    def test_unknown_job_id_is_not_found(self):
        for job_id in (str(uuid.uuid4()), "not-a-job"):
            with self.subTest(job_id=job_id):
                msg = self.assertClientError("NotFoundException", 404,
                                             self.ses.get_import_job, JobId=job_id)
                self.assertIn(job_id, msg)

    def test_contact_list_destination_with_missing_list(self):
        dest = {"ContactListDestination": {"ContactListName": "missing-list",
                                           "ContactListImportAction": "PUT"}}
        msg = self.assertClientError(
            "NotFoundException", 404, self.ses.create_import_job,
            ImportDestination=dest,
            ImportDataSource={"S3Url": self.s3("c.csv", "emailAddress\na@example.com\n"),
                              "DataFormat": "CSV"})
        self.assertIn("ContactList missing-list doesn't exist", msg)
        self.assertEqual(self.ses.list_import_jobs()["ImportJobs"], [])

    # -- listing -----------------------------------------------------------------------
    def test_list_import_jobs_paging_newest_first(self):
        url = self.s3("page.csv", "p1@example.com,BOUNCE\np2@example.com,COMPLAINT\n")
        created = [suppression_import(self.ses, url) for _ in range(7)]
        for job_id in created:
            self.assertEqual(wait_for_job(self.ses, job_id)["JobStatus"], "COMPLETED")
        newest_first = list(reversed(created))

        def pages():
            out, token = [], None
            while True:
                kwargs = {"PageSize": 3}
                if token:
                    kwargs["NextToken"] = token
                resp = self.ses.list_import_jobs(**kwargs)
                out.append(resp)
                token = resp.get("NextToken")
                if not token:
                    return out

        first = pages()
        self.assertEqual([len(p["ImportJobs"]) for p in first], [3, 3, 1])
        ids = [j["JobId"] for p in first for j in p["ImportJobs"]]
        self.assertEqual(ids, newest_first)
        self.assertEqual(len(set(ids)), 7)
        for p in first:
            for j in p["ImportJobs"]:
                self.assertEqual(set(j), {"JobId", "ImportDestination", "JobStatus",
                                          "CreatedTimestamp", "ProcessedRecordsCount",
                                          "FailedRecordsCount"})
                self.assertEqual(j["ImportDestination"], SUPPRESSION_PUT)
                self.assertEqual(j["JobStatus"], "COMPLETED")
                self.assertEqual((j["ProcessedRecordsCount"], j["FailedRecordsCount"]), (2, 0))
                self.assertIsInstance(j["CreatedTimestamp"], dt.datetime)
        # Stable: the same walk again, and the same token twice, give the same pages.
        second = pages()
        self.assertEqual([[j["JobId"] for j in p["ImportJobs"]] for p in second],
                         [[j["JobId"] for j in p["ImportJobs"]] for p in first])
        again = self.ses.list_import_jobs(PageSize=3, NextToken=first[0]["NextToken"])
        self.assertEqual([j["JobId"] for j in again["ImportJobs"]], newest_first[3:6])
        # Without PageSize every job fits in one page.
        whole = self.ses.list_import_jobs()
        self.assertEqual([j["JobId"] for j in whole["ImportJobs"]], newest_first)
        self.assertNotIn("NextToken", whole)

    def test_list_import_jobs_destination_filter(self):
        url = self.s3("filter.csv", "f1@example.com,BOUNCE\n")
        created = [suppression_import(self.ses, url) for _ in range(2)]
        for job_id in created:
            wait_for_job(self.ses, job_id)
        sup = self.ses.list_import_jobs(ImportDestinationType="SUPPRESSION_LIST")
        self.assertEqual([j["JobId"] for j in sup["ImportJobs"]], list(reversed(created)))
        con = self.ses.list_import_jobs(ImportDestinationType="CONTACT_LIST")
        self.assertEqual(con["ImportJobs"], [])
        self.assertNotIn("NextToken", con)

    def test_list_import_jobs_bad_page_size_and_token(self):
        raw = self.server.client(self.account, validate=False)
        for size in (0, 101, -1):
            with self.subTest(page_size=size):
                self.assertClientError("BadRequestException", 400, raw.list_import_jobs,
                                       PageSize=size)
        url = self.s3("tok.csv", "t1@example.com,BOUNCE\n")
        for _ in range(3):
            wait_for_job(self.ses, suppression_import(self.ses, url))
        token = self.ses.list_import_jobs(PageSize=1)["NextToken"]
        mid = len(token) // 2
        tampered = token[:mid] + ("A" if token[mid] != "A" else "B") + token[mid + 1:]
        for forged in ("forged-token", "AAAAAAAAAAAAAAAA", tampered):
            with self.subTest(token=forged):
                self.assertClientError("BadRequestException", 400, self.ses.list_import_jobs,
                                       PageSize=1, NextToken=forged)

    # -- isolation ---------------------------------------------------------------------
    def test_account_and_region_isolation(self):
        owner = self.server.client("111111111111", "us-east-1")
        other_account = self.server.client("222222222222", "us-east-1")
        other_region = self.server.client("111111111111", "eu-west-1")
        url = self.server.write_s3("iso-bucket", "iso.csv", "iso1@example.com,BOUNCE\n")
        job_id = suppression_import(owner, url)
        self.assertCompleted(wait_for_job(owner, job_id), processed=1, failed=0)
        owner.put_suppressed_destination(EmailAddress="iso2@example.com", Reason="COMPLAINT")

        self.assertIn(job_id, [j["JobId"] for j in owner.list_import_jobs()["ImportJobs"]])
        self.assertSuppressed("iso1@example.com", "BOUNCE", owner)
        self.assertSuppressed("iso2@example.com", "COMPLAINT", owner)
        for name, c in (("other account", other_account), ("other region", other_region)):
            with self.subTest(name):
                msg = self.assertClientError("NotFoundException", 404, c.get_import_job,
                                             JobId=job_id)
                self.assertIn(job_id, msg)
                self.assertNotIn(job_id, [j["JobId"] for j in c.list_import_jobs()["ImportJobs"]])
                self.assertNotSuppressed("iso1@example.com", c)
                self.assertNotSuppressed("iso2@example.com", c)
                self.assertEqual(list_all_suppressed(c), [])

    def test_non_numeric_access_key_maps_to_default_account(self):
        a = self.server.client(access_key="AKIDEXAMPLE", region="ap-south-1")
        b = self.server.client(account="000000000000", region="ap-south-1")
        c = self.server.client(account="000000000001", region="ap-south-1")
        a.put_suppressed_destination(EmailAddress="default-acct@example.com", Reason="BOUNCE")
        self.assertSuppressed("default-acct@example.com", "BOUNCE", b)
        self.assertNotSuppressed("default-acct@example.com", c)


class ImportJobLifecycleTests(ServerTestCase):
    """Delayed mode: each state lasts a while, so a poller sees every one of them."""

    server_args = ("--processing-mode", "delayed", "--processing-delay-ms", "500")

    def test_states_in_order_and_completed_timestamp_only_at_the_end(self):
        ses = self.server.client(unique_account())
        url = self.server.write_s3("life", "l.csv", "l1@example.com,BOUNCE\nbad,BOUNCE\n")
        job_id = suppression_import(ses, url)
        seen, deadline = [], time.monotonic() + 20
        while time.monotonic() < deadline:
            job = ses.get_import_job(JobId=job_id)
            state = job["JobStatus"]
            if not seen or seen[-1] != state:
                seen.append(state)
            if state in ("CREATED", "PROCESSING"):
                self.assertNotIn("CompletedTimestamp", job, state)
            else:
                break
            time.sleep(0.02)
        self.assertEqual(seen, ["CREATED", "PROCESSING", "COMPLETED"])
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (2, 1))
        self.assertIsInstance(job["CompletedTimestamp"], dt.datetime)


class UnfinishedJobLimitTests(ServerTestCase):
    server_args = ("--max-unfinished-jobs", "2", "--processing-mode", "manual")

    def test_third_unfinished_job_is_refused(self):
        account = unique_account()
        ses = self.server.client(account)
        url = self.server.write_s3("limit", "l.csv", "m1@example.com,BOUNCE\n")
        first = suppression_import(ses, url)
        second = suppression_import(ses, url)
        time.sleep(0.3)
        for job_id in (first, second):
            job = ses.get_import_job(JobId=job_id)
            self.assertEqual(job["JobStatus"], "CREATED")  # manual mode: nothing runs
            self.assertNotIn("CompletedTimestamp", job)
        self.assertClientError("LimitExceededException", 400, suppression_import, ses, url)
        self.assertEqual(len(ses.list_import_jobs()["ImportJobs"]), 2)
        # The limit is per account and region.
        self.assertRegex(suppression_import(self.server.client(unique_account()), url), UUID4_RE)
        self.assertRegex(suppression_import(self.server.client(account, "eu-west-1"), url),
                         UUID4_RE)


if __name__ == "__main__":
    unittest.main(verbosity=2)
