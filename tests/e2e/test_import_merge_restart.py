"""kill -9 in a contact import in random address order: such an import stages its records in
a scratch file beside the database (a batch read ahead may append past what is committed)
and merges them into the list, a piece per transaction, once every record is read. Killed
while it stages or between two merge pieces, the restarted server resumes and the list ends
exactly as an uninterrupted import leaves it; the scratch file is gone once the job ended."""
import glob
import json
import os
import random
import sqlite3
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import wait_for_job  # noqa: E402
from test_restart import RestartTestCase  # noqa: E402

ACCOUNT = "123456789012"
LIST = "merge"
UNIQUE = 150_000  # addresses; pieces of 10,000 make the merge take a fraction of a second
REPEATS = 2_000   # addresses written a second time near the end: the later record wins
BROKEN = 7        # lines that fail


def contact_file():
    """The CSV text, the expected {address: (unsubscribeAll, attributes, preference)}, and
    the number of records."""
    order = list(range(UNIQUE))
    random.Random(8).shuffle(order)
    lines = ["emailAddress,unsubscribeAll,attributesData,topicPreferences.news"]
    expected = {}
    for i in order:
        email = f"m{i:06d}@example.com"
        pref = "OPT_IN" if i % 2 else "OPT_OUT"
        lines.append(f'{email},{"true" if i % 3 == 0 else "false"},"{{""n"": {i}}}",{pref}')
        expected[email] = (i % 3 == 0, f'{{"n": {i}}}', pref)
    for k in range(BROKEN):
        lines.append(f"not-an-address-{k},false,,OPT_IN")
    for i in order[:REPEATS]:
        email = f"m{i:06d}@example.com"
        lines.append(f'{email},true,"{{""again"": {i}}}",OPT_IN')
        expected[email] = (True, f'{{"again": {i}}}', "OPT_IN")
    return "\n".join(lines) + "\n", expected, UNIQUE + BROKEN + REPEATS


class MergeKillTests(RestartTestCase):

    def db_row(self, db, sql, *args):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql, args).fetchone()
        finally:
            conn.close()

    def test_kill_9_between_merge_pieces_then_resume(self):
        self.kill_and_resume("import-merge:")

    def test_kill_9_while_staging_then_resume(self):
        self.kill_and_resume("import-scratch:", staging=True)

    def kill_and_resume(self, key_prefix, staging=False):
        content, expected, records = contact_file()
        srv = self.make_server(name="merge")
        srv.start()
        ses = srv.client(ACCOUNT)
        ses.create_contact_list(ContactListName=LIST, Topics=[
            {"TopicName": "news", "DisplayName": "News", "DefaultSubscriptionStatus": "OPT_OUT"}])
        url = srv.write_s3("merge-bucket", "contacts.csv", content)
        job_id = ses.create_import_job(
            ImportDestination={"ContactListDestination": {"ContactListName": LIST,
                                                          "ContactListImportAction": "PUT"}},
            ImportDataSource={"S3Url": url, "DataFormat": "CSV"})["JobId"]

        # Staging: a staged batch is committed. Merging: the first piece is committed.
        key = key_prefix + job_id
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.db_row(srv.db, "SELECT 1 FROM meta WHERE key = ?", key):
                break
            time.sleep(0.002)
        else:
            self.fail(f"no {key} within 60 s")
        srv.kill()  # kill -9
        status, processed = self.db_row(
            srv.db, "SELECT status, processed_records FROM import_jobs WHERE job_id = ?", job_id)
        self.assertEqual(status, "PROCESSING", "the job ended before it could be killed")
        merged, = self.db_row(srv.db, "SELECT count(*) FROM contacts WHERE list_name = ?", LIST)
        if staging:
            self.assertLess(processed, records, "every record was read before the kill")
            self.assertEqual(merged, 0)  # staged records are written by the merge only
        else:
            self.assertEqual(processed, records)
            self.assertGreater(merged, 0)
            self.assertLess(merged, UNIQUE)
        scratch = glob.glob(srv.db + ".import-*.runs")
        self.assertEqual(len(scratch), 1, scratch)  # kept for the restarted server

        srv.start()
        ses = srv.client(ACCOUNT)
        job = wait_for_job(ses, job_id, timeout=120)
        self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
        self.assertEqual(job["ProcessedRecordsCount"], records)
        self.assertEqual(job["FailedRecordsCount"], BROKEN)
        self.assertEqual(glob.glob(srv.db + ".import-*.runs"), [])

        # Every contact exactly as the last record for its address says (read from the
        # database: 150,000 contacts; a sample through the API below).
        conn = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute(
                "SELECT email_address, unsubscribe_all, attributes_data, preferences_json "
                "FROM contacts WHERE list_name = ?", (LIST,)).fetchall()
        finally:
            conn.close()
        got = {}
        for email, unsub, attrs, prefs in rows:
            statuses = [p["SubscriptionStatus"] for p in json.loads(prefs)]
            got[email] = (bool(unsub), attrs, statuses[0] if statuses else None)
        self.assertEqual(len(got), len(expected))
        self.assertEqual(got, expected)
        for email in sorted(expected)[:3] + [f"m{i:06d}@example.com" for i in (0, 1, 2)]:
            contact = ses.get_contact(ContactListName=LIST, EmailAddress=email)
            unsub, attrs, pref = expected[email]
            self.assertEqual(contact["UnsubscribeAll"], unsub)
            self.assertEqual(contact["AttributesData"], attrs)
            self.assertEqual(contact["TopicPreferences"],
                             [{"TopicName": "news", "SubscriptionStatus": pref}])


if __name__ == "__main__":
    unittest.main(verbosity=2)
