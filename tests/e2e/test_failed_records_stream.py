"""Issue 12, defect 3: the failed-records download is streamed from SQLite in pages
(chunked transfer), so the server's memory does not grow with the file: 300,000 failed
records (a ~25 MB download) raise the peak RSS by less than 20 MB. The body is complete
and exact."""
import http.client
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, wait_for_job  # noqa: E402

RECORDS = 300_000
RSS_BUDGET_KB = 20 * 1024


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field}")


class FailedRecordsStreamTests(ServerTestCase):
    def test_large_download_is_streamed(self):
        ses = self.server.client()
        ses.create_contact_list(ContactListName="big")
        url = self.server.write_s3("big", "bad.csv", "emailAddress\n" + "".join(
            f"not-an-address-{i}\n" for i in range(RECORDS)))
        job_id = ses.create_import_job(
            ImportDestination={"ContactListDestination": {"ContactListName": "big",
                                                          "ContactListImportAction": "PUT"}},
            ImportDataSource={"S3Url": url, "DataFormat": "CSV"})["JobId"]
        job = wait_for_job(ses, job_id, timeout=300)
        self.assertEqual((job["JobStatus"], job["FailedRecordsCount"]), ("COMPLETED", RECORDS))
        pid = self.server.proc.pid
        before = status_kb(pid, "VmRSS")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120)
        conn.request("GET", f"/_mock/import-jobs/{job['JobId']}/failed-records")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
        lines = 0
        size = 0
        first = last = b""
        pending = b""
        while True:
            block = resp.read(1 << 16)
            if not block:
                break
            size += len(block)
            pending += block
            *complete, pending = pending.split(b"\n")
            for line in complete:
                if lines == 0:
                    first = line
                lines += 1
                last = line
        conn.close()
        peak = status_kb(pid, "VmHWM")
        sys.stderr.write(f"\n[stream] body {size:,} bytes, RSS before {before / 1024:.1f} MB, "
                         f"peak {peak / 1024:.1f} MB\n")
        self.assertEqual(first, b"lineNumber,failureReason,record")
        self.assertEqual(lines, RECORDS + 1)
        self.assertTrue(last.startswith(f"{RECORDS + 1},".encode()), last)  # line 1: header
        self.assertTrue(last.endswith(f",not-an-address-{RECORDS - 1}".encode()), last)
        self.assertLess(peak - before, RSS_BUDGET_KB,
                        f"RSS {before} kB before, peak {peak} kB, body {size:,} bytes")
        # The connection still serves requests afterwards (keep-alive after a chunked answer).
        self.assertEqual(self.server.health()[0], 200)


if __name__ == "__main__":
    unittest.main()
