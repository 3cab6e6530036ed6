"""Sending details beyond the basics of test_send.py: the mailbox simulator's out-of-the-office
reply (ooto@), SES overriding a raw message's own List-Unsubscribe headers under
ListManagementOptions, and SES's 40 MB message limit reached through the default HTTP body
limit, all through boto3."""
import json
import os
import sys
import unittest
import urllib.parse

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, control, http_get, unique_account  # noqa: E402

SENDER = "sender@example.com"
OOTO = "ooto@simulator.amazonses.com"
MB40 = 40 * 1024 * 1024  # SES's limit (DG quotas page), as SendLimits::kMaxMessageBytes


class FeatureTestCase(ServerTestCase):

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.ses.create_email_identity(EmailIdentity="example.com")

    def simple(self, to, subject="Hello", text="Hi there", **kwargs):
        return self.ses.send_email(FromEmailAddress=kwargs.pop("From", SENDER),
                                   Destination={"ToAddresses": to},
                                   Content={"Simple": {"Subject": {"Data": subject},
                                                       "Body": {"Text": {"Data": text}}}},
                                   **kwargs)["MessageId"]

    def get(self, path):
        status, _, body = http_get(self.server.url + path)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def message(self, message_id):
        return self.get("/_mock/messages/" + message_id)

    def headers(self, message_id):
        return {h["Name"]: h["Value"] for h in self.message(message_id)["Headers"]}

    def replies_from(self, simulator_address):
        """The captured auto-replies of this test's account, oldest first."""
        query = urllib.parse.urlencode({"sender": simulator_address, "account": self.account, "region": "us-east-1"})
        listed = self.get("/_mock/messages?" + query)
        return listed["Messages"]


class OotoTests(FeatureTestCase):

    def test_reply_to_the_sender(self):
        mid = self.simple([OOTO, "colleague@example.com"], From="Sender Name <sender@example.com>",
                          subject="Holiday plans")
        # The original is delivered to both, as SES documents for ooto@.
        self.assertEqual({r["Address"]: r["Fate"] for r in self.message(mid)["Recipients"]},
                         {OOTO: "DELIVERED", "colleague@example.com": "DELIVERED"})
        insights = {i["Destination"]: [e["Type"] for e in i["Events"]]
                    for i in self.ses.get_message_insights(MessageId=mid)["Insights"]}
        self.assertEqual(insights[OOTO], ["SEND", "DELIVERY"])
        # The automatic reply, captured as mail from the simulator to the sender.
        [reply] = self.replies_from(OOTO)
        self.assertEqual(reply["Kind"], "AUTO_REPLY")
        self.assertEqual(reply["Source"], OOTO)
        self.assertEqual(reply["Subject"], "Auto: Holiday plans")
        self.assertEqual(reply["Recipients"], [{"Address": SENDER, "Kind": "To", "Fate": "RECEIVED"}])
        detail = self.message(reply["MessageId"])
        self.assertEqual(detail["Recipients"][0]["Events"], [])
        headers = {h["Name"]: h["Value"] for h in detail["Headers"]}
        self.assertEqual(headers["Auto-Submitted"], "auto-replied")
        self.assertEqual(headers["In-Reply-To"], f"<{mid}@email.amazonses.com>")
        self.assertEqual(headers["References"], f"<{mid}@email.amazonses.com>")
        self.assertEqual((headers["From"], headers["To"]), (OOTO, SENDER))
        self.assertTrue(detail["Text"].startswith("I am out of the office"), detail["Text"])
        # LocalStack's view: a message whose Source is the simulator.
        [entry] = self.get("/_aws/ses?id=" + reply["MessageId"])["messages"]
        self.assertEqual(entry["Source"], OOTO)
        self.assertEqual(entry["Destination"], {"ToAddresses": [SENDER]})
        self.assertEqual(entry["Subject"], "Auto: Holiday plans")
        self.assertTrue(entry["Body"]["text_part"].startswith("I am out of the office"))
        # SES never gave the reply a MessageId, and it is not a send: not in the quota.
        self.assertClientError("NotFoundException", 404, self.ses.get_message_insights,
                               MessageId=reply["MessageId"])
        self.assertEqual(self.ses.get_account()["SendQuota"]["SentLast24Hours"], 2)
        # Other simulator addresses answer nothing.
        self.simple(["success@simulator.amazonses.com", "bounce@simulator.amazonses.com",
                     "complaint@simulator.amazonses.com"])
        self.assertEqual(self.replies_from("success@simulator.amazonses.com"), [])
        self.assertEqual(len(self.get(f"/_mock/messages?fate=RECEIVED&account={self.account}&region=us-east-1")
                             ["Messages"]), 1)

    def test_reply_destination_and_labels(self):
        # FeedbackForwardingEmailAddress (v2's Return-Path) wins over the sender.
        self.simple(["ooto+a1@simulator.amazonses.com"], subject="One",
                    FeedbackForwardingEmailAddress="bounces@example.com")
        [reply] = self.replies_from("ooto+a1@simulator.amazonses.com")
        self.assertEqual((reply["Subject"], reply["Recipients"][0]["Address"]), ("Auto: One", "bounces@example.com"))
        msg = self.assertClientError("BadRequestException", 400, self.simple, ["ooto@simulator.amazonses.com"],
                                     FeedbackForwardingEmailAddress="nobody")
        self.assertEqual(msg, "Missing final '@domain'")
        # A raw message's Return-Path header, and its own Message-ID in In-Reply-To.
        raw = (b"From: sender@example.com\r\nTo: ooto+a2@simulator.amazonses.com\r\n"
               b"Return-Path: <returns@example.com>\r\nMessage-ID: <raw-1@example.com>\r\n"
               b"Subject: Two\r\n\r\nbody\r\n")
        self.ses.send_email(Content={"Raw": {"Data": raw}})
        [reply] = self.replies_from("ooto+a2@simulator.amazonses.com")
        self.assertEqual(reply["Recipients"][0]["Address"], "returns@example.com")
        self.assertEqual(self.headers(reply["MessageId"])["In-Reply-To"], "<raw-1@example.com>")
        # SendBulkEmail: one reply per entry that reaches ooto@.
        self.ses.create_email_template(TemplateName="t", TemplateContent={"Subject": "Hi {{n}}", "Text": "x"})
        got = self.ses.send_bulk_email(
            FromEmailAddress=SENDER,
            DefaultContent={"Template": {"TemplateName": "t", "TemplateData": '{"n": "d"}'}},
            BulkEmailEntries=[{"Destination": {"ToAddresses": ["ooto+b@simulator.amazonses.com"]}},
                              {"Destination": {"ToAddresses": ["other@example.com"]}}])
        self.assertEqual([r["Status"] for r in got["BulkEmailEntryResults"]], ["SUCCESS", "SUCCESS"])
        [reply] = self.replies_from("ooto+b@simulator.amazonses.com")
        self.assertEqual((reply["Subject"], reply["Recipients"][0]["Address"]), ("Auto: Hi d", SENDER))
        # A rendering failure delivers nothing, so nothing answers.
        self.ses.send_email(FromEmailAddress=SENDER, Destination={"ToAddresses": ["ooto+c@simulator.amazonses.com"]},
                            Content={"Template": {"TemplateName": "t", "TemplateData": "{}"}})
        self.assertEqual(self.replies_from("ooto+c@simulator.amazonses.com"), [])


class RawListUnsubscribeTests(FeatureTestCase):

    RAW = (b"From: sender@example.com\r\nTo: reader@example.com\r\nSubject: News\r\n"
           b"List-Unsubscribe: <https://app.example.com/unsub?u=1>,\r\n <mailto:unsub@example.com>\r\n"
           b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
           b"X-Keep: yes\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"
           b"List-Unsubscribe: this body line is not a header\r\nLeave: {{amazonSESUnsubscribeUrl}}\r\n")

    def setUp(self):
        super().setUp()
        self.ses.create_contact_list(ContactListName="news", Topics=[
            {"TopicName": "weekly", "DisplayName": "Weekly", "DefaultSubscriptionStatus": "OPT_IN"}])

    def test_ses_overrides_the_senders_headers(self):
        mid = self.ses.send_email(Content={"Raw": {"Data": self.RAW}},
                                  ListManagementOptions={"ContactListName": "news", "TopicName": "weekly"})["MessageId"]
        detail = self.message(mid)
        names = [h["Name"] for h in detail["Headers"]]
        self.assertEqual(names.count("List-Unsubscribe"), 1)
        self.assertEqual(names.count("List-Unsubscribe-Post"), 1)
        headers = {h["Name"]: h["Value"] for h in detail["Headers"]}
        self.assertRegex(headers["List-Unsubscribe"], r"^<http://[^>]+/_mock/unsubscribe/[^>]+>$")
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertEqual(headers["X-Keep"], "yes")
        link = headers["List-Unsubscribe"][1:-1]
        self.assertEqual(detail["Text"], f"List-Unsubscribe: this body line is not a header\r\nLeave: {link}\r\n")
        raw = http_get(self.server.url + f"/_mock/messages/{mid}/raw")[2]
        self.assertNotIn(b"app.example.com", raw)
        self.assertNotIn(b"mailto:unsub@example.com", raw)

    def test_headers_kept_without_a_link(self):
        # Without ListManagementOptions, and with two recipients (SES adds no link then), the
        # message keeps the sender's own headers.
        mid = self.ses.send_email(Content={"Raw": {"Data": self.RAW}})["MessageId"]
        self.assertEqual(self.headers(mid)["List-Unsubscribe"],
                         "<https://app.example.com/unsub?u=1>, <mailto:unsub@example.com>")
        two = self.RAW.replace(b"To: reader@example.com", b"To: reader@example.com, second@example.com")
        mid = self.ses.send_email(Content={"Raw": {"Data": two}},
                                  ListManagementOptions={"ContactListName": "news"})["MessageId"]
        self.assertEqual(self.headers(mid)["List-Unsubscribe"],
                         "<https://app.example.com/unsub?u=1>, <mailto:unsub@example.com>")


class MessageSizeLimitTests(FeatureTestCase):
    """A Raw message travels base64-encoded in JSON (~4/3 of its size): the default body
    limit lets one just over SES's 40 MB reach the send path and get SES's error."""

    def setUp(self):
        super().setUp()
        # ~56 MB requests: allow a loaded machine more than the harness's 30 s read timeout.
        self.ses = boto3.session.Session().client(
            "sesv2", endpoint_url=self.server.url, region_name="us-east-1",
            aws_access_key_id=self.account, aws_secret_access_key="x",
            config=Config(retries={"mode": "standard", "max_attempts": 1}, read_timeout=120))

    def raw_of_size(self, size):
        head = (b"From: sender@example.com\r\nTo: big@example.com\r\nSubject: big\r\n"
                b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n")
        line = b"x" * 998 + b"\r\n"
        body = line * ((size - len(head)) // len(line))
        rest = size - len(head) - len(body)
        body += b"y" * max(rest - 2, 0) + b"\r\n"[:rest]
        data = head + body
        self.assertEqual(len(data), size)
        return data

    def test_default_body_limit(self):
        status, _, config = control(self.server, "GET", "/_mock/config")
        self.assertEqual((status, config["maxBodyBytes"]), (200, 64 * 1024 * 1024))

    def test_both_sides_of_the_limit(self):
        # Two ~56 MB requests: a few seconds on an idle machine. (The limit on a Simple
        # message's built MIME is covered by the unit tests of SendService.)
        mid = self.ses.send_email(Content={"Raw": {"Data": self.raw_of_size(MB40)}})["MessageId"]
        listed = self.get(f"/_mock/messages?recipient=big@example.com&account={self.account}&region=us-east-1")
        self.assertEqual([(m["MessageId"], m["Subject"], m["Recipients"][0]["Fate"]) for m in listed["Messages"]],
                         [(mid, "big", "DELIVERED")])
        status, _, raw = http_get(self.server.url + f"/_mock/messages/{mid}/raw", timeout=60)
        self.assertEqual((status, len(raw)), (200, MB40))
        msg = self.assertClientError("BadRequestException", 400, self.ses.send_email,
                                     Content={"Raw": {"Data": self.raw_of_size(MB40 + 1)}})
        self.assertEqual(msg, f"Message length is more than {MB40} bytes long: '{MB40 + 1}'.")


if __name__ == "__main__":
    unittest.main()
