"""Fixtures (SPEC section 5, issue 4), end to end: the examples in fixtures/ loaded at start
(--fixtures) and over the API (POST /_mock/fixtures), read back through boto3 field by field;
broken fixtures rejected with the path of the offending field and no change to state;
restarts with the same --fixtures and database duplicating nothing; the JSON Schema.

Expected values are computed from the fixture files themselves, so editing an example
keeps these tests honest rather than stale.
"""
import csv
import datetime as dt
import glob
import io
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (  # noqa: E402
    DEFAULT_ACCOUNT, DEFAULT_REGION, REPO_ROOT, MockServer, ServerTestCase, control, http_get,
    list_all_suppressed, suppression_import, unique_account, wait_for_job)

FIXTURES_DIR = os.path.join(REPO_ROOT, "fixtures")
SCHEMA_PATH = os.path.join(FIXTURES_DIR, "fixture.schema.json")
EXAMPLE_FILES = sorted(p for p in glob.glob(os.path.join(FIXTURES_DIR, "*.json"))
                       if os.path.basename(p) != "fixture.schema.json")
EXAMPLES = [json.load(open(p, encoding="utf-8")) for p in EXAMPLE_FILES]
UNFINISHED = ("CREATED", "PROCESSING")
FINAL = ("COMPLETED", "FAILED", "CANCELLED")


# -- raw control calls ------------------------------------------------------------------------
def load_fixture(server, document):
    status, headers, body = control(server, "POST", "/_mock/fixtures", document)
    if status != 200:
        raise AssertionError(f"fixture load failed: {status} {headers.get('x-amzn-errortype')} {body}")
    return body


# -- what the fixture files say ---------------------------------------------------------------
def to_dt(value):
    """A fixture timestamp (epoch number or ISO 8601 text) as an aware datetime."""
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def partition(item, doc):
    return (item.get("Account", doc.get("Account", DEFAULT_ACCOUNT)),
            item.get("Region", doc.get("Region", DEFAULT_REGION)))


def expected_jobs(docs):
    out = []
    for doc in docs:
        for job in doc.get("ImportJobs", []):
            out.append((partition(job, doc), job))
    return out


def expected_suppressed(docs):
    out = {}
    for doc in docs:
        for d in doc.get("SuppressedDestinations", []):
            out.setdefault(partition(d, doc), {})[d["EmailAddress"]] = d
    return out


def expected_lists(docs):
    out = []
    for doc in docs:
        for lst in doc.get("ContactLists", []):
            out.append((partition(lst, doc), lst))
    return out


def object_location(obj):
    if "S3Url" in obj:
        bucket, _, key = obj["S3Url"][len("s3://"):].partition("/")
        return bucket, key
    return obj["Bucket"], obj["Key"]


def object_body(obj):
    if "Body" in obj:
        return obj["Body"]
    return "".join((line if isinstance(line, str) else json.dumps(line, separators=(",", ":")))
                   + "\n" for line in obj["Lines"])


def expected_objects(docs):
    return {object_location(o): object_body(o) for doc in docs for o in doc.get("S3Objects", [])}


def expected_counts(doc):
    lists = doc.get("ContactLists", [])
    return {"importJobs": len(doc.get("ImportJobs", [])),
            "suppressedDestinations": len(doc.get("SuppressedDestinations", [])),
            "contactLists": len(lists),
            "contacts": sum(len(l.get("Contacts", [])) for l in lists),
            "s3Objects": len(doc.get("S3Objects", [])),
            "emailIdentities": len(doc.get("EmailIdentities", [])),
            "configurationSets": len(doc.get("ConfigurationSets", [])),
            "emailTemplates": len(doc.get("EmailTemplates", [])),
            "exportJobs": len(doc.get("ExportJobs", []))}


def strip(resp):
    resp = dict(resp)
    resp.pop("ResponseMetadata", None)
    return resp


def copy_examples(into):
    os.makedirs(into, exist_ok=True)
    for path in EXAMPLE_FILES:
        shutil.copy(path, into)
    return into


# =============================================================================================
class ReadBackMixin:
    """Everything the examples hold, read back through boto3. Needs cls.server in manual
    mode with the examples loaded, and cls.loaded_between = (t0, t1) around the load."""

    def client(self, part):
        return self.server.client(part[0], region=part[1])

    def assertLoadTime(self, value):
        t0, t1 = self.loaded_between
        self.assertGreaterEqual(value.timestamp(), t0 - 1.0)
        self.assertLessEqual(value.timestamp(), t1 + 1.0)

    def test_import_jobs_field_by_field(self):
        self.assertEqual(sorted({j["JobStatus"] for _, j in expected_jobs(EXAMPLES)}),
                         sorted(UNFINISHED + FINAL))
        for part, fx in expected_jobs(EXAMPLES):
            with self.subTest(job=fx["JobId"]):
                job = self.client(part).get_import_job(JobId=fx["JobId"])
                self.assertEqual(job["JobId"], fx["JobId"])
                self.assertEqual(job["ImportDestination"], fx["ImportDestination"])
                self.assertEqual(job["ImportDataSource"], fx["ImportDataSource"])
                self.assertEqual(job["JobStatus"], fx["JobStatus"])
                created = to_dt(fx["CreatedTimestamp"])
                self.assertIsInstance(job["CreatedTimestamp"], dt.datetime)
                self.assertEqual(job["CreatedTimestamp"], created)
                if fx["JobStatus"] in FINAL:
                    completed = to_dt(fx.get("CompletedTimestamp", fx["CreatedTimestamp"]))
                    self.assertEqual(job["CompletedTimestamp"], completed)
                else:
                    self.assertNotIn("CompletedTimestamp", job)
                self.assertEqual(job["ProcessedRecordsCount"], fx.get("ProcessedRecordsCount", 0))
                self.assertEqual(job["FailedRecordsCount"], fx.get("FailedRecordsCount", 0))
                failure = job.get("FailureInfo", {})
                self.assertEqual(failure.get("ErrorMessage"),
                                 fx.get("FailureInfo", {}).get("ErrorMessage"))
                if fx.get("FailedRecordsCount", 0) > 0:
                    self.assertFailedRecords(failure["FailedRecordsS3Url"], fx)
                else:
                    self.assertNotIn("FailedRecordsS3Url", failure)
                # The control API shows the same job, with where it lives.
                status, _, answer = control(self.server, "GET", f"/_mock/import-jobs/{fx['JobId']}")
                self.assertEqual(status, 200)
                self.assertEqual((answer["Account"], answer["Region"]), part)
                self.assertEqual(answer["JobStatus"], fx["JobStatus"])

    def assertFailedRecords(self, url, fx):
        self.assertTrue(url.startswith(self.server.url + "/"), url)
        status, headers, body = http_get(url)
        self.assertEqual(status, 200, body)
        want = [(r["LineNumber"], r["FailureReason"], r.get("Record", ""))
                for r in sorted(fx.get("FailedRecords", []), key=lambda r: r["LineNumber"])]
        text = body.decode("utf-8")
        if fx["ImportDataSource"]["DataFormat"] == "CSV":
            rows = list(csv.reader(io.StringIO(text)))
            self.assertEqual(rows[0], ["lineNumber", "failureReason", "record"])
            self.assertEqual([(int(r[0]), r[1], r[2]) for r in rows[1:]], want)
        else:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
            self.assertEqual([(i["lineNumber"], i["failureReason"], i["record"]) for i in items], want)

    def test_list_import_jobs(self):
        by_partition = {}
        for part, fx in expected_jobs(EXAMPLES):
            by_partition.setdefault(part, []).append(fx)
        for part, jobs in by_partition.items():
            with self.subTest(partition=part):
                ses = self.client(part)
                got = ses.list_import_jobs(PageSize=100)["ImportJobs"]
                newest_first = sorted(jobs, key=lambda j: to_dt(j["CreatedTimestamp"]), reverse=True)
                self.assertEqual([s["JobId"] for s in got], [j["JobId"] for j in newest_first])
                for summary, fx in zip(got, newest_first):
                    self.assertEqual(set(summary), {"JobId", "ImportDestination", "JobStatus",
                                                    "CreatedTimestamp", "ProcessedRecordsCount",
                                                    "FailedRecordsCount"})
                    self.assertEqual(summary["ImportDestination"], fx["ImportDestination"])
                    self.assertEqual(summary["JobStatus"], fx["JobStatus"])
                    self.assertEqual(summary["CreatedTimestamp"], to_dt(fx["CreatedTimestamp"]))
                    self.assertEqual(summary["ProcessedRecordsCount"], fx.get("ProcessedRecordsCount", 0))
                    self.assertEqual(summary["FailedRecordsCount"], fx.get("FailedRecordsCount", 0))
                contact_jobs = [j["JobId"] for j in newest_first if "ContactListDestination" in j["ImportDestination"]]
                got = ses.list_import_jobs(ImportDestinationType="CONTACT_LIST")["ImportJobs"]
                self.assertEqual([s["JobId"] for s in got], contact_jobs)
                # Pages of one give the same order.
                paged, token = [], None
                while True:
                    kwargs = {"PageSize": 1, **({"NextToken": token} if token else {})}
                    resp = ses.list_import_jobs(**kwargs)
                    paged += [s["JobId"] for s in resp["ImportJobs"]]
                    token = resp.get("NextToken")
                    if not token:
                        break
                self.assertEqual(paged, [j["JobId"] for j in newest_first])

    def test_suppressed_destinations(self):
        for part, addresses in expected_suppressed(EXAMPLES).items():
            with self.subTest(partition=part):
                ses = self.client(part)
                listed = {d["EmailAddress"]: d["Reason"] for d in list_all_suppressed(ses)}
                self.assertEqual(listed, {a: d["Reason"] for a, d in addresses.items()})
                for address, fx in addresses.items():
                    got = ses.get_suppressed_destination(EmailAddress=address)["SuppressedDestination"]
                    self.assertEqual(got["EmailAddress"], address)
                    self.assertEqual(got["Reason"], fx["Reason"])
                    if "LastUpdateTime" in fx:
                        self.assertEqual(got["LastUpdateTime"], to_dt(fx["LastUpdateTime"]))
                    else:
                        self.assertLoadTime(got["LastUpdateTime"])

    def test_contact_lists_and_contacts(self):
        lists = expected_lists(EXAMPLES)
        self.assertTrue(lists)
        for part, fx in lists:
            with self.subTest(list=fx["ContactListName"]):
                ses = self.client(part)
                got = ses.get_contact_list(ContactListName=fx["ContactListName"])
                self.assertEqual(got["ContactListName"], fx["ContactListName"])
                self.assertEqual(got.get("Description"), fx.get("Description"))
                want_topics = []
                for t in fx.get("Topics", []):
                    topic = {"TopicName": t["TopicName"], "DisplayName": t.get("DisplayName", t["TopicName"]),
                             "DefaultSubscriptionStatus": t["DefaultSubscriptionStatus"]}
                    if t.get("Description"):
                        topic["Description"] = t["Description"]
                    want_topics.append(topic)
                key = lambda t: t["TopicName"]  # noqa: E731
                self.assertEqual(sorted(got.get("Topics", []), key=key), sorted(want_topics, key=key))
                self.assertEqual(sorted((t["Key"], t["Value"]) for t in got.get("Tags", [])),
                                 sorted((t["Key"], t.get("Value", "")) for t in fx.get("Tags", [])))
                if "CreatedTimestamp" in fx:
                    self.assertEqual(got["CreatedTimestamp"], to_dt(fx["CreatedTimestamp"]))
                else:
                    self.assertLoadTime(got["CreatedTimestamp"])
                self.assertEqual(got["LastUpdatedTimestamp"],
                                 to_dt(fx["LastUpdatedTimestamp"]) if "LastUpdatedTimestamp" in fx
                                 else got["CreatedTimestamp"])
                self.assertIn(fx["ContactListName"],
                              [l["ContactListName"] for l in ses.list_contact_lists()["ContactLists"]])

                listed = ses.list_contacts(ContactListName=fx["ContactListName"])["Contacts"]
                self.assertEqual(sorted(c["EmailAddress"] for c in listed),
                                 sorted(c["EmailAddress"] for c in fx.get("Contacts", [])))
                for c in fx.get("Contacts", []):
                    contact = ses.get_contact(ContactListName=fx["ContactListName"],
                                              EmailAddress=c["EmailAddress"])
                    self.assertEqual(contact["ContactListName"], fx["ContactListName"])
                    self.assertEqual(contact["EmailAddress"], c["EmailAddress"])
                    self.assertEqual(contact["UnsubscribeAll"], c.get("UnsubscribeAll", False))
                    self.assertEqual(contact.get("AttributesData"), c.get("AttributesData"))
                    pref = lambda p: (p["TopicName"], p["SubscriptionStatus"])  # noqa: E731
                    self.assertEqual(sorted(map(pref, contact.get("TopicPreferences", []))),
                                     sorted(map(pref, c.get("TopicPreferences", []))))
                    if "CreatedTimestamp" in c:
                        self.assertEqual(contact["CreatedTimestamp"], to_dt(c["CreatedTimestamp"]))
                    else:
                        self.assertLoadTime(contact["CreatedTimestamp"])
                    self.assertEqual(contact["LastUpdatedTimestamp"],
                                     to_dt(c["LastUpdatedTimestamp"]) if "LastUpdatedTimestamp" in c
                                     else contact["CreatedTimestamp"])

    def test_s3_objects_are_written(self):
        objects = expected_objects(EXAMPLES)
        self.assertTrue(objects)
        for (bucket, key), body in objects.items():
            with open(os.path.join(self.server.s3_dir, bucket, key), encoding="utf-8") as f:
                self.assertEqual(f.read(), body, f"s3://{bucket}/{key}")
        leftovers = [p for p in glob.glob(os.path.join(self.server.s3_dir, "**", "*"), recursive=True)
                     if "tmp" in os.path.basename(p)]
        self.assertEqual(leftovers, [])

    def test_unfinished_jobs_wait_in_manual_mode(self):
        unfinished = [(p, fx) for p, fx in expected_jobs(EXAMPLES) if fx["JobStatus"] in UNFINISHED]
        self.assertTrue(unfinished)
        time.sleep(0.5)
        for part, fx in unfinished:
            with self.subTest(job=fx["JobId"]):
                job = self.client(part).get_import_job(JobId=fx["JobId"])
                self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]),
                                 (fx["JobStatus"], fx.get("ProcessedRecordsCount", 0)))


class FixturesAtStartTests(ReadBackMixin, ServerTestCase):
    """--fixtures FOLDER (a copy of the examples), manual mode so nothing moves."""

    @classmethod
    def setUpClass(cls):
        cls.examples_dir = copy_examples(tempfile.mkdtemp(prefix="sesv2-fixtures-"))
        cls.server_args = ("--processing-mode", "manual", "--fixtures", cls.examples_dir)
        t0 = time.time()
        super().setUpClass()
        cls.loaded_between = (t0, time.time())

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.examples_dir, ignore_errors=True)

    def test_start_log_names_each_file(self):
        with open(self.server.log_path, encoding="utf-8") as f:
            log = f.read()
        for path in EXAMPLE_FILES:
            self.assertIn(os.path.basename(path), log)


class FixturesOverApiTests(ReadBackMixin, ServerTestCase):
    """POST /_mock/fixtures with each example document."""
    server_args = ("--processing-mode", "manual")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t0 = time.time()
        cls.answers = [load_fixture(cls.server, doc) for doc in EXAMPLES]
        cls.loaded_between = (t0, time.time())

    def test_load_answers_counts(self):
        self.assertEqual(self.answers, [expected_counts(doc) for doc in EXAMPLES])

    def test_loading_again_duplicates_nothing(self):
        before = {p: strip(self.client(p).list_import_jobs(PageSize=100))
                  for p, _ in expected_jobs(EXAMPLES)}
        for doc in EXAMPLES:
            self.assertEqual(load_fixture(self.server, doc), expected_counts(doc))
        after = {p: strip(self.client(p).list_import_jobs(PageSize=100)) for p in before}
        self.assertEqual(after, before)
        for part, addresses in expected_suppressed(EXAMPLES).items():
            self.assertEqual(len(list_all_suppressed(self.client(part))), len(addresses))
        for part, fx in expected_lists(EXAMPLES):
            ses = self.client(part)
            self.assertEqual(len(ses.list_contact_lists()["ContactLists"]), 1)
            self.assertEqual(len(ses.list_contacts(ContactListName=fx["ContactListName"])["Contacts"]),
                             len(fx.get("Contacts", [])))


class RepoFixturesFolderTests(unittest.TestCase):
    """The README's recipe: --fixtures pointed at the repository's fixtures/ folder itself,
    which also holds fixture.schema.json."""

    def test_fixtures_folder_loads_at_start(self):
        workdir = tempfile.mkdtemp(prefix="sesv2-e2e-repo-fixtures-")
        server = MockServer(workdir, "--processing-mode", "manual", "--fixtures", FIXTURES_DIR)
        try:
            server.start()
            for part, fx in expected_jobs(EXAMPLES):
                job = server.client(part[0], region=part[1]).get_import_job(JobId=fx["JobId"])
                self.assertEqual(job["JobStatus"], fx["JobStatus"])
        finally:
            server.stop()
            shutil.rmtree(workdir, ignore_errors=True)


class FixturesRunByWorkerTests(ServerTestCase):
    """In immediate mode the unfinished examples run to COMPLETED (their objects are in the
    fixtures); the final ones stay exactly as written."""

    @classmethod
    def setUpClass(cls):
        cls.examples_dir = copy_examples(tempfile.mkdtemp(prefix="sesv2-fixtures-"))
        cls.server_args = ("--fixtures", cls.examples_dir)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.examples_dir, ignore_errors=True)

    @staticmethod
    def records_in(fx, body):
        lines = [l for l in body.splitlines() if l.strip()]
        csv_format = fx["ImportDataSource"]["DataFormat"] == "CSV"
        contacts = "ContactListDestination" in fx["ImportDestination"]
        if csv_format and (contacts or lines[0].startswith("emailAddress")):
            return len(lines) - 1
        return len(lines)

    def test_unfinished_examples_complete_cleanly(self):
        objects = expected_objects(EXAMPLES)
        unfinished = [(p, fx) for p, fx in expected_jobs(EXAMPLES) if fx["JobStatus"] in UNFINISHED]
        self.assertEqual(sorted({fx["JobStatus"] for _, fx in unfinished}), ["CREATED", "PROCESSING"])
        for part, fx in unfinished:
            with self.subTest(job=fx["JobId"]):
                job = wait_for_job(self.server.client(part[0], region=part[1]), fx["JobId"], timeout=10)
                body = objects[object_location({"S3Url": fx["ImportDataSource"]["S3Url"]})]
                self.assertEqual(job["JobStatus"], "COMPLETED", job.get("FailureInfo"))
                self.assertEqual(job["ProcessedRecordsCount"], self.records_in(fx, body))
                self.assertEqual(job["FailedRecordsCount"], 0)
                self.assertNotIn("FailureInfo", job)
                self.assertEqual(job["CreatedTimestamp"], to_dt(fx["CreatedTimestamp"]))

    def test_what_the_unfinished_examples_import(self):
        ses = self.server.client()
        for fx_id in [fx["JobId"] for _, fx in expected_jobs(EXAMPLES) if fx["JobStatus"] in UNFINISHED]:
            wait_for_job(ses, fx_id, timeout=10)
        got = ses.get_suppressed_destination(EmailAddress="dave@example.org")["SuppressedDestination"]
        self.assertEqual(got["Reason"], "COMPLAINT")
        got = ses.get_suppressed_destination(EmailAddress="erin@example.org")["SuppressedDestination"]
        self.assertEqual(got["Reason"], "BOUNCE")
        frank = ses.get_contact(ContactListName="newsletter", EmailAddress="frank@example.com")
        self.assertEqual(frank["TopicPreferences"],
                         [{"TopicName": "weekly-digest", "SubscriptionStatus": "OPT_IN"}])
        self.assertEqual(json.loads(frank["AttributesData"]), {"firstName": "Frank"})
        grace = ses.get_contact(ContactListName="newsletter", EmailAddress="grace@example.org")
        self.assertEqual(sorted((p["TopicName"], p["SubscriptionStatus"]) for p in grace["TopicPreferences"]),
                         [("offers", "OPT_IN"), ("weekly-digest", "OPT_IN")])

    def test_final_examples_are_not_run(self):
        for part, fx in expected_jobs(EXAMPLES):
            if fx["JobStatus"] not in FINAL:
                continue
            with self.subTest(job=fx["JobId"]):
                job = self.server.client(part[0], region=part[1]).get_import_job(JobId=fx["JobId"])
                self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"]),
                                 (fx["JobStatus"], fx.get("ProcessedRecordsCount", 0)))


# =============================================================================================
def valid_job(job_id=None, **extra):
    job = {"JobId": job_id or str(uuid.uuid4()),
           "ImportDestination": {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
           "ImportDataSource": {"S3Url": "s3://rejects/new.csv", "DataFormat": "CSV"},
           "JobStatus": "COMPLETED", "CreatedTimestamp": "2025-06-01T00:00:00Z",
           "ProcessedRecordsCount": 2, "FailedRecordsCount": 0}
    job.update(extra)
    return job


class FixtureRejectionTests(ServerTestCase):
    """A broken fixture of each kind: 400 BadRequestException naming the offending field, and
    nothing changes (jobs, addresses, lists, contacts, files)."""
    server_args = ("--processing-mode", "manual")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = unique_account()
        cls.base_job = str(uuid.uuid4())
        cls.base = {
            "Account": cls.account,
            "ImportJobs": [valid_job(cls.base_job, ImportDataSource={"S3Url": "s3://rejects/base.csv",
                                                                     "DataFormat": "CSV"})],
            "SuppressedDestinations": [{"EmailAddress": "base@example.com", "Reason": "BOUNCE",
                                        "LastUpdateTime": 1750000000}],
            "ContactLists": [{"ContactListName": "base-list",
                              "Topics": [{"TopicName": "news", "DefaultSubscriptionStatus": "OPT_IN"}],
                              "Contacts": [{"EmailAddress": "member@example.com"}]}],
            "S3Objects": [{"S3Url": "s3://rejects/base.csv", "Body": "base@example.com,BOUNCE\n"}],
        }
        load_fixture(cls.server, cls.base)

    def good_document(self):
        """Valid changes of every kind (new records and new versions of the base ones): a
        bad item is then added after them, so any partial write would show."""
        return {
            "Account": self.account,
            "ImportJobs": [valid_job(self.base_job, JobStatus="CANCELLED",
                                     ImportDataSource={"S3Url": "s3://rejects/base.csv", "DataFormat": "CSV"})],
            "SuppressedDestinations": [{"EmailAddress": "base@example.com", "Reason": "COMPLAINT"}],
            "ContactLists": [{"ContactListName": "base-list", "Description": "changed",
                              "Topics": [{"TopicName": "news", "DefaultSubscriptionStatus": "OPT_OUT"}],
                              "Contacts": [{"EmailAddress": "member@example.com", "UnsubscribeAll": True}]}],
            "S3Objects": [{"S3Url": "s3://rejects/base.csv", "Body": "changed@example.com,COMPLAINT\n"},
                          {"Bucket": "rejects", "Key": "added.csv", "Body": "new@example.com,BOUNCE\n"}],
        }

    def snapshot(self):
        ses = self.server.client(self.account)
        default = self.server.client()
        files = {}
        for root, _, names in os.walk(self.server.s3_dir):
            for name in names:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    files[os.path.relpath(path, self.server.s3_dir)] = f.read()
        return {
            "jobs": strip(ses.list_import_jobs(PageSize=100)),
            "default jobs": strip(default.list_import_jobs(PageSize=100)),
            "base job": strip(ses.get_import_job(JobId=self.base_job)),
            "suppressed": list_all_suppressed(ses),
            "default suppressed": list_all_suppressed(default),
            "lists": strip(ses.list_contact_lists()),
            "base list": strip(ses.get_contact_list(ContactListName="base-list")),
            "contacts": strip(ses.list_contacts(ContactListName="base-list")),
            "member": strip(ses.get_contact(ContactListName="base-list", EmailAddress="member@example.com")),
            "files": files,
        }

    def assertRejected(self, document=None, message=None, prefix=None, raw=None, state_first=False):
        before = self.snapshot()
        status, headers, body = control(self.server, "POST", "/_mock/fixtures", document, raw)
        if state_first:
            self.assertEqual(self.snapshot(), before, f"a rejected fixture changed state: {body}")
        self.assertEqual((status, headers.get("x-amzn-errortype")), (400, "BadRequestException"), body)
        if message is not None:
            self.assertEqual(body["message"], message)
        if prefix is not None:
            self.assertTrue(body["message"].startswith(prefix), f"{body['message']!r} !~ {prefix!r}")
        self.assertEqual(self.snapshot(), before, "a rejected fixture changed state")
        return body["message"]

    def with_item(self, section, item, doc=None):
        doc = doc or self.good_document()
        doc.setdefault(section, []).append(item)
        return doc

    # -- the good document itself is fine (so each rejection below is the bad item's doing)
    def test_good_document_loads(self):
        self.assertEqual(load_fixture(self.server, self.good_document()),
                         {"importJobs": 1, "suppressedDestinations": 1, "contactLists": 1,
                          "contacts": 1, "s3Objects": 2, "emailIdentities": 0,
                          "configurationSets": 0, "emailTemplates": 0, "exportJobs": 0})
        self.assertEqual(self.server.client(self.account).get_import_job(JobId=self.base_job)["JobStatus"],
                         "CANCELLED")
        load_fixture(self.server, self.base)  # back to the base state
        os.remove(os.path.join(self.server.s3_dir, "rejects", "added.csv"))

    # -- unknown fields ----------------------------------------------------------------------
    def test_unknown_field_in_a_job(self):
        self.assertRejected(self.with_item("ImportJobs", valid_job(Priority="high")),
                            "Fixture rejected at ImportJobs[1].Priority: is not a known field.")

    def test_unknown_field_in_a_contact(self):
        doc = self.good_document()
        doc["ContactLists"][0]["Contacts"].append({"EmailAddress": "x@example.com", "Nickname": "x"})
        self.assertRejected(doc, "Fixture rejected at ContactLists[0].Contacts[1].Nickname: "
                                 "is not a known field.")

    def test_unknown_top_level_field(self):
        doc = self.good_document()
        doc["Jobs"] = []
        self.assertRejected(doc, "Fixture rejected at Jobs: is not a known field.")

    def test_misspelt_field_name(self):
        self.assertRejected(self.with_item("SuppressedDestinations",
                                           {"EmailAddress": "x@example.com", "reason": "BOUNCE"}),
                            prefix="Fixture rejected at SuppressedDestinations[1].")

    # -- bad enums ---------------------------------------------------------------------------
    def test_bad_job_status(self):
        self.assertRejected(self.with_item("ImportJobs", valid_job(JobStatus="DONE")),
                            "Fixture rejected at ImportJobs[1].JobStatus: must be one of CREATED, "
                            "PROCESSING, COMPLETED, FAILED, CANCELLED.")

    def test_bad_reason(self):
        self.assertRejected(self.with_item("SuppressedDestinations",
                                           {"EmailAddress": "x@example.com", "Reason": "SPAM"}),
                            "Fixture rejected at SuppressedDestinations[1].Reason: must be one of "
                            "BOUNCE, COMPLAINT.")

    def test_bad_subscription_status(self):
        doc = self.good_document()
        doc["ContactLists"][0]["Topics"].append({"TopicName": "t2", "DefaultSubscriptionStatus": "MAYBE"})
        self.assertRejected(doc, "Fixture rejected at ContactLists[0].Topics[1].DefaultSubscriptionStatus: "
                                 "must be one of OPT_IN, OPT_OUT.")

    def test_bad_data_format(self):
        job = valid_job(ImportDataSource={"S3Url": "s3://rejects/x.csv", "DataFormat": "XML"})
        self.assertRejected(self.with_item("ImportJobs", job),
                            prefix="Fixture rejected at ImportJobs[1].ImportDataSource.DataFormat: ")

    # -- timestamps and counts ----------------------------------------------------------------
    def test_bad_timestamp(self):
        self.assertRejected(self.with_item("ImportJobs", valid_job(CreatedTimestamp="last tuesday")),
                            "Fixture rejected at ImportJobs[1].CreatedTimestamp: must be epoch "
                            "seconds or an ISO 8601 date-time.")
        self.assertRejected(self.with_item("SuppressedDestinations",
                                           {"EmailAddress": "x@example.com", "Reason": "BOUNCE",
                                            "LastUpdateTime": True}),
                            "Fixture rejected at SuppressedDestinations[1].LastUpdateTime: must be "
                            "epoch seconds or an ISO 8601 date-time.")

    def test_impossible_date(self):
        # Month 13, day 45, hour 25: not a date, though it has the shape of one.
        self.assertRejected(self.with_item("ImportJobs",
                                           valid_job(CreatedTimestamp="2025-13-45T25:61:00Z")),
                            "Fixture rejected at ImportJobs[1].CreatedTimestamp: must be epoch "
                            "seconds or an ISO 8601 date-time.")

    def test_failed_more_than_processed(self):
        self.assertRejected(self.with_item("ImportJobs", valid_job(ProcessedRecordsCount=2,
                                                                   FailedRecordsCount=3)),
                            "Fixture rejected at ImportJobs[1].FailedRecordsCount: is larger than "
                            "ProcessedRecordsCount.")

    def test_negative_count(self):
        self.assertRejected(self.with_item("ImportJobs", valid_job(ProcessedRecordsCount=-1)),
                            "Fixture rejected at ImportJobs[1].ProcessedRecordsCount: must be a whole "
                            "number >= 0.")

    def test_completed_timestamp_on_an_unfinished_job(self):
        for state in UNFINISHED:
            with self.subTest(state=state):
                job = valid_job(JobStatus=state, CompletedTimestamp="2025-06-01T00:01:00Z",
                                ProcessedRecordsCount=0)
                self.assertRejected(self.with_item("ImportJobs", job),
                                    "Fixture rejected at ImportJobs[1].CompletedTimestamp: is only "
                                    "allowed for COMPLETED, FAILED or CANCELLED jobs.")

    def test_completed_before_created(self):
        self.assertRejected(self.with_item("ImportJobs", valid_job(CompletedTimestamp="2025-05-31T00:00:00Z")),
                            "Fixture rejected at ImportJobs[1].CompletedTimestamp: is before "
                            "CreatedTimestamp.")

    def test_failure_info_on_a_job_that_did_not_fail(self):
        self.assertRejected(self.with_item("ImportJobs",
                                           valid_job(FailureInfo={"ErrorMessage": "boom"})),
                            "Fixture rejected at ImportJobs[1].FailureInfo.ErrorMessage: is only "
                            "allowed for FAILED jobs.")

    def test_more_failed_records_than_counted(self):
        job = valid_job(ProcessedRecordsCount=5, FailedRecordsCount=1, FailedRecords=[
            {"LineNumber": 1, "FailureReason": "bad"}, {"LineNumber": 2, "FailureReason": "bad"}])
        self.assertRejected(self.with_item("ImportJobs", job),
                            "Fixture rejected at ImportJobs[1].FailedRecords: has more entries than "
                            "FailedRecordsCount.")

    def test_duplicate_and_missing_job_ids(self):
        doc = self.with_item("ImportJobs", valid_job(self.base_job))
        self.assertRejected(doc, "Fixture rejected at ImportJobs[1].JobId: repeats another job's JobId.")
        job = valid_job()
        del job["JobId"]
        self.assertRejected(self.with_item("ImportJobs", job),
                            "Fixture rejected at ImportJobs[1].JobId: is required.")

    # -- addresses, accounts, contacts ---------------------------------------------------------
    def test_bad_email_address(self):
        self.assertRejected(self.with_item("SuppressedDestinations",
                                           {"EmailAddress": "not-an-address", "Reason": "BOUNCE"}),
                            prefix="Fixture rejected at SuppressedDestinations[1].EmailAddress: ")
        doc = self.good_document()
        doc["ContactLists"][0]["Contacts"].append({"EmailAddress": "two@@example.com"})
        self.assertRejected(doc, prefix="Fixture rejected at ContactLists[0].Contacts[1].EmailAddress: ")

    def test_bad_account(self):
        self.assertRejected(self.with_item("SuppressedDestinations",
                                           {"EmailAddress": "x@example.com", "Reason": "BOUNCE",
                                            "Account": "12345"}),
                            "Fixture rejected at SuppressedDestinations[1].Account: must be 12 digits.")
        doc = self.good_document()
        doc["Account"] = "not-an-account"
        self.assertRejected(doc, "Fixture rejected at Account: must be 12 digits.")

    def test_topic_preference_for_a_missing_topic(self):
        doc = self.good_document()
        doc["ContactLists"][0]["Contacts"].append(
            {"EmailAddress": "x@example.com",
             "TopicPreferences": [{"TopicName": "sports", "SubscriptionStatus": "OPT_IN"}]})
        self.assertRejected(doc, "Fixture rejected at ContactLists[0].Contacts[1].TopicPreferences[0]"
                                 ".TopicName: names a topic the list does not have.")

    def test_attributes_data_not_a_json_object(self):
        doc = self.good_document()
        doc["ContactLists"][0]["Contacts"].append({"EmailAddress": "x@example.com",
                                                   "AttributesData": "[1, 2]"})
        self.assertRejected(doc, "Fixture rejected at ContactLists[0].Contacts[1].AttributesData: "
                                 "must be a JSON object as text.")

    def test_contact_list_job_naming_a_missing_list(self):
        job = valid_job(ImportDestination={"ContactListDestination": {
            "ContactListName": "no-such-list", "ContactListImportAction": "PUT"}})
        self.assertRejected(self.with_item("ImportJobs", job),
                            "Fixture rejected at ImportJobs[1].ImportDestination.ContactListDestination"
                            ".ContactListName: ContactList no-such-list doesn't exist.")
        # A list of that name in another region does not count.
        job = valid_job(Region="eu-west-1", ImportDestination={"ContactListDestination": {
            "ContactListName": "base-list", "ContactListImportAction": "PUT"}})
        self.assertRejected(self.with_item("ImportJobs", job),
                            "Fixture rejected at ImportJobs[1].ImportDestination.ContactListDestination"
                            ".ContactListName: ContactList base-list doesn't exist.")

    # -- S3 objects ----------------------------------------------------------------------------
    def test_s3_key_leaving_the_s3_directory(self):
        self.assertRejected(self.with_item("S3Objects", {"Bucket": "rejects", "Key": "../../escape.csv",
                                                         "Body": "x"}),
                            prefix="Fixture rejected at S3Objects[2].Key: ")
        self.assertRejected(self.with_item("S3Objects", {"S3Url": "s3://rejects/a/../../../escape.csv",
                                                         "Body": "x"}),
                            prefix="Fixture rejected at S3Objects[2].S3Url: ")
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "escape.csv")))

    def test_s3_object_needs_body_or_lines(self):
        self.assertRejected(self.with_item("S3Objects", {"Bucket": "rejects", "Key": "k.csv",
                                                         "Body": "x", "Lines": ["x"]}),
                            "Fixture rejected at S3Objects[2]: needs exactly one of Body or Lines.")
        self.assertRejected(self.with_item("S3Objects", {"Bucket": "rejects", "Key": "k.csv",
                                                         "Lines": ["ok", 7]}),
                            "Fixture rejected at S3Objects[2].Lines[1]: must be a string or an object.")

    def test_s3_objects_that_cannot_all_be_written(self):
        # Each object is fine alone, but the second needs "clash" to be a folder and the third
        # a file: nothing of the document may be left behind.
        doc = self.good_document()
        doc["S3Objects"] += [{"Bucket": "rejects", "Key": "clash/inner.csv", "Body": "x\n"},
                             {"Bucket": "rejects", "Key": "clash", "Body": "y\n"}]
        self.assertRejected(doc, prefix="Fixture rejected at S3Objects[3]", state_first=True)

    # -- not a fixture at all ------------------------------------------------------------------
    def test_invalid_json(self):
        self.assertRejected(raw=b'{"ImportJobs": [{"JobId": "x",', prefix="The request body is not valid JSON")
        self.assertRejected(raw=b'[]', message="The request body must be a JSON object.")
        self.assertRejected(raw=json.dumps({"ImportJobs": {"JobId": "x"}}).encode(),
                            message="Fixture rejected at ImportJobs: must be an array.")


class FixtureOrderTests(ServerTestCase):
    """ListImportJobs puts the newest job (by CreatedTimestamp) first, also for fixture jobs
    written out of date order."""
    server_args = ("--processing-mode", "manual")

    def test_fixture_jobs_listed_newest_first(self):
        account = unique_account()
        jobs = [valid_job(CreatedTimestamp="2025-03-01T00:00:00Z"),
                valid_job(CreatedTimestamp="2024-03-01T00:00:00Z"),
                valid_job(CreatedTimestamp="2025-09-01T00:00:00Z")]
        load_fixture(self.server, {"Account": account, "ImportJobs": jobs})
        got = self.server.client(account).list_import_jobs()["ImportJobs"]
        self.assertEqual([j["JobId"] for j in got], [jobs[2]["JobId"], jobs[0]["JobId"], jobs[1]["JobId"]])


class BrokenFixtureAtStartTests(unittest.TestCase):
    """A broken --fixtures file stops the start with the file and field named; the database
    is left as it was."""

    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sesv2-e2e-broken-fixture-")
        self.addCleanup(shutil.rmtree, self.workdir, True)

    def test_broken_file_stops_the_start_and_changes_nothing(self):
        server = MockServer(self.workdir, "--processing-mode", "manual")
        server.start()
        ses = server.client()
        url = server.write_s3("start", "kept.csv", "kept@example.com,BOUNCE\n")
        kept = suppression_import(ses, url)
        server.stop()

        broken = {"ImportJobs": [valid_job(), valid_job(JobStatus="FINISHED")],
                  "SuppressedDestinations": [{"EmailAddress": "z@example.com", "Reason": "BOUNCE"}]}
        path = os.path.join(self.workdir, "broken.json")
        with open(path, "w") as f:
            json.dump(broken, f)
        with self.assertRaises(AssertionError) as ctx:
            server.start(["--processing-mode", "manual", "--fixtures", path])
        server.reap()
        self.assertIn("exited with", str(ctx.exception))
        with open(server.log_path, encoding="utf-8") as f:
            log = f.read()
        self.assertIn("broken.json", log)
        self.assertIn("Fixture rejected at ImportJobs[1].JobStatus", log)

        invalid = os.path.join(self.workdir, "invalid.json")
        with open(invalid, "w") as f:
            f.write('{"ImportJobs": [')
        with self.assertRaises(AssertionError):
            server.start(["--fixtures", invalid])
        server.reap()
        with open(server.log_path, encoding="utf-8") as f:
            self.assertIn("invalid.json", f.read())

        server.start(["--processing-mode", "manual"])
        try:
            ses = server.client()
            self.assertEqual([j["JobId"] for j in ses.list_import_jobs()["ImportJobs"]], [kept])
            self.assertEqual(list_all_suppressed(ses), [])
        finally:
            server.stop()


class FixtureRestartTests(unittest.TestCase):
    """Restarting with the same --fixtures and database: fixtures replace the records they
    name, so nothing is duplicated; records the fixtures do not name are kept."""

    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sesv2-e2e-fixture-restart-")
        self.addCleanup(shutil.rmtree, self.workdir, True)
        self.examples_dir = copy_examples(os.path.join(self.workdir, "fixtures"))
        self.server = MockServer(self.workdir, "--processing-mode", "manual",
                                 "--fixtures", self.examples_dir)
        self.addCleanup(self.server.stop)

    def portless(self, job):
        """GetImportJob without its metadata, the failed-records URL without the (per-run)
        host and port."""
        job = strip(job)
        url = job.get("FailureInfo", {}).get("FailedRecordsS3Url")
        if url:
            self.assertTrue(url.startswith(self.server.url + "/"), url)
            job["FailureInfo"]["FailedRecordsS3Url"] = url[len(self.server.url):]
        return job

    def state(self):
        out = {}
        parts = {p for p, _ in expected_jobs(EXAMPLES)} | set(expected_suppressed(EXAMPLES))
        parts |= {p for p, _ in expected_lists(EXAMPLES)}
        for part in sorted(parts):
            ses = self.server.client(part[0], region=part[1])
            jobs = ses.list_import_jobs(PageSize=100)["ImportJobs"]
            out[part] = {
                "jobs": jobs,
                "details": {j["JobId"]: self.portless(ses.get_import_job(JobId=j["JobId"])) for j in jobs},
                "suppressed": list_all_suppressed(ses),
                "lists": ses.list_contact_lists()["ContactLists"],
                "contacts": {l["ContactListName"]: sorted(
                    (c["EmailAddress"], c.get("UnsubscribeAll"))
                    for c in ses.list_contacts(ContactListName=l["ContactListName"])["Contacts"])
                    for l in ses.list_contact_lists()["ContactLists"]},
            }
        return out

    def test_restart_with_the_same_fixtures_duplicates_nothing(self):
        self.server.start()
        first = self.state()
        n_jobs = sum(len(s["jobs"]) for s in first.values())
        n_addresses = sum(len(s["suppressed"]) for s in first.values())
        self.assertEqual(n_jobs, len(expected_jobs(EXAMPLES)))
        self.assertEqual(n_addresses, sum(len(a) for a in expected_suppressed(EXAMPLES).values()))

        # Change records the fixtures name, and add records they do not name.
        ses = self.server.client()
        ses.put_suppressed_destination(EmailAddress="angry.customer@example.com", Reason="BOUNCE")
        ses.put_suppressed_destination(EmailAddress="extra@example.com", Reason="COMPLAINT")
        created = [fx["JobId"] for _, fx in expected_jobs(EXAMPLES) if fx["JobStatus"] == "CREATED"][0]
        status, _, _ = control(self.server, "POST", f"/_mock/import-jobs/{created}/advance")
        self.assertEqual(status, 200)
        ses.delete_contact(ContactListName="newsletter", EmailAddress="bob@example.com")
        url = self.server.write_s3("restart", "own.csv", "own@example.com,BOUNCE\n")
        own_job = suppression_import(ses, url)
        self.server.stop()

        self.server.start()
        second = self.state()
        default = (DEFAULT_ACCOUNT, DEFAULT_REGION)
        # The job made through the API is kept; everything else is as the fixtures say.
        own = [j for j in second[default]["jobs"] if j["JobId"] == own_job]
        self.assertEqual(len(own), 1)
        second[default]["jobs"].remove(own[0])
        del second[default]["details"][own_job]
        extra = [d for d in second[default]["suppressed"] if d["EmailAddress"] == "extra@example.com"]
        self.assertEqual(len(extra), 1)
        second[default]["suppressed"].remove(extra[0])
        self.assertEqual(second, first)

        # Loading the same files over the API once more: still no duplicate.
        for doc in EXAMPLES:
            load_fixture(self.server, doc)
        third = self.state()
        self.assertEqual(sum(len(s["jobs"]) for s in third.values()), n_jobs + 1)
        self.assertEqual(sum(len(s["suppressed"]) for s in third.values()), n_addresses + 1)
        ids = [j["JobId"] for s in third.values() for j in s["jobs"]]
        self.assertEqual(len(ids), len(set(ids)))


# =============================================================================================
class SchemaTests(unittest.TestCase):
    """fixtures/fixture.schema.json describes the examples (and catches what it can)."""

    @classmethod
    def setUpClass(cls):
        import jsonschema  # installed with the test requirements (boto3's Python)
        cls.jsonschema = jsonschema
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            cls.schema = json.load(f)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)

    def test_schema_is_a_valid_draft_2020_12_schema(self):
        self.assertEqual(self.schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        self.jsonschema.Draft202012Validator.check_schema(self.schema)
        self.assertTrue(self.schema.get("description"))
        for name, prop in self.schema["properties"].items():
            self.assertTrue(prop.get("description"), f"{name} has no description")

    def test_examples_follow_the_schema(self):
        self.assertGreaterEqual(len(EXAMPLES), 3)
        for path, doc in zip(EXAMPLE_FILES, EXAMPLES):
            with self.subTest(example=os.path.basename(path)):
                self.assertEqual(doc.get("$schema"), "./fixture.schema.json")
                errors = [e.message for e in self.validator.iter_errors(doc)]
                self.assertEqual(errors, [])

    def test_examples_cover_every_state_and_kind(self):
        jobs = [fx for _, fx in expected_jobs(EXAMPLES)]
        self.assertEqual({j["JobStatus"] for j in jobs}, set(UNFINISHED + FINAL))
        self.assertTrue(any("ContactListDestination" in j["ImportDestination"] for j in jobs))
        self.assertTrue(any(j.get("FailedRecords") for j in jobs))
        self.assertTrue(any(j.get("FailureInfo") for j in jobs))
        self.assertTrue(expected_suppressed(EXAMPLES))
        self.assertTrue(any(l.get("Contacts") for _, l in expected_lists(EXAMPLES)))

    def test_unfinished_examples_carry_their_objects(self):
        objects = expected_objects(EXAMPLES)
        for _, fx in expected_jobs(EXAMPLES):
            if fx["JobStatus"] in UNFINISHED:
                self.assertIn(object_location({"S3Url": fx["ImportDataSource"]["S3Url"]}), objects,
                              fx["JobId"])

    def test_schema_rejects_what_it_can_express(self):
        bad = [
            {"Jobs": []},
            {"ImportJobs": [valid_job(JobStatus="DONE")]},
            {"ImportJobs": [valid_job(Priority="high")]},
            {"ImportJobs": [valid_job(JobStatus="CREATED", CompletedTimestamp=1)]},
            {"ImportJobs": [valid_job(FailureInfo={"ErrorMessage": "x"})]},
            {"SuppressedDestinations": [{"EmailAddress": "x@example.com", "Reason": "SPAM"}]},
            {"SuppressedDestinations": [{"EmailAddress": "no-at-sign", "Reason": "BOUNCE"}]},
            {"Account": "123"},
            {"S3Objects": [{"Bucket": "b", "Key": "k", "Body": "x", "Lines": []}]},
            {"S3Objects": [{"Bucket": "b", "Body": "x"}]},
        ]
        for doc in bad:
            with self.subTest(doc=doc):
                self.assertTrue(list(self.validator.iter_errors(doc)), "schema accepted it")


if __name__ == "__main__":
    unittest.main()
