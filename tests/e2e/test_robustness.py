"""Failures around the server that must not take it down or hold it up."""
import json
import re
import sqlite3
import threading
import time
import unittest
import urllib.request

from harness import MockServer, ServerTestCase, http_get, suppression_import, unique_account, wait_for_job

import tempfile
import shutil


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class LockedDatabaseTests(ServerTestCase):
    """Someone holding a write lock on the database file (a DB browser, say) for longer than
    the busy timeout makes the worker's writes fail; the server must live through it."""
    server_args = ("--processing-mode", "delayed", "--processing-delay-ms", "1000")

    def test_worker_survives_a_locked_database(self):
        ses = self.server.client(unique_account())
        url = self.server.write_s3("b", "locked.csv", "a@example.com,BOUNCE\nb@example.com,BOUNCE\n")
        job_id = suppression_import(ses, url)
        holder = sqlite3.connect(self.server.db, isolation_level=None, timeout=10)
        holder.execute("BEGIN IMMEDIATE")
        time.sleep(7)  # past the 5 s busy timeout, while the job is due to move on
        self.assertIsNone(self.server.proc.poll(), "the server died while the database was locked")
        holder.execute("ROLLBACK")
        holder.close()
        job = wait_for_job(ses, job_id, timeout=20)
        self.assertEqual(job["JobStatus"], "COMPLETED")
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (2, 0))
        self.assertEqual(http_get(self.server.url + "/_mock/health")[0], 200)


class ControlInputTests(ServerTestCase):
    server_args = ("--processing-mode", "manual")

    def test_misspelt_fault_operation_is_refused(self):
        status, body = post(self.server.url + "/_mock/faults",
                            {"operation": "GetImportJobs", "errorCode": "TooManyRequestsException"})
        self.assertEqual(status, 400)
        self.assertIn("'operation'", body["message"])
        status, _ = post(self.server.url + "/_mock/faults",
                         {"operation": "GetDedicatedIp", "errorCode": "TooManyRequestsException", "count": 1})
        self.assertEqual(status, 200)  # an SES v2 operation, even one not implemented here
        urllib.request.urlopen(urllib.request.Request(self.server.url + "/_mock/faults", method="DELETE"))

    def test_next_tokens_are_url_safe(self):
        ses = self.server.client(unique_account())
        for i in range(40):
            ses.put_suppressed_destination(EmailAddress=f"t{i:02d}@example.com", Reason="BOUNCE")
        token, seen = None, 0
        for _ in range(40):
            kwargs = {"PageSize": 1}
            if token:
                kwargs["NextToken"] = token
            page = ses.list_suppressed_destinations(**kwargs)
            seen += len(page["SuppressedDestinationSummaries"])
            token = page.get("NextToken")
            if not token:
                break
            self.assertRegex(token, r"^[A-Za-z0-9_-]+$")
        self.assertEqual(seen, 40)


class ExpectContinueTests(ServerTestCase):
    def test_large_body_gets_100_continue_before_it_is_sent(self):
        import socket
        body = json.dumps({"SuppressedDestinations": [
            {"EmailAddress": "big@example.com", "Reason": "BOUNCE"}]}).encode()
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as sock:
            sock.sendall(b"POST /_mock/fixtures HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
            sock.settimeout(0.5)  # curl would give up waiting after 1 s and send anyway
            first = sock.recv(4096)
            self.assertTrue(first.startswith(b"HTTP/1.1 100 Continue\r\n"), first)
            sock.settimeout(5)
            sock.sendall(body)
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
        self.assertIn(b"HTTP/1.1 200 OK", reply)
        self.assertIn(b'"suppressedDestinations":1', reply)


class FixtureOverRunningImportTests(ServerTestCase):
    server_args = ("--processing-mode", "manual", "--import-rate", "500")

    def test_fixture_cannot_replace_a_job_being_imported(self):
        account = unique_account()
        ses = self.server.client(account)
        lines = "".join(f"r{i}@example.com,BOUNCE\n" for i in range(2000))  # 4 s at 500/s
        job_id = suppression_import(ses, self.server.write_s3("b", "running.csv", lines))
        advance = self.server.url + f"/_mock/import-jobs/{job_id}/advance"
        self.assertEqual(post(advance, {})[0], 200)
        worker = threading.Thread(target=post, args=(advance, {}), daemon=True)
        worker.start()
        time.sleep(0.8)
        fixture = {"Account": account, "ImportJobs": [{
            "JobId": job_id, "JobStatus": "COMPLETED",
            "ImportDestination": {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
            "ImportDataSource": {"S3Url": "s3://b/running.csv", "DataFormat": "CSV"}}]}
        status, body = post(self.server.url + "/_mock/fixtures", fixture)
        self.assertEqual(status, 400)
        self.assertEqual(body["message"], "Fixture rejected at ImportJobs[0].JobId: names a job whose "
                                          "file is being imported right now; cancel it first.")
        worker.join(timeout=30)
        job = wait_for_job(ses, job_id)
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 2000))


class ShutdownDuringAdvanceTests(unittest.TestCase):
    def test_sigterm_does_not_wait_for_a_manual_advance(self):
        workdir = tempfile.mkdtemp(prefix="sesv2-e2e-advance-")
        try:
            server = MockServer(workdir, "--processing-mode", "manual", "--import-rate", "200",
                                "--shutdown-grace-ms", "1000")
            server.start()
            ses = server.client()
            lines = "".join(f"u{i}@example.com,BOUNCE\n" for i in range(2000))  # 10 s at 200/s
            job_id = suppression_import(ses, server.write_s3("b", "slow.csv", lines))
            self.assertEqual(post(server.url + f"/_mock/import-jobs/{job_id}/advance", {})[0], 200)
            # The second advance runs the import on an HTTP thread; stop the server meanwhile.
            threading.Thread(target=post, args=(server.url + f"/_mock/import-jobs/{job_id}/advance", {}),
                             daemon=True).start()
            time.sleep(1.0)
            started = time.monotonic()
            rc = server.stop(timeout=15)
            took = time.monotonic() - started
            self.assertEqual(rc, 0)
            self.assertLess(took, 3.0, f"SIGTERM took {took:.1f}s")
            # The job was left PROCESSING at a checkpoint and finishes after a restart.
            server.start(["--processing-mode", "immediate"])
            job = wait_for_job(server.client(), job_id, timeout=30)
            self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]), ("COMPLETED", 2000))
            server.stop()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
