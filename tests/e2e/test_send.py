"""Sending through boto3: templates, SendEmail (Simple, Raw, Template), SendBulkEmail,
GetMessageInsights, the captured mail (/_aws/ses, /_mock/messages), and how imports affect
sends (suppression list, contact topic preferences, unsubscribe links)."""
import base64
import json
import os
import re
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ServerTestCase, http_get, suppression_import, unique_account,  # noqa: E402
                     wait_for_job)

SENDER = "sender@example.com"


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


class SendTestCase(ServerTestCase):

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.ses.create_email_identity(EmailIdentity="example.com")

    def simple(self, to, subject="Hello", text="Hi there", **kwargs):
        dest = {"ToAddresses": to} if isinstance(to, list) else to
        return self.ses.send_email(FromEmailAddress=kwargs.pop("From", SENDER), Destination=dest,
                                   Content={"Simple": {"Subject": {"Data": subject},
                                                       "Body": {"Text": {"Data": text}}}},
                                   **kwargs)["MessageId"]

    def message(self, message_id):
        status, headers, body = http_get(self.server.url + "/_mock/messages/" + message_id)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def fates(self, message_id):
        return {r["Address"]: r["Fate"] for r in self.message(message_id)["Recipients"]}

    def aws_ses(self, query=""):
        status, _, body = http_get(self.server.url + "/_aws/ses" + query)
        self.assertEqual(status, 200)
        return json.loads(body)["messages"]

    def insight_types(self, message_id):
        got = self.ses.get_message_insights(MessageId=message_id)
        return {i["Destination"]: [e["Type"] for e in i["Events"]] for i in got["Insights"]}


class TemplateTests(SendTestCase):

    def test_crud_list_and_errors(self):
        content = {"Subject": "Hi {{name}}", "Text": "Hello {{name}}", "Html": "<b>{{name}}</b>"}
        self.ses.create_email_template(TemplateName="welcome", TemplateContent=content)
        msg = self.assertClientError("AlreadyExistsException", 400, self.ses.create_email_template,
                                     TemplateName="welcome", TemplateContent=content)
        self.assertEqual(msg, "Template welcome already exists.")
        got = self.ses.get_email_template(TemplateName="welcome")
        self.assertEqual(got["TemplateContent"], content)
        self.ses.update_email_template(TemplateName="welcome", TemplateContent={"Subject": "S", "Text": "T"})
        self.assertEqual(self.ses.get_email_template(TemplateName="welcome")["TemplateContent"],
                         {"Subject": "S", "Text": "T"})
        self.ses.create_email_template(TemplateName="another", TemplateContent=content)
        page = self.ses.list_email_templates(PageSize=1)
        self.assertEqual([t["TemplateName"] for t in page["TemplatesMetadata"]], ["another"])
        page2 = self.ses.list_email_templates(PageSize=1, NextToken=page["NextToken"])
        self.assertEqual([t["TemplateName"] for t in page2["TemplatesMetadata"]], ["welcome"])
        self.assertNotIn("NextToken", page2)
        self.ses.delete_email_template(TemplateName="welcome")
        msg = self.assertClientError("NotFoundException", 404, self.ses.get_email_template,
                                     TemplateName="welcome")
        self.assertEqual(msg, "Template welcome does not exist.")
        self.assertClientError("NotFoundException", 404, self.ses.delete_email_template, TemplateName="welcome")

    def test_render(self):
        self.ses.create_email_template(TemplateName="r", TemplateContent={
            "Subject": "Hi {{name}}", "Text": "{{#each items}}[{{this}}]{{/each}} <{{name}}>",
            "Html": "<p>{{name}}</p>"})
        out = self.ses.test_render_email_template(
            TemplateName="r", TemplateData=json.dumps({"name": "Ann & Bob", "items": [1, 2]}))["RenderedTemplate"]
        self.assertIn("Subject: Hi Ann & Bob", out)
        self.assertIn("[1][2] <Ann & Bob>", out)  # never HTML-escaped
        self.assertIn("<p>Ann & Bob</p>", out)
        self.assertIn("multipart/alternative", out)
        msg = self.assertClientError("BadRequestException", 400, self.ses.test_render_email_template,
                                     TemplateName="r", TemplateData='{"items": []}')
        self.assertEqual(msg, "Attribute 'name' is not present in the rendering data.")
        self.assertClientError("NotFoundException", 404, self.ses.test_render_email_template,
                               TemplateName="nope", TemplateData="{}")


class SendEmailTests(SendTestCase):

    def test_simple_is_captured(self):
        mid = self.ses.send_email(
            FromEmailAddress="Sender <sender@example.com>",
            Destination={"ToAddresses": ["to@example.com"], "CcAddresses": ["cc@example.com"],
                         "BccAddresses": ["bcc@example.com"]},
            ReplyToAddresses=["reply@example.com"],
            EmailTags=[{"Name": "campaign", "Value": "c1"}],
            Content={"Simple": {"Subject": {"Data": "Grüße"},
                                "Body": {"Text": {"Data": "plain"}, "Html": {"Data": "<i>html</i>"}},
                                "Headers": [{"Name": "X-Custom", "Value": "yes"}],
                                "Attachments": [{"FileName": "a.txt", "RawContent": b"attached",
                                                 "ContentType": "text/plain"}]}})["MessageId"]
        self.assertRegex(mid, r"^0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$")
        [entry] = self.aws_ses("?id=" + mid)
        self.assertEqual(list(entry), ["Id", "Region", "Destination", "Source", "Subject", "Body", "Timestamp"])
        self.assertEqual(entry["Source"], "Sender <sender@example.com>")
        self.assertEqual(entry["Destination"], {"ToAddresses": ["to@example.com"], "CcAddresses": ["cc@example.com"],
                                                "BccAddresses": ["bcc@example.com"]})
        self.assertEqual(entry["Subject"], "Grüße")
        self.assertEqual(entry["Body"], {"text_part": "plain", "html_part": "<i>html</i>"})
        self.assertRegex(entry["Timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
        m = self.message(mid)
        headers = {h["Name"].lower(): h["Value"] for h in m["Headers"]}
        self.assertEqual(headers["x-custom"], "yes")
        self.assertEqual(headers["reply-to"], "reply@example.com")
        self.assertNotIn("bcc", headers)
        self.assertEqual(headers["message-id"], "<" + mid + "@email.amazonses.com>")
        self.assertEqual(m["Attachments"], [{"FileName": "a.txt", "ContentType": "text/plain", "ContentId": "",
                                             "Disposition": "attachment", "Size": 8}])
        self.assertEqual({r["Address"]: (r["Kind"], r["Fate"]) for r in m["Recipients"]},
                         {"to@example.com": ("To", "DELIVERED"), "cc@example.com": ("Cc", "DELIVERED"),
                          "bcc@example.com": ("Bcc", "DELIVERED")})
        status, headers, raw = http_get(self.server.url + "/_mock/messages/" + mid + "/raw")
        self.assertEqual((status, headers["content-type"]), (200, "message/rfc822"))
        self.assertIn(b"X-Custom: yes", raw)
        insights = self.ses.get_message_insights(MessageId=mid)
        self.assertEqual(insights["FromEmailAddress"], "sender@example.com")
        self.assertEqual(insights["Subject"], "Grüße")
        self.assertEqual(insights["EmailTags"], [{"Name": "campaign", "Value": "c1"}])
        self.assertEqual(self.insight_types(mid)["to@example.com"], ["SEND", "DELIVERY"])

    def test_raw(self):
        raw = (b"From: Raw Sender <sender@example.com>\r\nTo: r1@example.com\r\nCc: r2@example.com\r\n"
               b"Subject: raw subject\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nraw body\r\n")
        mid = self.ses.send_email(Content={"Raw": {"Data": raw}})["MessageId"]
        [entry] = self.aws_ses("?id=" + mid)
        self.assertEqual(entry["Source"], "sender@example.com")
        self.assertEqual(entry["RawData"], raw.decode())
        self.assertEqual(entry["Subject"], "raw subject")
        self.assertEqual(entry["Body"]["text_part"], "raw body\r\n")
        self.assertNotIn("Destination", entry)
        self.assertEqual(self.fates(mid), {"r1@example.com": "DELIVERED", "r2@example.com": "DELIVERED"})
        msg = self.assertClientError("BadRequestException", 400, self.ses.send_email,
                                     Content={"Raw": {"Data": b"To: x@example.com\r\n\r\nno sender\r\n"}})
        self.assertEqual(msg, "Missing required header 'From'.")
        self.assertClientError("BadRequestException", 400, self.ses.send_email,
                               Content={"Raw": {"Data": b"\r\n\r\n"}})

    def test_template_send_and_rendering_failure(self):
        self.ses.create_email_template(TemplateName="t", TemplateContent={"Subject": "Hi {{name}}", "Text": "Dear {{name}}"})
        mid = self.ses.send_email(FromEmailAddress=SENDER, Destination={"ToAddresses": ["t@example.com"]},
                                  Content={"Template": {"TemplateName": "t", "TemplateData": '{"name": "Ann"}'}})["MessageId"]
        [entry] = self.aws_ses("?id=" + mid)
        self.assertEqual((entry["Template"], entry["TemplateData"]), ("t", '{"name": "Ann"}'))
        self.assertEqual((entry["Subject"], entry["Body"]["text_part"]), ("Hi Ann", "Dear Ann"))
        arn = f"arn:aws:ses:us-east-1:{self.account}:template/t"
        mid2 = self.ses.send_email(FromEmailAddress=SENDER, Destination={"ToAddresses": ["t@example.com"]},
                                   Content={"Template": {"TemplateArn": arn, "TemplateData": '{"name": "Bo"}'}})["MessageId"]
        self.assertEqual(self.message(mid2)["Subject"], "Hi Bo")
        # Missing data: accepted, then a rendering failure and no delivery (aws-sdk-js#2239).
        mid3 = self.ses.send_email(FromEmailAddress=SENDER, Destination={"ToAddresses": ["t@example.com"]},
                                   Content={"Template": {"TemplateName": "t", "TemplateData": "{}"}})["MessageId"]
        self.assertEqual(self.insight_types(mid3), {"t@example.com": ["RENDERING_FAILURE"]})
        self.assertEqual(self.fates(mid3), {"t@example.com": "RENDERING_FAILED"})
        msg = self.assertClientError("NotFoundException", 404, self.ses.send_email, FromEmailAddress=SENDER,
                                     Destination={"ToAddresses": ["t@example.com"]},
                                     Content={"Template": {"TemplateName": "nope", "TemplateData": "{}"}})
        self.assertEqual(msg, "Template nope does not exist.")

    def test_errors(self):
        msg = self.assertClientError("MessageRejected", 400, self.simple, ["a@example.com"], From="me@unverified.org")
        self.assertEqual(msg, "Email address is not verified. The following identities failed the check in "
                              "region US-EAST-1: me@unverified.org")
        eu = self.server.client(self.account, region="eu-west-1")
        msg = self.assertClientError("MessageRejected", 400, eu.send_email, FromEmailAddress=SENDER,
                                     Destination={"ToAddresses": ["a@example.com"]},
                                     Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}})
        self.assertTrue(msg.endswith("in region EU-WEST-1: sender@example.com"), msg)
        many = [f"r{i}@example.com" for i in range(51)]
        msg = self.assertClientError("BadRequestException", 400, self.simple, many)
        self.assertEqual(msg, "Recipient count exceeds 50.")
        self.simple(many[:50])
        msg = self.assertClientError("BadRequestException", 400, self.simple, ["no-at-sign"])
        self.assertEqual(msg, "Missing final '@domain'")
        msg = self.assertClientError("BadRequestException", 400, self.simple, ["a b@example.com"])
        self.assertEqual(msg, "Illegal address")
        msg = self.assertClientError("NotFoundException", 404, self.simple, ["a@example.com"],
                                     ConfigurationSetName="missing-set")
        self.assertEqual(msg, "Configuration set missing-set does not exist.")

    def test_paused_sending(self):
        self.ses.create_configuration_set(ConfigurationSetName="cs")
        self.ses.put_configuration_set_sending_options(ConfigurationSetName="cs", SendingEnabled=False)
        self.assertClientError("SendingPausedException", 400, self.simple, ["a@example.com"], ConfigurationSetName="cs")
        self.simple(["a@example.com"])
        self.ses.put_account_sending_attributes(SendingEnabled=False)
        self.assertClientError("SendingPausedException", 400, self.simple, ["a@example.com"])
        self.ses.put_account_sending_attributes(SendingEnabled=True)
        self.simple(["a@example.com"])

    def test_simulator(self):
        to = ["success@simulator.amazonses.com", "bounce+x1@simulator.amazonses.com", "ooto@simulator.amazonses.com",
              "complaint@simulator.amazonses.com", "suppressionlist@simulator.amazonses.com"]
        mid = self.simple(to)
        self.assertEqual(self.fates(mid), dict(zip(to, ["DELIVERED", "BOUNCED", "DELIVERED", "COMPLAINED", "BOUNCED"])))
        got = self.ses.get_message_insights(MessageId=mid)
        by = {i["Destination"]: i for i in got["Insights"]}
        bounce = by["bounce+x1@simulator.amazonses.com"]["Events"][1]
        self.assertEqual(bounce["Type"], "BOUNCE")
        self.assertEqual(bounce["Details"]["Bounce"], {"BounceType": "PERMANENT", "BounceSubType": "General",
                                                       "DiagnosticCode": "smtp; 550 5.1.1 user unknown"})
        self.assertEqual(by["suppressionlist@simulator.amazonses.com"]["Events"][1]["Details"]["Bounce"]["BounceSubType"],
                         "Suppressed")
        complaint = by["complaint@simulator.amazonses.com"]["Events"]
        self.assertEqual([e["Type"] for e in complaint], ["SEND", "DELIVERY", "COMPLAINT"])
        self.assertEqual(complaint[2]["Details"]["Complaint"], {"ComplaintFeedbackType": "abuse"})
        self.assertEqual(by["success@simulator.amazonses.com"]["Isp"], "Amazon SES Mailbox Simulator")
        # The simulator address was not put on the suppression list.
        self.assertClientError("NotFoundException", 404, self.ses.get_suppressed_destination,
                               EmailAddress="bounce+x1@simulator.amazonses.com")

    def test_insights_paths(self):
        mid = self.simple(["x@gmail.com"])
        self.assertEqual(self.ses.get_message_insights(MessageId=mid)["Insights"][0]["Isp"], "Gmail")
        auth = "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0" % self.account
        for path in ("/v2/email/insights/%s/" % mid, "/v2/email/insights/%s" % mid):
            status, _, body = http("GET", self.server.url + path, headers={"Authorization": auth})
            self.assertEqual(status, 200, body)
            self.assertEqual(json.loads(body)["MessageId"], mid)
        self.assertClientError("NotFoundException", 404, self.ses.get_message_insights, MessageId="nope")
        other = self.server.client(unique_account())
        self.assertClientError("NotFoundException", 404, other.get_message_insights, MessageId=mid)

    def test_bulk(self):
        self.ses.create_email_template(TemplateName="b", TemplateContent={"Subject": "To {{name}}", "Text": "x"})
        got = self.ses.send_bulk_email(
            FromEmailAddress=SENDER,
            DefaultContent={"Template": {"TemplateName": "b", "TemplateData": '{"name": "default"}',
                                         "Headers": [{"Name": "X-A", "Value": "default"}]}},
            BulkEmailEntries=[
                {"Destination": {"ToAddresses": ["b1@example.com"]},
                 "ReplacementEmailContent": {"ReplacementTemplate": {"ReplacementTemplateData": '{"name": "one"}'}},
                 "ReplacementHeaders": [{"Name": "X-A", "Value": "one"}]},
                {"Destination": {"ToAddresses": ["b2@example.com"]}},
                {"Destination": {"ToAddresses": ["broken"]}},
            ])["BulkEmailEntryResults"]
        self.assertEqual([r["Status"] for r in got], ["SUCCESS", "SUCCESS", "INVALID_PARAMETER"])
        self.assertEqual(got[2]["Error"], "Missing final '@domain'")
        self.assertNotIn("MessageId", got[2])
        first, second = self.message(got[0]["MessageId"]), self.message(got[1]["MessageId"])
        self.assertEqual((first["Subject"], second["Subject"]), ("To one", "To default"))
        self.assertEqual({h["Name"]: h["Value"] for h in first["Headers"]}["X-A"], "one")
        self.assertEqual({h["Name"]: h["Value"] for h in second["Headers"]}["X-A"], "default")
        got = self.ses.send_bulk_email(FromEmailAddress=SENDER,
                                       DefaultContent={"Template": {"TemplateName": "missing", "TemplateData": "{}"}},
                                       BulkEmailEntries=[{"Destination": {"ToAddresses": ["b1@example.com"]}}])
        self.assertEqual(got["BulkEmailEntryResults"][0]["Status"], "TEMPLATE_NOT_FOUND")
        got = self.ses.send_bulk_email(FromEmailAddress="x@unverified.org",
                                       DefaultContent={"Template": {"TemplateName": "b", "TemplateData": "{}"}},
                                       BulkEmailEntries=[{"Destination": {"ToAddresses": ["b1@example.com"]}}])
        self.assertEqual(got["BulkEmailEntryResults"][0]["Status"], "MESSAGE_REJECTED")

    def test_aws_ses_filters_and_delete(self):
        a = self.simple(["f@example.com"], From="one@example.com")
        b = self.simple(["f@example.com"], From="two@example.com")
        self.assertEqual([m["Id"] for m in self.aws_ses("?email=two@example.com")], [b])
        self.assertEqual([m["Id"] for m in self.aws_ses("?id=%s&email=one@example.com" % a)], [a])
        self.assertEqual(self.aws_ses("?id=%s&email=two@example.com" % a), [])
        ids = [m["Id"] for m in self.aws_ses()]
        self.assertLess(ids.index(a), ids.index(b))  # newest last
        status, _, body = http("DELETE", self.server.url + "/_aws/ses?id=" + a)
        self.assertEqual((status, body), (204, b""))
        self.assertEqual(self.aws_ses("?id=" + a), [])
        status, _, _ = http("DELETE", self.server.url + "/_aws/ses?id=" + a)
        self.assertEqual(status, 404)
        listed = json.loads(http_get(self.server.url + "/_mock/messages?sender=two@example.com")[2])
        self.assertEqual([m["MessageId"] for m in listed["Messages"]], [b])


class ImportsAffectSendingTests(SendTestCase):

    def test_imported_suppression_list(self):
        url = self.server.write_s3("supp-" + self.account, "list.csv",
                                   "emailAddress,reason\nbounced@example.com,BOUNCE\ncomplained@example.com,COMPLAINT\n")
        job = wait_for_job(self.ses, suppression_import(self.ses, url))
        self.assertEqual(job["JobStatus"], "COMPLETED")
        mid = self.simple(["bounced@example.com", "complained@example.com", "fine@example.com"])
        self.assertEqual(self.fates(mid), {"bounced@example.com": "SUPPRESSED", "complained@example.com": "SUPPRESSED",
                                           "fine@example.com": "DELIVERED"})
        by = {i["Destination"]: i["Events"] for i in self.ses.get_message_insights(MessageId=mid)["Insights"]}
        self.assertEqual([e["Type"] for e in by["bounced@example.com"]], ["SEND", "BOUNCE"])
        self.assertEqual(by["bounced@example.com"][1]["Details"]["Bounce"]["BounceType"], "PERMANENT")
        self.assertEqual(by["bounced@example.com"][1]["Details"]["Bounce"]["BounceSubType"], "OnAccountSuppressionList")
        listed = json.loads(http_get(self.server.url + "/_mock/messages?fate=SUPPRESSED&recipient=bounced@example.com")[2])
        self.assertEqual([m["MessageId"] for m in listed["Messages"]], [mid])
        # A configuration set that overrides the reasons with BOUNCE only lets complaints through.
        self.ses.create_configuration_set(ConfigurationSetName="bounces-only",
                                          SuppressionOptions={"SuppressedReasons": ["BOUNCE"]})
        mid = self.simple(["bounced@example.com", "complained@example.com"], ConfigurationSetName="bounces-only")
        self.assertEqual(self.fates(mid), {"bounced@example.com": "SUPPRESSED", "complained@example.com": "DELIVERED"})

    def test_imported_contacts_and_unsubscribe_link(self):
        self.ses.create_contact_list(ContactListName="news", Topics=[
            {"TopicName": "weekly", "DisplayName": "Weekly", "DefaultSubscriptionStatus": "OPT_OUT"},
            {"TopicName": "offers", "DisplayName": "Offers", "DefaultSubscriptionStatus": "OPT_IN"}])
        url = self.server.write_s3("contacts-" + self.account, "c.csv",
                                   "emailAddress,unsubscribeAll,topicPreferences.weekly,topicPreferences.offers\n"
                                   "in@example.com,false,OPT_IN,\n"
                                   "out@example.com,false,OPT_OUT,OPT_OUT\n"
                                   "none@example.com,false,,\n"
                                   "gone@example.com,true,OPT_IN,OPT_IN\n")
        job = wait_for_job(self.ses, self.ses.create_import_job(
            ImportDestination={"ContactListDestination": {"ContactListName": "news", "ContactListImportAction": "PUT"}},
            ImportDataSource={"S3Url": url, "DataFormat": "CSV"})["JobId"])
        self.assertEqual((job["JobStatus"], job["FailedRecordsCount"]), ("COMPLETED", 0))
        everyone = ["in@example.com", "out@example.com", "none@example.com", "gone@example.com", "new@example.com"]
        mid = self.simple(everyone, ListManagementOptions={"ContactListName": "news", "TopicName": "weekly"})
        self.assertEqual(self.fates(mid), {"in@example.com": "DELIVERED", "out@example.com": "UNSUBSCRIBED",
                                           "none@example.com": "UNSUBSCRIBED", "gone@example.com": "UNSUBSCRIBED",
                                           "new@example.com": "UNSUBSCRIBED"})
        # The unknown recipient became a contact of the list.
        self.assertEqual(self.ses.get_contact(ContactListName="news", EmailAddress="new@example.com")["UnsubscribeAll"], False)
        mid = self.simple(everyone, ListManagementOptions={"ContactListName": "news", "TopicName": "offers"})
        self.assertEqual(self.fates(mid)["none@example.com"], "DELIVERED")
        self.assertEqual(self.fates(mid)["out@example.com"], "UNSUBSCRIBED")
        mid = self.simple(everyone, ListManagementOptions={"ContactListName": "news"})
        self.assertEqual([a for a, f in self.fates(mid).items() if f != "DELIVERED"], ["gone@example.com"])
        # Multi-recipient messages carry no unsubscribe headers.
        self.assertNotIn("List-Unsubscribe", {h["Name"] for h in self.message(mid)["Headers"]})
        # A single recipient gets the headers and the placeholder replaced.
        mid = self.simple(["in@example.com"], text="Leave: {{amazonSESUnsubscribeUrl}} / {{amazonSESUnsubscribeUrl}}",
                          ListManagementOptions={"ContactListName": "news", "TopicName": "weekly"})
        m = self.message(mid)
        headers = {h["Name"]: h["Value"] for h in m["Headers"]}
        link = re.fullmatch(r"<(http://[^>]+/_mock/unsubscribe/[^>]+)>", headers["List-Unsubscribe"]).group(1)
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertEqual(m["Text"], f"Leave: {link} / {link}")
        status, hdrs, page = http_get(link)
        self.assertEqual(status, 200)
        self.assertIn(b"<form method=\"post\"", page)
        status, _, _ = http("POST", link, body=b"List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200)
        prefs = {p["TopicName"]: p["SubscriptionStatus"] for p in
                 self.ses.get_contact(ContactListName="news", EmailAddress="in@example.com")["TopicPreferences"]}
        self.assertEqual(prefs["weekly"], "OPT_OUT")
        mid = self.simple(["in@example.com"], ListManagementOptions={"ContactListName": "news", "TopicName": "weekly"})
        self.assertEqual(self.fates(mid), {"in@example.com": "UNSUBSCRIBED"})
        self.assertEqual(http("POST", self.server.url + "/_mock/unsubscribe/forged")[0], 404)
        msg = self.assertClientError("NotFoundException", 404, self.simple, ["a@example.com"],
                                     ListManagementOptions={"ContactListName": "nope"})
        self.assertEqual(msg, "List with name: nope doesn't exist.")


class SandboxTests(SendTestCase):
    server_args = ("--sandbox",)

    def test_recipients_must_be_verified(self):
        msg = self.assertClientError("MessageRejected", 400, self.simple, ["x@other.org", "y@other.org"])
        self.assertEqual(msg, "Email address is not verified. The following identities failed the check in "
                              "region US-EAST-1: x@other.org, y@other.org")
        self.simple(["to@example.com", "success@simulator.amazonses.com"])


class ResetTests(SendTestCase):

    def test_fixture_seeds_templates(self):
        doc = {"Account": self.account, "EmailTemplates": [
            {"TemplateName": "seeded", "Subject": "Hi {{n}}", "Text": "T {{n}}", "Tags": [{"Key": "k", "Value": "v"}]}]}
        status, _, body = http("POST", self.server.url + "/_mock/fixtures", body=json.dumps(doc).encode(),
                               headers={"Content-Type": "application/json"})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["emailTemplates"], 1)
        got = self.ses.get_email_template(TemplateName="seeded")
        self.assertEqual(got["TemplateContent"], {"Subject": "Hi {{n}}", "Text": "T {{n}}"})
        self.assertEqual(got["Tags"], [{"Key": "k", "Value": "v"}])
        bad = {"EmailTemplates": [{"TemplateName": "x"}]}
        status, _, body = http("POST", self.server.url + "/_mock/fixtures", body=json.dumps(bad).encode())
        self.assertEqual(status, 400)
        self.assertIn("Fixture rejected at EmailTemplates[0].TemplateName", json.loads(body)["message"])

    def test_reset_clears_messages_and_templates(self):
        self.ses.create_email_template(TemplateName="gone", TemplateContent={"Subject": "s", "Text": "t"})
        self.simple(["z@example.com"])
        status, _, _ = http("POST", self.server.url + "/_mock/reset", body=b"{}")
        self.assertEqual(status, 200)
        self.assertEqual(self.aws_ses(), [])
        self.assertClientError("NotFoundException", 404, self.ses.get_email_template, TemplateName="gone")
        status, _, _ = http("DELETE", self.server.url + "/_aws/ses")
        self.assertEqual(status, 204)


if __name__ == "__main__":
    unittest.main()
