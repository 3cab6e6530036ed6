"""VDM metrics through boto3: a known set of sends (single- and multi-recipient, mailbox
simulator, a suppressed recipient), engagement added through POST
/_mock/messages/{id}/events, then BatchGetMetricData per metric with exact Timestamps and
Values, dimension filters, and the validation errors of both."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ServerTestCase, control, unique_account  # noqa: E402

UTC = datetime.timezone.utc
DAY = datetime.timedelta(days=1)
ALL_METRICS = ["SEND", "COMPLAINT", "PERMANENT_BOUNCE", "TRANSIENT_BOUNCE", "OPEN", "CLICK",
               "DELIVERY", "DELIVERY_OPEN", "DELIVERY_CLICK", "DELIVERY_COMPLAINT"]


def midnight_of(epoch: float) -> datetime.datetime:
    d = datetime.datetime.fromtimestamp(epoch, UTC)
    return datetime.datetime(d.year, d.month, d.day, tzinfo=UTC)


class MetricsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = unique_account()
        ses = cls.ses = cls.server.client(cls.account)
        ses.create_email_identity(EmailIdentity="example.com")
        ses.create_email_identity(EmailIdentity="vip@example.com")
        ses.create_configuration_set(ConfigurationSetName="cs1")
        ses.put_suppressed_destination(EmailAddress="eve@gmail.com", Reason="BOUNCE")
        cls.ids = {
            # counted: a delivery from the domain identity, in cs1
            "d1": cls.send("sender@example.com", ["alice@gmail.com"], ConfigurationSetName="cs1"),
            # counted: a delivery from the address identity
            "d2": cls.send("Vip <vip@example.com>", ["bob@yahoo.com"]),
            # counted as a send only: the recipient is on the suppression list
            "sup": cls.send("sender@example.com", ["eve@gmail.com"]),
            # not counted: two recipients, the mailbox simulator
            "multi": cls.send("sender@example.com", ["carol@gmail.com", "dave@gmail.com"]),
            "sim_bounce": cls.send("sender@example.com", ["bounce@simulator.amazonses.com"]),
            "sim_complaint": cls.send("sender@example.com",
                                      ["complaint@simulator.amazonses.com"]),
            "sim_success": cls.send("sender@example.com", ["success@simulator.amazonses.com"]),
        }
        days = set()
        for mid in cls.ids.values():
            status, _, body = control(cls.server, "GET", "/_mock/messages/" + mid)
            assert status == 200, body
            days.add(midnight_of(body["Timestamp"]))
        if len(days) != 1:
            raise unittest.SkipTest("the sends straddled UTC midnight")
        cls.today = days.pop()
        # Engagement: d1 opened twice and clicked; d2 opened and soft-bounced; opens of the
        # multi-recipient message are not counted; a delay counts nowhere.
        for mid, dest, kind in [("d1", "alice@gmail.com", "OPEN"), ("d1", "alice@gmail.com", "OPEN"),
                                ("d1", "alice@GMAIL.com", "CLICK"),
                                ("d1", "alice@gmail.com", "DELIVERY_DELAY"),
                                ("d2", "bob@yahoo.com", "OPEN"),
                                ("d2", "bob@yahoo.com", "TRANSIENT_BOUNCE"),
                                ("multi", "carol@gmail.com", "OPEN")]:
            status, _, body = control(cls.server, "POST", f"/_mock/messages/{cls.ids[mid]}/events",
                                      {"Destination": dest, "Type": kind})
            assert status == 200, body

    @classmethod
    def send(cls, sender, to, **kwargs):
        return cls.ses.send_email(FromEmailAddress=sender, Destination={"ToAddresses": to},
                                  Content={"Simple": {"Subject": {"Data": "s"},
                                                      "Body": {"Text": {"Data": "b"}}}},
                                  **kwargs)["MessageId"]

    def query(self, metric, dimensions=None, start=None, end=None, qid=None):
        q = {"Id": qid or metric.lower(), "Namespace": "VDM", "Metric": metric,
             "StartDate": start or self.today, "EndDate": end or self.today + DAY}
        if dimensions:
            q["Dimensions"] = dimensions
        return q

    def series(self, queries, client=None):
        resp = (client or self.ses).batch_get_metric_data(Queries=queries)
        self.assertEqual(resp["Errors"], [])
        self.assertEqual([r["Id"] for r in resp["Results"]], [q["Id"] for q in queries])
        return {r["Id"]: (r["Timestamps"], r["Values"]) for r in resp["Results"]}

    def one(self, metric, **kwargs):
        return self.series([self.query(metric, **kwargs)])[kwargs.get("qid") or metric.lower()]

    # -- BatchGetMetricData ----------------------------------------------------------------
    def test_every_metric_of_the_day(self):
        expected = {"SEND": 3, "COMPLAINT": 0, "PERMANENT_BOUNCE": 0, "TRANSIENT_BOUNCE": 1,
                    "OPEN": 2, "CLICK": 1, "DELIVERY": 2, "DELIVERY_OPEN": 2,
                    "DELIVERY_CLICK": 2, "DELIVERY_COMPLAINT": 2}
        first = self.series([self.query(m) for m in ALL_METRICS[:5]])
        second = self.series([self.query(m) for m in ALL_METRICS[5:]])
        got = {**first, **second}
        for metric, value in expected.items():
            self.assertEqual(got[metric.lower()], ([self.today], [value]), metric)

    def test_dimension_filters(self):
        cases = [
            ({"EMAIL_IDENTITY": "example.com"}, "SEND", 2),  # d1 and the suppressed send
            ({"EMAIL_IDENTITY": "vip@example.com"}, "SEND", 1),
            ({"EMAIL_IDENTITY": "vip@example.com"}, "OPEN", 1),
            ({"CONFIGURATION_SET": "cs1"}, "SEND", 1),
            ({"CONFIGURATION_SET": "cs1"}, "CLICK", 1),
            ({"ISP": "Gmail"}, "SEND", 2),
            ({"ISP": "Gmail"}, "DELIVERY", 1),
            ({"ISP": "Yahoo"}, "TRANSIENT_BOUNCE", 1),
            ({"ISP": "Gmail", "EMAIL_IDENTITY": "example.com", "CONFIGURATION_SET": "cs1"},
             "OPEN", 1),
        ]
        for dims, metric, value in cases:
            self.assertEqual(self.one(metric, dimensions=dims), ([self.today], [value]),
                             (dims, metric))
        # No message matches: an empty series.
        self.assertEqual(self.one("SEND", dimensions={"ISP": "Yahoo", "CONFIGURATION_SET": "cs1"}),
                         ([], []))
        self.assertEqual(self.one("SEND", dimensions={"ISP": "Amazon SES Mailbox Simulator"}),
                         ([], []))

    def test_date_range_and_partitions(self):
        # The day before ends where today starts: nothing; a wider range: today only.
        self.assertEqual(self.one("SEND", start=self.today - DAY, end=self.today), ([], []))
        self.assertEqual(self.one("SEND", start=self.today - 3 * DAY, end=self.today + 3 * DAY),
                         ([self.today], [3]))
        other = self.server.client(unique_account())
        self.assertEqual(self.series([self.query("SEND")], client=other)["send"], ([], []))
        eu = self.server.client(self.account, region="eu-west-1")
        self.assertEqual(self.series([self.query("SEND")], client=eu)["send"], ([], []))

    def test_validation_errors(self):
        raw = self.server.client(self.account, validate=False)
        cases = [
            ({}, "1 validation error detected: Value at 'queries' failed to satisfy "
                 "constraint: Member must not be null"),
            ({"Queries": []}, "1 validation error detected: Value at 'queries' failed to satisfy "
                              "constraint: Member must have length greater than or equal to 1"),
            ({"Queries": [self.query("SEND", qid=f"q{i}") for i in range(11)]},
             "1 validation error detected: Value at 'queries' failed to satisfy constraint: "
             "Member must have length less than or equal to 10"),
            ({"Queries": [dict(self.query("SEND"), Namespace="CLOUDWATCH")]},
             "1 validation error detected: Value at 'queries.namespace' failed to satisfy "
             "constraint: Member must satisfy enum value set: [VDM]"),
            ({"Queries": [dict(self.query("SEND"), Metric="BOUNCE")]},
             "1 validation error detected: Value at 'queries.metric' failed to satisfy "
             "constraint: Member must satisfy enum value set: [SEND, COMPLAINT, PERMANENT_BOUNCE, "
             "TRANSIENT_BOUNCE, OPEN, CLICK, DELIVERY, DELIVERY_OPEN, DELIVERY_CLICK, "
             "DELIVERY_COMPLAINT]"),
            ({"Queries": [self.query("SEND", dimensions={"DOMAIN": "example.com"})]},
             "1 validation error detected: Value at 'queries.dimensions' failed to satisfy "
             "constraint: Member must satisfy enum value set: [EMAIL_IDENTITY, "
             "CONFIGURATION_SET, ISP]"),
            ({"Queries": [dict(self.query("SEND"), Dimensions={})]},
             "1 validation error detected: Value at 'queries.dimensions' failed to satisfy "
             "constraint: Member must have length greater than or equal to 1"),
            ({"Queries": [dict(self.query("SEND"), Id="")]},
             "1 validation error detected: Value at 'queries.id' failed to satisfy "
             "constraint: Member must have length greater than or equal to 1"),
            ({"Queries": [dict(self.query("SEND"), Id="x" * 256)]},
             "1 validation error detected: Value at 'queries.id' failed to satisfy "
             "constraint: Member must have length less than or equal to 255"),
            ({"Queries": [{k: v for k, v in self.query("SEND").items() if k != "EndDate"}]},
             "1 validation error detected: Value at 'queries.endDate' failed to satisfy "
             "constraint: Member must not be null"),
            ({"Queries": [self.query("SEND", start=self.today + DAY, end=self.today, qid="rev")]},
             "The StartDate of query rev must be before its EndDate."),
            ({"Queries": [self.query("SEND", start=self.today, end=self.today, qid="empty")]},
             "The StartDate of query empty must be before its EndDate."),
        ]
        for params, message in cases:
            got = self.assertClientError("BadRequestException", 400, raw.batch_get_metric_data,
                                         **params)
            self.assertEqual(got, message, params)

    # -- POST /_mock/messages/{id}/events ----------------------------------------------------
    def test_added_events_in_insights_and_inspection(self):
        insights = self.ses.get_message_insights(MessageId=self.ids["d1"])["Insights"]
        self.assertEqual([e["Type"] for e in insights[0]["Events"]],
                         ["SEND", "DELIVERY", "OPEN", "OPEN", "CLICK", "DELIVERY_DELAY"])
        self.assertNotIn("Details", insights[0]["Events"][2])
        d2 = self.ses.get_message_insights(MessageId=self.ids["d2"])["Insights"][0]["Events"]
        self.assertEqual(d2[-1]["Type"], "BOUNCE")
        self.assertEqual(d2[-1]["Details"], {"Bounce": {"BounceType": "TRANSIENT",
                                                        "BounceSubType": "General"}})
        status, _, body = control(self.server, "GET", "/_mock/messages/" + self.ids["d2"])
        self.assertEqual(status, 200)
        self.assertEqual(body["Recipients"][0]["Fate"], "DELIVERED")  # fate unchanged
        self.assertEqual([e["Type"] for e in body["Recipients"][0]["Events"]],
                         ["SEND", "DELIVERY", "OPEN", "BOUNCE"])

    def test_event_with_timestamp_goes_in_order(self):
        # Another account, so the metrics of the known set stay as they are.
        ses = self.server.client(unique_account())
        ses.create_email_identity(EmailIdentity="example.com")
        mid = ses.send_email(FromEmailAddress="sender@example.com",
                             Destination={"ToAddresses": ["frank@other.example"]},
                             Content={"Simple": {"Subject": {"Data": "s"},
                                                 "Body": {"Text": {"Data": "b"}}}})["MessageId"]
        sent = ses.get_message_insights(MessageId=mid)["Insights"][0]["Events"][0]["Timestamp"]
        later = sent + datetime.timedelta(hours=2)
        status, _, body = control(self.server, "POST", f"/_mock/messages/{mid}/events",
                                  {"Destination": "frank@other.example", "Type": "CLICK",
                                   "Timestamp": later.timestamp()})
        self.assertEqual(status, 200, body)
        status, _, body = control(self.server, "POST", f"/_mock/messages/{mid}/events",
                                  {"Destination": "frank@other.example", "Type": "OPEN",
                                   "Timestamp": (sent + datetime.timedelta(hours=1)).timestamp()})
        self.assertEqual(status, 200, body)
        self.assertEqual([e["Type"] for e in body["Recipients"][0]["Events"]],
                         ["SEND", "DELIVERY", "OPEN", "CLICK"])
        self.assertEqual(body["Recipients"][0]["Events"][3]["Timestamp"], later.timestamp())

    def test_event_errors(self):
        d1 = self.ids["d1"]
        cases = [
            ("/_mock/messages/nope/events", {"Destination": "a@b.c", "Type": "OPEN"},
             404, "NotFoundException", "Message nope does not exist."),
            (f"/_mock/messages/{d1}/events", {"Destination": "zed@gmail.com", "Type": "OPEN"},
             404, "NotFoundException", f"Message {d1} has no recipient zed@gmail.com."),
            (f"/_mock/messages/{d1}/events", {"Destination": "alice@gmail.com", "Type": "BOUNCE"},
             400, "BadRequestException",
             "1 validation error detected: Value at 'type' failed to satisfy constraint: Member "
             "must satisfy enum value set: [OPEN, CLICK, DELIVERY_DELAY, TRANSIENT_BOUNCE]"),
            (f"/_mock/messages/{d1}/events", {"Type": "OPEN"}, 400, "BadRequestException",
             "1 validation error detected: Value at 'destination' failed to satisfy constraint: "
             "Member must not be null"),
            (f"/_mock/messages/{d1}/events",
             {"Destination": "alice@gmail.com", "Type": "OPEN", "Timestamp": "yesterday"},
             400, "BadRequestException",
             "1 validation error detected: Value at 'timestamp' failed to satisfy constraint: "
             "Member must be a timestamp"),
        ]
        for path, body, status, code, message in cases:
            got_status, headers, got = control(self.server, "POST", path, body)
            self.assertEqual((got_status, headers.get("x-amzn-errortype"), got["message"]),
                             (status, code, message), body)
        got_status, headers, got = control(self.server, "POST", f"/_mock/messages/{d1}/events",
                                           raw=b"{not json")
        self.assertEqual((got_status, headers.get("x-amzn-errortype")),
                         (400, "BadRequestException"))
        # Nothing was recorded by the refused requests.
        types = [e["Type"] for e in self.ses.get_message_insights(MessageId=d1)["Insights"][0]["Events"]]
        self.assertEqual(types, ["SEND", "DELIVERY", "OPEN", "OPEN", "CLICK", "DELIVERY_DELAY"])


if __name__ == "__main__":
    unittest.main()
