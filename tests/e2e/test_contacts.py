"""Contact lists, contacts and contact-list import jobs through boto3.

Every test uses its own account id (unique_account): SES allows one contact list per
account and region, and the tests must not see each other's lists.
"""
import datetime as dt
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, http_get, unique_account, wait_for_job  # noqa: E402

TOPICS = [
    {"TopicName": "news", "DisplayName": "News", "Description": "Weekly news",
     "DefaultSubscriptionStatus": "OPT_IN"},
    {"TopicName": "deals", "DisplayName": "Deals", "DefaultSubscriptionStatus": "OPT_OUT"},
]


def now_utc():
    return dt.datetime.now(dt.timezone.utc)


def prefs(items):
    """TopicPreferences / TopicDefaultPreferences as {topic: status}."""
    return {p["TopicName"]: p["SubscriptionStatus"] for p in items}


class ContactTestCase(ServerTestCase):
    """A fresh account per test, with a list named `shop` (topics news and deals)."""

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.ses.create_contact_list(ContactListName="shop", Topics=TOPICS,
                                     Description="The shop's list",
                                     Tags=[{"Key": "team", "Value": "growth"}])

    def add(self, email, **kwargs):
        self.ses.create_contact(ContactListName="shop", EmailAddress=email, **kwargs)

    def get(self, email, list_name="shop"):
        return self.ses.get_contact(ContactListName=list_name, EmailAddress=email)

    def list_all(self, page_size=None, **kwargs):
        """Every contact through NextToken paging; also returns the page sizes."""
        out, sizes, token = [], [], None
        while True:
            args = dict(kwargs, ContactListName="shop")
            if page_size:
                args["PageSize"] = page_size
            if token:
                args["NextToken"] = token
            resp = self.ses.list_contacts(**args)
            out.extend(resp["Contacts"])
            sizes.append(len(resp["Contacts"]))
            token = resp.get("NextToken")
            if not token:
                return out, sizes

    def emails(self, **filter_args):
        return sorted(c["EmailAddress"] for c in self.list_all(**filter_args)[0])


class ContactListTests(ContactTestCase):

    def test_contact_list_crud(self):
        before = now_utc()
        got = self.ses.get_contact_list(ContactListName="shop")
        self.assertEqual(got["ContactListName"], "shop")
        self.assertEqual(got["Description"], "The shop's list")
        self.assertEqual(got["Topics"], TOPICS)
        self.assertEqual(got["Tags"], [{"Key": "team", "Value": "growth"}])
        self.assertIsInstance(got["CreatedTimestamp"], dt.datetime)
        self.assertLessEqual(got["CreatedTimestamp"], before + dt.timedelta(seconds=2))
        self.assertEqual(got["CreatedTimestamp"], got["LastUpdatedTimestamp"])

        listed = self.ses.list_contact_lists()
        self.assertEqual([entry["ContactListName"] for entry in listed["ContactLists"]], ["shop"])
        self.assertEqual(set(listed["ContactLists"][0]), {"ContactListName", "LastUpdatedTimestamp"})
        self.assertNotIn("NextToken", listed)

        # UpdateContactList replaces topics and description completely.
        new_topics = [{"TopicName": "events", "DisplayName": "Events",
                       "DefaultSubscriptionStatus": "OPT_OUT"}]
        self.ses.update_contact_list(ContactListName="shop", Topics=new_topics)
        got = self.ses.get_contact_list(ContactListName="shop")
        self.assertEqual(got["Topics"], new_topics)
        self.assertNotIn("Description", got)
        self.assertEqual(got["Tags"], [{"Key": "team", "Value": "growth"}])
        self.assertGreaterEqual(got["LastUpdatedTimestamp"], got["CreatedTimestamp"])

        self.add("a@example.com")
        self.ses.delete_contact_list(ContactListName="shop")
        self.assertClientError("NotFoundException", 404, self.ses.get_contact_list,
                               ContactListName="shop")
        self.assertEqual(self.ses.list_contact_lists()["ContactLists"], [])
        # Its contacts went with it: a new list of that name is empty.
        self.ses.create_contact_list(ContactListName="shop")
        self.assertEqual(self.ses.list_contacts(ContactListName="shop")["Contacts"], [])

    def test_contact_list_errors(self):
        msg = self.assertClientError("AlreadyExistsException", 400, self.ses.create_contact_list,
                                     ContactListName="shop")
        self.assertIn("shop", msg)
        msg = self.assertClientError("LimitExceededException", 400, self.ses.create_contact_list,
                                     ContactListName="second")
        self.assertIn("limit of 1 contact list", msg)
        # Another account, or another region of this one, has its own list.
        self.server.client(unique_account()).create_contact_list(ContactListName="shop")
        self.server.client(self.account, region="eu-west-1").create_contact_list(
            ContactListName="second")

        for missing in (self.ses.get_contact_list, self.ses.delete_contact_list):
            msg = self.assertClientError("NotFoundException", 404, missing, ContactListName="nope")
            self.assertEqual(msg, "List with name: nope doesn't exist.")
        self.assertClientError("NotFoundException", 404, self.ses.update_contact_list,
                               ContactListName="nope", Topics=[])

    def test_contact_list_validation(self):
        other = self.server.client(unique_account())
        for name in ("has space", "dot.ted", "x" * 65):
            msg = self.assertClientError("BadRequestException", 400, other.create_contact_list,
                                         ContactListName=name)
            self.assertEqual(msg, "ContactListName can contain up to 64 characters. Only "
                                  "alphanumeric characters, underscores(_) and hyphens(-) are "
                                  "allowed.")
        many = [{"TopicName": f"t{i}", "DisplayName": "T", "DefaultSubscriptionStatus": "OPT_IN"}
                for i in range(21)]
        msg = self.assertClientError("BadRequestException", 400, other.create_contact_list,
                                     ContactListName="big", Topics=many)
        self.assertEqual(msg, "Maximum of <20> topics allowed per ContactList")
        other.create_contact_list(ContactListName="twenty", Topics=many[:20])
        self.assertEqual(len(other.get_contact_list(ContactListName="twenty")["Topics"]), 20)
        msg = self.assertClientError("BadRequestException", 400, self.ses.update_contact_list,
                                     ContactListName="shop", Topics=[TOPICS[0], TOPICS[0]])
        self.assertEqual(msg, "Duplicate topic names are not allowed within a List.")
        self.assertClientError("BadRequestException", 400, self.ses.update_contact_list,
                               ContactListName="shop", Topics=many)
        # The model marks these members required; without client-side validation the
        # server says which one is missing.
        raw = self.server.client(unique_account(), validate=False)
        msg = self.assertClientError("BadRequestException", 400, raw.create_contact_list,
                                     ContactListName="x", Topics=[{"TopicName": "t"}])
        self.assertIn("topics.1.member.displayName", msg)
        self.assertClientError("BadRequestException", 400, raw.create_contact_list,
                               ContactListName="x", Topics=[{"TopicName": "t", "DisplayName": "T",
                                                             "DefaultSubscriptionStatus": "MAYBE"}])


class ContactListPagingTests(ServerTestCase):
    server_args = ("--max-contact-lists", "5")

    def test_list_contact_lists_paging(self):
        ses = self.server.client(unique_account())
        for name in ("e", "a", "d", "b", "c"):
            ses.create_contact_list(ContactListName=name)
        self.assertClientError("LimitExceededException", 400, ses.create_contact_list,
                               ContactListName="f")
        names, token = [], None
        while True:
            resp = ses.list_contact_lists(PageSize=2, **({"NextToken": token} if token else {}))
            self.assertLessEqual(len(resp["ContactLists"]), 2)
            names += [entry["ContactListName"] for entry in resp["ContactLists"]]
            token = resp.get("NextToken")
            if not token:
                break
        self.assertEqual(names, ["a", "b", "c", "d", "e"])
        self.assertClientError("BadRequestException", 400, ses.list_contact_lists,
                               NextToken="forged")
        self.assertClientError("BadRequestException", 400, ses.list_contact_lists, PageSize=0)


class ContactTests(ContactTestCase):

    def test_contact_crud(self):
        before = now_utc()
        self.add("Ann@Example.COM", TopicPreferences=[{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}],
                 AttributesData='{"name": "Ann"}')
        got = self.get("Ann@example.com")
        self.assertEqual(got["ContactListName"], "shop")
        self.assertEqual(got["EmailAddress"], "Ann@example.com")  # domain lower-cased
        self.assertEqual(prefs(got["TopicPreferences"]), {"deals": "OPT_IN"})
        self.assertEqual(prefs(got["TopicDefaultPreferences"]), {"news": "OPT_IN"})
        self.assertFalse(got["UnsubscribeAll"])
        self.assertEqual(got["AttributesData"], '{"name": "Ann"}')
        self.assertGreaterEqual(got["CreatedTimestamp"], before - dt.timedelta(seconds=2))
        created = got["CreatedTimestamp"]

        # Members left out keep their value; TopicPreferences given replaces them all.
        self.ses.update_contact(ContactListName="shop", EmailAddress="Ann@example.com",
                                UnsubscribeAll=True)
        got = self.get("Ann@example.com")
        self.assertTrue(got["UnsubscribeAll"])
        self.assertEqual(got["AttributesData"], '{"name": "Ann"}')
        self.assertEqual(prefs(got["TopicPreferences"]), {"deals": "OPT_IN"})
        self.ses.update_contact(ContactListName="shop", EmailAddress="Ann@example.com",
                                TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}],
                                AttributesData="{}")
        got = self.get("Ann@example.com")
        self.assertEqual(prefs(got["TopicPreferences"]), {"news": "OPT_OUT"})
        self.assertEqual(prefs(got["TopicDefaultPreferences"]), {"deals": "OPT_OUT"})
        self.assertEqual(got["AttributesData"], "{}")
        self.assertEqual(got["CreatedTimestamp"], created)
        self.assertGreaterEqual(got["LastUpdatedTimestamp"], created)

        listed = self.ses.list_contacts(ContactListName="shop")["Contacts"]
        self.assertEqual(len(listed), 1)
        self.assertEqual(set(listed[0]), {"EmailAddress", "TopicPreferences", "TopicDefaultPreferences",
                                          "UnsubscribeAll", "LastUpdatedTimestamp"})
        self.assertEqual(prefs(listed[0]["TopicDefaultPreferences"]), {"deals": "OPT_OUT"})

        self.ses.delete_contact(ContactListName="shop", EmailAddress="Ann@example.com")
        self.assertClientError("NotFoundException", 404, self.get, "Ann@example.com")
        self.assertEqual(self.ses.list_contacts(ContactListName="shop")["Contacts"], [])

    def test_addresses_with_plus_and_percent_encoding(self):
        self.add("first+tag@example.com")
        self.assertEqual(self.get("first+tag@example.com")["EmailAddress"], "first+tag@example.com")
        self.ses.delete_contact(ContactListName="shop", EmailAddress="first+tag@example.com")

    def test_contact_errors(self):
        self.add("a@example.com")
        msg = self.assertClientError("AlreadyExistsException", 400, self.add, "a@example.com")
        self.assertEqual(msg, "a@example.com already exists in List.")
        msg = self.assertClientError("BadRequestException", 400, self.add, "b@example.com",
                                     TopicPreferences=[{"TopicName": "golf", "SubscriptionStatus": "OPT_IN"}])
        self.assertEqual(msg, "List: shop doesn't contain Topic: golf")
        msg = self.assertClientError("BadRequestException", 400, self.add, "b@example.com",
                                     AttributesData="[1, 2]")
        self.assertEqual(msg, "AttributesData must be a JSON object; it is an array.")
        self.assertClientError("BadRequestException", 400, self.add, "b@example.com",
                               AttributesData="{not json")
        msg = self.assertClientError("BadRequestException", 400, self.add, "not-an-address")
        self.assertEqual(msg, "EmailAddress not-an-address is invalid")
        self.assertClientError("BadRequestException", 400, self.ses.update_contact,
                               ContactListName="shop", EmailAddress="a@example.com",
                               TopicPreferences=[{"TopicName": "golf", "SubscriptionStatus": "OPT_IN"}])
        self.assertClientError("BadRequestException", 400, self.ses.update_contact,
                               ContactListName="shop", EmailAddress="a@example.com",
                               AttributesData='"text"')

        missing_contact = "b@example.com doesn't exist in List."
        self.assertEqual(self.assertClientError("NotFoundException", 404, self.get, "b@example.com"),
                         missing_contact)
        self.assertClientError("NotFoundException", 404, self.ses.update_contact,
                               ContactListName="shop", EmailAddress="b@example.com", UnsubscribeAll=True)
        self.assertClientError("NotFoundException", 404, self.ses.delete_contact,
                               ContactListName="shop", EmailAddress="b@example.com")

        missing_list = "List with name: nope doesn't exist."
        calls = [
            lambda: self.ses.create_contact(ContactListName="nope", EmailAddress="a@example.com"),
            lambda: self.get("a@example.com", list_name="nope"),
            lambda: self.ses.update_contact(ContactListName="nope", EmailAddress="a@example.com"),
            lambda: self.ses.delete_contact(ContactListName="nope", EmailAddress="a@example.com"),
            lambda: self.ses.list_contacts(ContactListName="nope"),
        ]
        for call in calls:
            self.assertEqual(self.assertClientError("NotFoundException", 404, call), missing_list)

    def test_list_contacts_filters(self):
        # news defaults to OPT_IN, deals to OPT_OUT.
        self.add("explicit-in@example.com", TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_IN"}])
        self.add("explicit-out@example.com", TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])
        self.add("no-pref@example.com")
        self.add("gone@example.com", UnsubscribeAll=True)

        def with_topic(status, topic, use_default):
            return self.emails(Filter={"FilteredStatus": status, "TopicFilter": {
                "TopicName": topic, "UseDefaultIfPreferenceUnavailable": use_default}})

        # UseDefaultIfPreferenceUnavailable=true: contacts without a preference take the default.
        self.assertEqual(with_topic("OPT_IN", "news", True),
                         ["explicit-in@example.com", "gone@example.com", "no-pref@example.com"])
        self.assertEqual(with_topic("OPT_OUT", "news", True), ["explicit-out@example.com"])
        self.assertEqual(len(with_topic("OPT_OUT", "deals", True)), 4)
        # ...=false: only explicit preferences count.
        self.assertEqual(with_topic("OPT_IN", "news", False), ["explicit-in@example.com"])
        self.assertEqual(with_topic("OPT_OUT", "news", False), ["explicit-out@example.com"])
        self.assertEqual(with_topic("OPT_OUT", "deals", False), [])
        # FilteredStatus alone: the list-wide status (UnsubscribeAll).
        self.assertEqual(self.emails(Filter={"FilteredStatus": "OPT_OUT"}), ["gone@example.com"])
        self.assertEqual(len(self.emails(Filter={"FilteredStatus": "OPT_IN"})), 3)
        self.assertEqual(len(self.emails()), 4)
        msg = self.assertClientError("BadRequestException", 400, self.ses.list_contacts,
                                     ContactListName="shop",
                                     Filter={"FilteredStatus": "OPT_IN", "TopicFilter": {"TopicName": "golf"}})
        self.assertIn("golf", msg)

    def test_paging_through_250_contacts(self):
        expected = [f"user{i:03d}@example.com" for i in range(250)]
        for email in reversed(expected):
            self.add(email)
        contacts, sizes = self.list_all(page_size=100)
        self.assertEqual(sizes, [100, 100, 50])
        self.assertEqual([c["EmailAddress"] for c in contacts], expected)

        first = self.ses.list_contacts(ContactListName="shop", PageSize=100)
        # A token belongs to its listing: another filter, or a forged token, is refused.
        self.assertClientError("BadRequestException", 400, self.ses.list_contacts, ContactListName="shop",
                               NextToken=first["NextToken"], Filter={"FilteredStatus": "OPT_OUT"})
        self.assertClientError("BadRequestException", 400, self.ses.list_contacts,
                               ContactListName="shop", NextToken="forged")
        for size in (0, 1001):
            self.assertClientError("BadRequestException", 400, self.ses.list_contacts,
                                   ContactListName="shop", PageSize=size)

    def test_older_get_route_with_a_body(self):
        self.add("a@example.com", TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])
        self.add("b@example.com")
        conn = self.server.connection()
        body = json.dumps({"Filter": {"FilteredStatus": "OPT_OUT", "TopicFilter": {
            "TopicName": "news", "UseDefaultIfPreferenceUnavailable": True}}, "PageSize": 10})
        auth = (f"AWS4-HMAC-SHA256 Credential={self.account}/20250101/us-east-1/ses/aws4_request, "
                "SignedHeaders=host, Signature=0")
        conn.request("GET", "/v2/email/contact-lists/shop/contacts", body=body,
                     headers={"Content-Type": "application/json", "Authorization": auth})
        resp = conn.getresponse()
        data = json.loads(resp.read())
        conn.close()
        self.assertEqual(resp.status, 200, data)
        self.assertEqual([c["EmailAddress"] for c in data["Contacts"]], ["a@example.com"])
        self.assertIsInstance(data["Contacts"][0]["LastUpdatedTimestamp"], (int, float))


class ContactImportTests(ContactTestCase):

    def import_job(self, key, content, action="PUT", fmt="CSV", list_name="shop"):
        url = self.server.write_s3("contacts-" + self.account, key, content)
        job_id = self.ses.create_import_job(
            ImportDestination={"ContactListDestination": {"ContactListName": list_name,
                                                          "ContactListImportAction": action}},
            ImportDataSource={"S3Url": url, "DataFormat": fmt})["JobId"]
        return wait_for_job(self.ses, job_id)

    def failed_rows(self, job):
        status, _, body = http_get(job["FailureInfo"]["FailedRecordsS3Url"])
        self.assertEqual(status, 200)
        return body.decode()

    def check_imported(self):
        """The contacts both import tests put, checked one by one with GetContact."""
        ann = self.get("ann@example.com")
        self.assertEqual(prefs(ann["TopicPreferences"]), {"news": "OPT_OUT", "deals": "OPT_IN"})
        self.assertEqual(ann["TopicDefaultPreferences"], [])
        self.assertFalse(ann["UnsubscribeAll"])
        self.assertEqual(json.loads(ann["AttributesData"]), {"name": "Ann", "tags": ["a", "b"]})
        bob = self.get("Bob@example.com")
        self.assertTrue(bob["UnsubscribeAll"])
        self.assertEqual(bob["TopicPreferences"], [])
        self.assertEqual(prefs(bob["TopicDefaultPreferences"]), {"news": "OPT_IN", "deals": "OPT_OUT"})
        self.assertNotIn("AttributesData", bob)
        cy = self.get("cy@example.com")
        self.assertEqual(prefs(cy["TopicPreferences"]), {"deals": "OPT_OUT"})
        self.assertEqual(prefs(cy["TopicDefaultPreferences"]), {"news": "OPT_IN"})
        self.assertEqual(json.loads(cy["AttributesData"]), {"city": "Oslo, Norway"})
        # A record replaces the whole contact made before it.
        self.assertEqual(prefs(self.get("old@example.com")["TopicPreferences"]), {})
        for bad in ("broken", "unknown-topic@example.com", "bad-bool@example.com", "bad-attrs@example.com"):
            self.assertClientError("NotFoundException", 404, self.get, bad)

    def test_csv_import_put_then_delete(self):
        self.add("old@example.com", TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])
        csv_text = (
            "\ufeffemailAddress,unsubscribeAll,attributesData,topicPreferences.news,topicPreferences.deals\r\n"
            'ann@example.com,false,{"name": "Ann", "tags": ["a", "b"]},OPT_OUT,OPT_IN\r\n'
            " Bob@EXAMPLE.com ,TRUE,,,\r\n"
            '"cy@example.com",false,"{""city"": ""Oslo, Norway""}",,OPT_OUT\r\n'
            "\r\n"
            "old@example.com,false,,,\r\n"
            "broken,false,,,\r\n"
            "bad-bool@example.com,maybe,,,\r\n"
            "bad-attrs@example.com,false,[1],,\r\n"
        )
        job = self.import_job("put.csv", csv_text)
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual(job["ProcessedRecordsCount"], 7)
        self.assertEqual(job["FailedRecordsCount"], 3)
        failed = self.failed_rows(job)
        self.assertIn("The email address has no '@'.", failed)
        self.assertIn("unsubscribeAll is 'maybe'; expected true or false.", failed)
        self.assertIn("attributesData must be a JSON object; it is an array.", failed)
        self.check_imported()

        job = self.import_job("delete.csv", "emailAddress\nann@example.com\nbob@example.com\nnobody@example.com\n",
                              action="DELETE")
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (3, 0))
        self.assertClientError("NotFoundException", 404, self.get, "ann@example.com")
        # Local parts are case-sensitive: Bob@ is not bob@.
        self.assertTrue(self.get("Bob@example.com")["UnsubscribeAll"])
        self.get("cy@example.com")

    def test_json_import_put_then_delete(self):
        self.add("old@example.com", TopicPreferences=[{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}])
        records = [
            {"emailAddress": "ann@example.com", "unsubscribeAll": False,
             "attributesData": json.dumps({"name": "Ann", "tags": ["a", "b"]}),
             "topicPreferences": [{"topicName": "news", "subscriptionStatus": "OPT_OUT"},
                                  {"topicName": "deals", "subscriptionStatus": "OPT_IN"}]},
            {"emailAddress": " Bob@EXAMPLE.com ", "unsubscribeAll": True},
            {"emailAddress": "old@example.com"},
            {"emailAddress": "unknown-topic@example.com",
             "topicPreferences": [{"topicName": "golf", "subscriptionStatus": "OPT_IN"}]},
            {"emailAddress": "bad-bool@example.com", "unsubscribeAll": "yes"},
        ]
        text = "\n".join(json.dumps(r) for r in records) + "\n"
        # Pretty-printed objects one after another are accepted too.
        text += json.dumps({"emailAddress": "cy@example.com", "attributesData": '{"city": "Oslo, Norway"}',
                            "topicPreferences": [{"topicName": "deals", "subscriptionStatus": "OPT_OUT"}]},
                           indent=2) + "\n"
        job = self.import_job("put.json", text, fmt="JSON")
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual((job["ProcessedRecordsCount"], job["FailedRecordsCount"]), (6, 2))
        failed = [json.loads(line) for line in self.failed_rows(job).splitlines() if line.strip()]
        self.assertEqual(len(failed), 2)
        self.assertIn("The contact list shop has no topic golf.", json.dumps(failed))
        self.check_imported()

        job = self.import_job("delete.json", '{"emailAddress": "ann@example.com"}\n'
                                             '{"emailAddress": "cy@example.com", "unsubscribeAll": "ignored"}\n',
                              action="DELETE", fmt="JSON")
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"], job["FailedRecordsCount"]),
                         ("COMPLETED", 2, 0))
        for gone in ("ann@example.com", "cy@example.com"):
            self.assertClientError("NotFoundException", 404, self.get, gone)
        self.get("Bob@example.com")

    def test_import_job_failures(self):
        msg = self.assertClientError(
            "NotFoundException", 404, self.ses.create_import_job,
            ImportDestination={"ContactListDestination": {"ContactListName": "nope",
                                                          "ContactListImportAction": "PUT"}},
            ImportDataSource={"S3Url": "s3://b/k.csv", "DataFormat": "CSV"})
        self.assertEqual(msg, "ContactList nope doesn't exist")

        job = self.import_job("noheader.csv", "a@example.com,false\nb@example.com,true\n")
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertIn("no emailAddress column", job["FailureInfo"]["ErrorMessage"])
        self.assertClientError("NotFoundException", 404, self.get, "a@example.com")


class ContactListDeletedDuringImportTests(ContactTestCase):
    """A list deleted under a job fails it. The rate cap makes the job slow enough to
    delete the list while it runs."""

    server_args = ("--import-rate", "200", "--import-batch-size", "20")

    def start_job(self, key, content):
        url = self.server.write_s3("contacts-" + self.account, key, content)
        return self.ses.create_import_job(
            ImportDestination={"ContactListDestination": {"ContactListName": "shop",
                                                          "ContactListImportAction": "PUT"}},
            ImportDataSource={"S3Url": url, "DataFormat": "CSV"})["JobId"]

    def test_list_deleted_while_the_job_runs(self):
        rows = "".join(f"user{i}@example.com,false\n" for i in range(2000))
        job_id = self.start_job("slow.csv", "emailAddress,unsubscribeAll\n" + rows)
        wait_for_job(self.ses, job_id, states=("PROCESSING",))
        deadline = 100
        while self.ses.get_import_job(JobId=job_id)["ProcessedRecordsCount"] == 0 and deadline:
            deadline -= 1
            time.sleep(0.05)
        self.ses.delete_contact_list(ContactListName="shop")
        job = wait_for_job(self.ses, job_id)
        self.assertEqual(job["JobStatus"], "FAILED")
        self.assertIn("shop", job["FailureInfo"]["ErrorMessage"])
        self.assertLess(job["ProcessedRecordsCount"], 2000)


if __name__ == "__main__":
    unittest.main()
