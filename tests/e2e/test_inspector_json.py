"""The /_mock listings the web inspector reads (issue 11), end to end with exact values:
import jobs newest first per account/region with paging, the suppression list with search
and reason filter, contact lists with topics, contacts with the ListContacts filters, a
message's HTML part under its own CSP, and the 4xx answers to bad input.
"""
import json
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, unique_account, wait_for_job, suppression_import  # noqa: E402

REGION = "eu-west-1"


class InspectorJsonTest(ServerTestCase):
    def get(self, path, **query):
        conn = self.server.connection()
        try:
            qs = urllib.parse.urlencode(query, doseq=True)
            conn.request("GET", path + ("?" + qs if qs else ""))
            resp = conn.getresponse()
            body = resp.read()
            headers = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        parsed = json.loads(body) if headers.get("content-type", "").startswith("application/json") else body
        return resp.status, headers, parsed

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account, REGION)
        self.where = {"account": self.account, "region": REGION}

    def test_jobs_newest_first_per_partition_with_paging(self):
        ids = []
        for i in range(3):
            url = self.server.write_s3("insp-" + self.account, f"f{i}.csv",
                                       "emailAddress,reason\nok@a.example,BOUNCE\nbad,BOUNCE\n")
            ids.append(suppression_import(self.ses, url))
            wait_for_job(self.ses, ids[-1])
        status, _, page1 = self.get("/_mock/import-jobs", PageSize=2, **self.where)
        self.assertEqual(status, 200)
        self.assertEqual([j["JobId"] for j in page1["ImportJobs"]], [ids[2], ids[1]])
        job = page1["ImportJobs"][0]
        self.assertEqual((job["JobStatus"], job["ProcessedRecordsCount"], job["FailedRecordsCount"]),
                         ("COMPLETED", 2, 1))
        self.assertEqual((job["Account"], job["Region"]), (self.account, REGION))
        self.assertTrue(job["FailureInfo"]["FailedRecordsS3Url"].endswith(f"/_mock/import-jobs/{ids[2]}/failed-records"))
        _, _, page2 = self.get("/_mock/import-jobs", PageSize=2, NextToken=page1["NextToken"], **self.where)
        self.assertEqual([j["JobId"] for j in page2["ImportJobs"]], [ids[0]])
        self.assertNotIn("NextToken", page2)
        # Another region of the same account sees none of them.
        _, _, other = self.get("/_mock/import-jobs", account=self.account, region="us-west-2")
        self.assertEqual(other, {"ImportJobs": []})

    def test_suppression_search_and_reason(self):
        for email, reason in [("ann@shop.example", "BOUNCE"), ("bob@shop.example", "COMPLAINT"),
                              ("cy@other.example", "COMPLAINT")]:
            self.ses.put_suppressed_destination(EmailAddress=email, Reason=reason)
        _, _, out = self.get("/_mock/suppressed-destinations", Search="SHOP", **self.where)
        self.assertEqual([d["EmailAddress"] for d in out["SuppressedDestinationSummaries"]],
                         ["ann@shop.example", "bob@shop.example"])
        _, _, out = self.get("/_mock/suppressed-destinations", Search="shop", Reason="COMPLAINT", **self.where)
        self.assertEqual([(d["EmailAddress"], d["Reason"]) for d in out["SuppressedDestinationSummaries"]],
                         [("bob@shop.example", "COMPLAINT")])
        _, _, out = self.get("/_mock/suppressed-destinations", PageSize=1, **self.where)
        self.assertEqual(len(out["SuppressedDestinationSummaries"]), 1)
        # A token of one search does not continue another.
        status, headers, err = self.get("/_mock/suppressed-destinations", PageSize=1, Search="x",
                                        NextToken=out["NextToken"], **self.where)
        self.assertEqual((status, headers["x-amzn-errortype"]), (400, "InvalidNextTokenException"))

    def test_contact_lists_and_filtered_contacts(self):
        self.ses.create_contact_list(ContactListName="news", Topics=[
            {"TopicName": "deals", "DisplayName": "Deals", "DefaultSubscriptionStatus": "OPT_OUT"}])
        self.ses.create_contact(ContactListName="news", EmailAddress="in@x.example",
                                TopicPreferences=[{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}])
        self.ses.create_contact(ContactListName="news", EmailAddress="quiet@x.example")
        _, _, lists = self.get("/_mock/contact-lists", **self.where)
        self.assertEqual([(l["ContactListName"], [t["TopicName"] for t in l["Topics"]]) for l in lists["ContactLists"]],
                         [("news", ["deals"])])
        path = "/_mock/contact-lists/news/contacts"
        _, _, out = self.get(path, **self.where)
        self.assertEqual([c["EmailAddress"] for c in out["Contacts"]], ["in@x.example", "quiet@x.example"])
        _, _, out = self.get(path, TopicName="deals", FilteredStatus="OPT_OUT",
                             UseDefaultIfPreferenceUnavailable="true", **self.where)
        self.assertEqual([c["EmailAddress"] for c in out["Contacts"]], ["quiet@x.example"])
        _, _, out = self.get(path, TopicName="deals", FilteredStatus="OPT_OUT", **self.where)
        self.assertEqual(out["Contacts"], [])

    def test_message_html_part_has_its_own_policy(self):
        try:  # identities may be verified by default in this build
            self.ses.create_email_identity(EmailIdentity="from@x.example")
        except Exception:
            pass
        sent = self.ses.send_email(FromEmailAddress="from@x.example", Destination={"ToAddresses": ["to@x.example"]},
                                   Content={"Simple": {"Subject": {"Data": "hi"},
                                                       "Body": {"Html": {"Data": "<p>hello</p>"}}}})
        mid = sent["MessageId"]
        status, headers, body = self.get(f"/_mock/messages/{mid}/html")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        self.assertEqual(headers["content-security-policy"],
                         "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
        self.assertIn(b"<p>hello</p>", body)
        _, _, mine = self.get("/_mock/messages", **self.where)
        self.assertEqual([m["MessageId"] for m in mine["Messages"]], [mid])
        _, _, none = self.get("/_mock/messages", account=self.account, region="ap-south-1")
        self.assertEqual(none["Messages"], [])
        status, _, err = self.get("/_mock/messages/nope/html")
        self.assertEqual((status, err["message"]), (404, "Message nope does not exist."))

    def test_job_record_count_is_in_the_mock_json_only(self):
        # Header, a quoted line break, a blank line and CRLF: three records in six lines.
        url = self.server.write_s3("insp-" + self.account, "count.csv",
                                   'emailAddress,reason\r\n"a\n@x.example",BOUNCE\r\n\r\nb@x.example,BOUNCE\r\nc@x.example,COMPLAINT\r\n')
        job_id = suppression_import(self.ses, url)
        wait_for_job(self.ses, job_id)
        _, _, listing = self.get("/_mock/import-jobs", **self.where)
        [job] = listing["ImportJobs"]
        self.assertEqual((job["JobId"], job["ProcessedRecordsCount"], job["TotalRecordsCount"]), (job_id, 3, 3))
        status, _, one = self.get(f"/_mock/import-jobs/{job_id}")
        self.assertEqual((status, one["TotalRecordsCount"]), (200, 3))
        # The SES shape has no such member.
        self.assertNotIn("TotalRecordsCount", self.ses.get_import_job(JobId=job_id))
        self.assertNotIn("TotalRecordsCount", self.ses.list_import_jobs()["ImportJobs"][0])

    def send_with_attachments(self, attachments):
        try:  # identities may be verified by default in this build
            self.ses.create_email_identity(EmailIdentity="from@x.example")
        except Exception:
            pass
        return self.ses.send_email(FromEmailAddress="from@x.example", Destination={"ToAddresses": ["to@x.example"]},
                                   Content={"Simple": {"Subject": {"Data": "files"},
                                                       "Body": {"Text": {"Data": "see attached"}},
                                                       "Attachments": attachments}})["MessageId"]

    def test_attachment_download(self):
        png = bytes(range(256)) * 4
        mid = self.send_with_attachments([
            {"FileName": "pixels.png", "RawContent": png, "ContentType": "image/png"},
            {"FileName": '../<img src=x onerror=alert(1)>"\r\nX-Evil: 1.html', "RawContent": b"<script>alert(1)</script>",
             "ContentType": "text/html"},
        ])
        status, headers, body = self.get(f"/_mock/messages/{mid}/attachments/0")
        self.assertEqual((status, headers["content-type"], body), (200, "image/png", png))
        self.assertEqual(headers["content-disposition"], "attachment; filename=\"pixels.png\"; filename*=UTF-8''pixels.png")
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        status, headers, body = self.get(f"/_mock/messages/{mid}/attachments/1")
        self.assertEqual((status, headers["content-type"], body),
                         (200, "application/octet-stream", b"<script>alert(1)</script>"))
        self.assertNotIn("x-evil", headers)
        self.assertTrue(headers["content-disposition"].startswith('attachment; filename="_img src_x onerror_alert(1)_'),
                        headers["content-disposition"])
        self.assertEqual(headers["content-security-policy"], "default-src 'none'; sandbox")

    def test_attachment_route_errors(self):
        mid = self.send_with_attachments([{"FileName": "a.txt", "RawContent": b"attached", "ContentType": "text/plain"}])
        status, headers, body = self.get(f"/_mock/messages/{mid}/attachments/0")
        self.assertEqual((status, headers["content-type"], body), (200, "text/plain; charset=utf-8", b"attached"))
        for index in ("1", "999999"):
            status, headers, err = self.get(f"/_mock/messages/{mid}/attachments/{index}")
            self.assertEqual((status, headers["x-amzn-errortype"], err["message"]),
                             (404, "NotFoundException", f"Message {mid} has no attachment {index}."))
        for index in ("-1", "x", "1.5", "1234567"):
            status, headers, err = self.get(f"/_mock/messages/{mid}/attachments/{index}")
            self.assertEqual((status, headers["x-amzn-errortype"]), (400, "BadRequestException"), index)
            self.assertIn("Value at 'Index' failed to satisfy constraint", err["message"])
        status, _, err = self.get("/_mock/messages/nope/attachments/0")
        self.assertEqual((status, err["message"]), (404, "Message nope does not exist."))

    def test_bad_input_is_a_clear_400(self):
        cases = [
            ("/_mock/import-jobs", {"account": "12"}, "Value at 'account' failed to satisfy constraint: Member must be a 12-digit AWS account id"),
            ("/_mock/import-jobs", {"region": "EU WEST"}, "Value at 'region' failed to satisfy constraint: Member must be a region name such as us-east-1"),
            ("/_mock/import-jobs", {"PageSize": "0"}, None),
            ("/_mock/import-jobs", {"ImportDestinationType": "EMAIL"}, "Value at 'importDestinationType' failed"),
            ("/_mock/suppressed-destinations", {"Reason": "SPAM"}, "Value at 'reasons' failed"),
            ("/_mock/contact-lists/news/contacts", {"FilteredStatus": "MAYBE"}, "Value at 'filteredStatus' failed"),
            ("/_mock/contact-lists/news/contacts", {"TopicName": "t", "UseDefaultIfPreferenceUnavailable": "yes"},
             "Value at 'UseDefaultIfPreferenceUnavailable' failed"),
        ]
        for path, query, message in cases:
            with self.subTest(path=path, query=query):
                status, headers, err = self.get(path, **query)
                self.assertEqual(status, 400)
                self.assertIn(headers["x-amzn-errortype"], ("BadRequestException", "ValidationException"))
                if message:
                    self.assertIn(message, err["message"])
        status, headers, err = self.get("/_mock/contact-lists/missing/contacts", **self.where)
        self.assertEqual((status, headers["x-amzn-errortype"]), (404, "NotFoundException"))

    def test_ui_paths(self):
        for path in ("/_mock/ui", "/_mock/ui/", "/_mock/ui/messages/abc", "/_mock/ui/no/such/page"):
            status, headers, body = self.get(path)
            self.assertEqual((status, headers["content-type"]), (200, "text/html; charset=utf-8"), path)
            self.assertTrue(headers["content-security-policy"].startswith("default-src 'self'"))
        status, headers, _ = self.get("/_mock/ui/assets/app.css")
        self.assertEqual((status, headers["content-type"]), (200, "text/css; charset=utf-8"))
        status, _, _ = self.get("/_mock/ui/assets/missing.js")
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()
