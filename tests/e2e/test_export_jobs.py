"""Export jobs through boto3: CreateExportJob, GetExportJob, ListExportJobs, CancelExportJob.

A known set of messages (delivered, suppressed, simulator bounce and complaint) is sent, a
MESSAGE_INSIGHTS export is run in CSV and JSON, its file is downloaded from the mock URL in
GetExportJob and compared row by row; filters, MaxResults, validation errors, cancel in
manual mode, list filters and paging; the control routes (/_mock/export-jobs)."""
import csv
import datetime
import io
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (FINAL_STATES, ServerTestCase, control, http_get,  # noqa: E402
                     unique_account)

SENDER = "sender@example.com"
COLUMNS = ["MessageId", "FromEmailAddress", "Subject", "Destination", "Isp", "SendTimestamp",
           "LastDeliveryEvent", "LastDeliveryEventTimestamp", "LastEngagementEvent",
           "LastEngagementEventTimestamp", "ConfigurationSet", "EmailTags"]


def iso(ts):
    whole = int(ts // 1)
    millis = round((ts - whole) * 1000)
    if millis >= 1000:
        whole, millis = whole + 1, millis - 1000
    t = datetime.datetime.fromtimestamp(whole, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % millis


def wait_export(ses, job_id, states=FINAL_STATES, timeout=20.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = ses.get_export_job(JobId=job_id)
        if last["JobStatus"] in states:
            return last
        time.sleep(0.05)
    raise AssertionError(f"export {job_id} not in {states}: {last}")


class ExportJobsTest(ServerTestCase):

    def setUp(self):
        self.account = unique_account()
        self.ses = self.server.client(self.account)
        self.ses.create_email_identity(EmailIdentity="example.com")
        self.ses.put_suppressed_destination(EmailAddress="gone@example.com", Reason="BOUNCE")
        self.t0 = time.time() - 1
        self.sent = {}  # destination -> message id
        for to, subject in [("alice@example.com", "Hello Alice"),
                            ("gone@example.com", "Hello, gone"),
                            ("bounce@simulator.amazonses.com", "Bounce test"),
                            ("complaint@simulator.amazonses.com", "Complaint test")]:
            self.sent[to] = self.ses.send_email(
                FromEmailAddress="Sender <%s>" % SENDER, Destination={"ToAddresses": [to]},
                Content={"Simple": {"Subject": {"Data": subject},
                                    "Body": {"Text": {"Data": "hi"}}}},
                EmailTags=[{"Name": "campaign", "Value": "c1"}])["MessageId"]
        self.t1 = time.time() + 1

    def expected_rows(self):
        """The rows the export must hold, from GetMessageInsights and /_mock/messages."""
        kinds = {"alice@example.com": ("DELIVERY", "Other"),
                 "gone@example.com": ("PERMANENT_BOUNCE", "Other"),
                 "bounce@simulator.amazonses.com": ("PERMANENT_BOUNCE",
                                                    "Amazon SES Mailbox Simulator"),
                 "complaint@simulator.amazonses.com": ("COMPLAINT",
                                                       "Amazon SES Mailbox Simulator")}
        subjects = {"alice@example.com": "Hello Alice", "gone@example.com": "Hello, gone",
                    "bounce@simulator.amazonses.com": "Bounce test",
                    "complaint@simulator.amazonses.com": "Complaint test"}
        rows = []
        for to, mid in self.sent.items():
            status, _, body = http_get(self.server.url + "/_mock/messages/" + mid)
            self.assertEqual(status, 200)
            sent_at = json.loads(body)["Timestamp"]
            events = self.ses.get_message_insights(MessageId=mid)["Insights"][0]["Events"]
            last = events[-1]["Timestamp"].timestamp()
            rows.append({"MessageId": mid, "FromEmailAddress": SENDER, "Subject": subjects[to],
                         "Destination": to, "Isp": kinds[to][1], "SendTimestamp": iso(sent_at),
                         "LastDeliveryEvent": kinds[to][0],
                         "LastDeliveryEventTimestamp": iso(last),
                         "LastEngagementEvent": "", "LastEngagementEventTimestamp": "",
                         "ConfigurationSet": "", "EmailTags": '{"campaign":"c1"}'})
        return rows  # send order is time order

    def insights_source(self, **extra):
        return {"MessageInsightsDataSource": dict(
            {"StartDate": self.t0, "EndDate": self.t1}, **extra)}

    def export(self, fmt="CSV", **extra):
        job_id = self.ses.create_export_job(ExportDataSource=self.insights_source(**extra),
                                            ExportDestination={"DataFormat": fmt})["JobId"]
        return wait_export(self.ses, job_id)

    def download(self, job):
        url = job["ExportDestination"]["S3Url"]
        self.assertEqual(url, "%s/_mock/export-jobs/%s/file" % (self.server.url, job["JobId"]))
        status, headers, body = http_get(url)
        self.assertEqual(status, 200, body)
        return headers, body.decode()

    def csv_rows(self, text):
        reader = csv.reader(io.StringIO(text))
        header = next(reader)
        self.assertEqual(header, COLUMNS)
        return [dict(zip(header, r)) for r in reader]

    # -- MESSAGE_INSIGHTS ----------------------------------------------------------------
    def test_csv_export_row_by_row(self):
        job = self.export("CSV")
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        self.assertEqual(job["ExportSourceType"], "MESSAGE_INSIGHTS")
        self.assertEqual(job["Statistics"], {"ProcessedRecordsCount": 4, "ExportedRecordsCount": 4})
        self.assertEqual(job["ExportDataSource"]["MessageInsightsDataSource"]["StartDate"]
                         .timestamp(), int(self.t0))  # boto3 sends whole seconds
        self.assertIn("CompletedTimestamp", job)
        headers, text = self.download(job)
        self.assertEqual(headers["content-type"], "text/csv")
        self.assertEqual(self.csv_rows(text), self.expected_rows())

    def test_json_export_row_by_row(self):
        job = self.export("JSON")
        self.assertEqual(job["JobStatus"], "COMPLETED", job)
        headers, text = self.download(job)
        self.assertEqual(headers["content-type"], "application/x-ndjson")
        got = [json.loads(line) for line in text.splitlines()]
        want = []
        for r in self.expected_rows():
            r = dict(r, EmailTags={"campaign": "c1"}, LastEngagementEvent=None,
                     LastEngagementEventTimestamp=None, ConfigurationSet=None)
            want.append(r)
        self.assertEqual(got, want)
        self.assertEqual(list(got[0].keys()), COLUMNS)

    def test_file_lands_in_the_s3_directory(self):
        job_id = self.ses.create_export_job(
            ExportDataSource=self.insights_source(),
            ExportDestination={"DataFormat": "CSV", "S3Url": "s3://exports/runs/"})["JobId"]
        job = wait_export(self.ses, job_id)
        _, text = self.download(job)
        with open(os.path.join(self.server.s3_dir, "exports", "runs", job_id + ".csv")) as f:
            self.assertEqual(f.read(), text)

    def test_include_and_exclude_filters(self):
        def destinations(**extra):
            job = self.export("CSV", **extra)
            self.assertEqual(job["JobStatus"], "COMPLETED", job)
            return [r["Destination"] for r in self.csv_rows(self.download(job)[1])], job

        got, job = destinations(Include={"LastDeliveryEvent": ["PERMANENT_BOUNCE"]})
        self.assertEqual(got, ["gone@example.com", "bounce@simulator.amazonses.com"])
        self.assertEqual(job["Statistics"], {"ProcessedRecordsCount": 4, "ExportedRecordsCount": 2})
        got, _ = destinations(Include={"Isp": ["Amazon SES Mailbox Simulator"]},
                              Exclude={"Destination": ["BOUNCE@simulator.amazonses.com"]})
        self.assertEqual(got, ["complaint@simulator.amazonses.com"])
        got, _ = destinations(Include={"Subject": ["hello"], "FromEmailAddress": [SENDER]})
        self.assertEqual(got, ["alice@example.com", "gone@example.com"])
        got, _ = destinations(Exclude={"Subject": ["test"]})
        self.assertEqual(got, ["alice@example.com", "gone@example.com"])
        got, _ = destinations(Include={"LastEngagementEvent": ["OPEN"]})
        self.assertEqual(got, [])

    def test_max_results_stops_the_export(self):
        job = self.export("CSV", MaxResults=3)
        rows = self.csv_rows(self.download(job)[1])
        self.assertEqual([r["Destination"] for r in rows], list(self.sent)[:3])
        self.assertEqual(job["Statistics"], {"ProcessedRecordsCount": 3, "ExportedRecordsCount": 3})

    def test_window_leaves_out_other_times(self):
        job_id = self.ses.create_export_job(
            ExportDataSource={"MessageInsightsDataSource": {"StartDate": self.t0 - 3600,
                                                            "EndDate": self.t0}},
            ExportDestination={"DataFormat": "CSV"})["JobId"]
        job = wait_export(self.ses, job_id)
        self.assertEqual(job["Statistics"], {"ProcessedRecordsCount": 0, "ExportedRecordsCount": 0})
        self.assertEqual(self.download(job)[1], ",".join(COLUMNS) + "\n")

    def test_metrics_data_export(self):
        day = int(time.time() // 86400 * 86400)
        source = {"MetricsDataSource": {
            "Dimensions": {"EMAIL_IDENTITY": ["example.com"]}, "Namespace": "VDM",
            "Metrics": [{"Name": "SEND", "Aggregation": "VOLUME"},
                        {"Name": "DELIVERY", "Aggregation": "VOLUME"},
                        {"Name": "PERMANENT_BOUNCE", "Aggregation": "VOLUME"},
                        {"Name": "DELIVERY", "Aggregation": "RATE"}],
            "StartDate": day, "EndDate": day + 86400}}
        date = time.strftime("%Y-%m-%d", time.gmtime(day))
        for fmt in ("CSV", "JSON"):
            job_id = self.ses.create_export_job(ExportDataSource=source,
                                                ExportDestination={"DataFormat": fmt})["JobId"]
            job = wait_export(self.ses, job_id)
            self.assertEqual((job["JobStatus"], job["ExportSourceType"]),
                             ("COMPLETED", "METRICS_DATA"), job)
            self.assertEqual(job["Statistics"],
                             {"ProcessedRecordsCount": 1, "ExportedRecordsCount": 1})
            _, text = self.download(job)
            # simulator sends never count; the suppressed send counts as SEND but not as
            # PERMANENT_BOUNCE (account-level suppression list)
            if fmt == "CSV":
                self.assertEqual(text, "Date,EMAIL_IDENTITY,SEND_VOLUME,DELIVERY_VOLUME,"
                                       "PERMANENT_BOUNCE_VOLUME,DELIVERY_RATE\n"
                                       f"{date},example.com,2,1,0,0.5\n")
            else:
                self.assertEqual([json.loads(line) for line in text.splitlines()], [
                    {"Date": date, "EMAIL_IDENTITY": "example.com", "SEND_VOLUME": 2,
                     "DELIVERY_VOLUME": 1, "PERMANENT_BOUNCE_VOLUME": 0,
                     "DELIVERY_RATE": 0.5}])

    def test_engagement_events_and_batch_get_metric_data_agree(self):
        alice = self.sent["alice@example.com"]
        opened_at = time.time()
        status, _, body = control(self.server, "POST", f"/_mock/messages/{alice}/events",
                                  {"Destination": "alice@example.com", "Type": "OPEN",
                                   "Timestamp": opened_at})
        self.assertEqual(status, 200, body)
        job = self.export("CSV", Include={"LastEngagementEvent": ["OPEN"]})
        rows = self.csv_rows(self.download(job)[1])
        self.assertEqual([(r["Destination"], r["LastEngagementEvent"]) for r in rows],
                         [("alice@example.com", "OPEN")])
        self.assertEqual(rows[0]["LastEngagementEventTimestamp"][:19], iso(opened_at)[:19])
        day = int(time.time() // 86400 * 86400)
        metrics = ["SEND", "DELIVERY", "OPEN", "COMPLAINT", "PERMANENT_BOUNCE"]
        job_id = self.ses.create_export_job(ExportDataSource={"MetricsDataSource": {
            "Dimensions": {"EMAIL_IDENTITY": ["example.com"]}, "Namespace": "VDM",
            "Metrics": [{"Name": m, "Aggregation": "VOLUME"} for m in metrics],
            "StartDate": day, "EndDate": day + 86400}},
            ExportDestination={"DataFormat": "JSON"})["JobId"]
        exported = json.loads(self.download(wait_export(self.ses, job_id))[1])
        answer = self.ses.batch_get_metric_data(Queries=[
            {"Id": m.lower(), "Namespace": "VDM", "Metric": m,
             "Dimensions": {"EMAIL_IDENTITY": "example.com"},
             "StartDate": day, "EndDate": day + 86400} for m in metrics])
        values = {r["Id"]: r["Values"] for r in answer["Results"]}
        for m in metrics:
            self.assertEqual([exported[m + "_VOLUME"]], values[m.lower()], m)
        self.assertEqual(exported["OPEN_VOLUME"], 1)
        self.assertEqual(exported["SEND_VOLUME"], 2)

    # -- validation --------------------------------------------------------------------
    def bad(self, source, destination=None, contains=None):
        msg = self.assertClientError("BadRequestException", 400, self.ses.create_export_job,
                                     ExportDataSource=source,
                                     ExportDestination=destination or {"DataFormat": "CSV"})
        if contains:
            self.assertIn(contains, msg)
        return msg

    def test_validation_errors(self):
        before = self.ses.list_export_jobs()["ExportJobs"]
        metrics = {"Dimensions": {"ISP": ["Gmail"]}, "Namespace": "VDM",
                   "Metrics": [{"Name": "SEND", "Aggregation": "VOLUME"}],
                   "StartDate": 1_700_006_400, "EndDate": 1_700_092_800}
        insights = {"StartDate": self.t0, "EndDate": self.t1}
        self.assertEqual(self.bad({}), (
            "1 validation error detected: Value at 'exportDataSource' failed to satisfy "
            "constraint: Member must have exactly one of MetricsDataSource or "
            "MessageInsightsDataSource"))
        self.bad({"MetricsDataSource": metrics, "MessageInsightsDataSource": insights},
                 contains="exactly one of")
        self.assertEqual(self.bad({"MessageInsightsDataSource": {
            "StartDate": self.t1, "EndDate": self.t0}}),
            "The StartDate of MessageInsightsDataSource must be earlier than its EndDate.")
        self.assertEqual(self.bad({"MetricsDataSource": dict(metrics, StartDate=1_700_092_800,
                                                             EndDate=1_700_006_400)}),
                         "The StartDate of MetricsDataSource must be earlier than its EndDate.")
        self.assertEqual(self.bad({"MetricsDataSource": dict(metrics, StartDate=1_700_006_401)}),
                         "The StartDate and EndDate of MetricsDataSource must be at midnight "
                         "UTC: metrics are exported per UTC day.")
        self.assertEqual(self.bad({"MessageInsightsDataSource": dict(insights, MaxResults=10001)}),
                         "1 validation error detected: Value at 'exportDataSource."
                         "messageInsightsDataSource.maxResults' failed to satisfy constraint: "
                         "Member must have value less than or equal to 10000")
        # boto3 refuses MaxResults 0 itself: sent as plain JSON
        status, _, body = control(self.server, "POST", "/v2/email/export-jobs", {
            "ExportDataSource": {"MessageInsightsDataSource": dict(insights, MaxResults=0)},
            "ExportDestination": {"DataFormat": "CSV"}})
        self.assertEqual(status, 400)
        self.assertIn("Member must have value greater than or equal to 1", body["message"])
        self.assertEqual(self.bad({"MetricsDataSource": dict(metrics, Dimensions={
            "COUNTRY": ["a"]})}),
            "1 validation error detected: Value at 'exportDataSource.metricsDataSource."
            "dimensions' failed to satisfy constraint: Member must satisfy enum value set: "
            "[EMAIL_IDENTITY, CONFIGURATION_SET, ISP]")
        self.assertEqual(self.bad({"MetricsDataSource": dict(metrics, Dimensions={
            "ISP": ["v%d" % i for i in range(11)]})}),
            "1 validation error detected: Value at 'exportDataSource.metricsDataSource."
            "dimensions.ISP' failed to satisfy constraint: Member must have length less than or "
            "equal to 10")
        self.assertEqual(self.bad({"MetricsDataSource": dict(metrics, Metrics=[
            {"Name": "SEND", "Aggregation": "VOLUME"}] * 11)}),
            "1 validation error detected: Value at 'exportDataSource.metricsDataSource.metrics' "
            "failed to satisfy constraint: Member must have length less than or equal to 10")
        for empty in ({"Metrics": []}, {"Dimensions": {}}):  # boto3 refuses these itself
            status, _, body = control(self.server, "POST", "/v2/email/export-jobs", {
                "ExportDataSource": {"MetricsDataSource": dict(metrics, **empty)},
                "ExportDestination": {"DataFormat": "CSV"}})
            self.assertEqual(status, 400)
            self.assertIn("Member must have length greater than or equal to 1", body["message"])
        self.bad({"MessageInsightsDataSource": insights},
                 {"DataFormat": "CSV", "S3Url": "s3://bucket-only"}, contains="pattern")
        self.assertEqual(self.ses.list_export_jobs()["ExportJobs"], before)  # nothing stored

    # -- cancel, list, control ---------------------------------------------------------
    def test_cancel_in_manual_mode_and_cancel_of_a_finished_job(self):
        done = self.export("CSV")
        msg = self.assertClientError("BadRequestException", 400, self.ses.cancel_export_job,
                                     JobId=done["JobId"])
        self.assertEqual(msg, "Export job %s is COMPLETED and can no longer be cancelled."
                         % done["JobId"])
        status, _, _ = control(self.server, "POST", "/_mock/config", {"processingMode": "manual"})
        self.assertEqual(status, 200)
        try:
            job_id = self.ses.create_export_job(ExportDataSource=self.insights_source(),
                                                ExportDestination={"DataFormat": "JSON"})["JobId"]
            time.sleep(0.3)
            self.assertEqual(self.ses.get_export_job(JobId=job_id)["JobStatus"], "CREATED")
            self.ses.cancel_export_job(JobId=job_id)
            job = self.ses.get_export_job(JobId=job_id)
            self.assertEqual(job["JobStatus"], "CANCELLED")
            self.assertNotIn("S3Url", job["ExportDestination"])
            msg = self.assertClientError("BadRequestException", 400, self.ses.cancel_export_job,
                                         JobId=job_id)
            self.assertIn("is CANCELLED", msg)
            # advance through the control API, one move at a time
            job_id = self.ses.create_export_job(ExportDataSource=self.insights_source(),
                                                ExportDestination={"DataFormat": "CSV"})["JobId"]
            status, _, body = control(self.server, "POST", f"/_mock/export-jobs/{job_id}/advance")
            self.assertEqual((status, body["JobStatus"]), (200, "PROCESSING"))
            status, _, body = control(self.server, "POST", f"/_mock/export-jobs/{job_id}/advance")
            self.assertEqual(status, 200)
            job = wait_export(self.ses, job_id)
            self.assertEqual(job["JobStatus"], "COMPLETED")
            status, _, body = control(self.server, "POST", f"/_mock/export-jobs/{job_id}/cancel")
            self.assertEqual(status, 409)
            # fail through the control API
            job_id = self.ses.create_export_job(ExportDataSource=self.insights_source(),
                                                ExportDestination={"DataFormat": "CSV"})["JobId"]
            status, _, body = control(self.server, "POST", f"/_mock/export-jobs/{job_id}/fail",
                                      {"message": "disk on fire"})
            self.assertEqual((status, body["JobStatus"]), (200, "FAILED"))
            job = self.ses.get_export_job(JobId=job_id)
            self.assertEqual(job["FailureInfo"], {"ErrorMessage": "disk on fire"})
        finally:
            control(self.server, "POST", "/_mock/config", {"processingMode": "immediate"})

    def test_get_and_cancel_unknown_job(self):
        msg = self.assertClientError("NotFoundException", 404, self.ses.get_export_job,
                                     JobId="nope")
        self.assertEqual(msg, "Export job nope does not exist.")
        self.assertClientError("NotFoundException", 404, self.ses.cancel_export_job, JobId="nope")
        other = self.server.client(unique_account())
        job = self.export("CSV")
        self.assertClientError("NotFoundException", 404, other.get_export_job,
                               JobId=job["JobId"])

    def test_list_filters_and_paging(self):
        ids = [self.export(fmt)["JobId"] for fmt in ("CSV", "JSON", "CSV")]
        metrics = self.ses.create_export_job(ExportDataSource={"MetricsDataSource": {
            "Dimensions": {"ISP": ["Gmail"]}, "Namespace": "VDM",
            "Metrics": [{"Name": "SEND", "Aggregation": "VOLUME"}],
            "StartDate": 1_700_006_400, "EndDate": 1_700_092_800}},
            ExportDestination={"DataFormat": "CSV"})["JobId"]
        wait_export(self.ses, metrics)
        got = self.ses.list_export_jobs(ExportSourceType="MESSAGE_INSIGHTS")["ExportJobs"]
        self.assertEqual([j["JobId"] for j in got], ids[::-1])
        self.assertEqual(set(got[0]), {"JobId", "ExportSourceType", "JobStatus",
                                       "CreatedTimestamp", "CompletedTimestamp"})
        got = self.ses.list_export_jobs(ExportSourceType="METRICS_DATA")["ExportJobs"]
        self.assertEqual([j["JobId"] for j in got], [metrics])
        got = self.ses.list_export_jobs(JobStatus="COMPLETED",
                                        ExportSourceType="MESSAGE_INSIGHTS")["ExportJobs"]
        self.assertEqual(len(got), 3)
        page1 = self.ses.list_export_jobs(PageSize=2)
        self.assertEqual(len(page1["ExportJobs"]), 2)
        page2 = self.ses.list_export_jobs(PageSize=2, NextToken=page1["NextToken"])
        self.assertNotIn("NextToken", page2)
        all_ids = [j["JobId"] for j in page1["ExportJobs"] + page2["ExportJobs"]]
        self.assertEqual(all_ids, [metrics] + ids[::-1])
        self.assertClientError("BadRequestException", 400, self.ses.list_export_jobs,
                               NextToken="garbage")
        # the control listing, newest first, with statistics and the download URL
        status, _, body = control(self.server, "GET",
                                  f"/_mock/export-jobs?account={self.account}&PageSize=3")
        self.assertEqual(status, 200)
        self.assertEqual([j["JobId"] for j in body["ExportJobs"]], [metrics] + ids[::-1][:2])
        self.assertIn("NextToken", body)
        newest_insights = body["ExportJobs"][1]
        self.assertEqual(newest_insights["Statistics"],
                         {"ProcessedRecordsCount": 4, "ExportedRecordsCount": 4})
        self.assertEqual(newest_insights["DownloadUrl"],
                         f"{self.server.url}/_mock/export-jobs/{ids[2]}/file")

    def test_reset_clears_exports(self):
        self.export("CSV")
        status, _, _ = control(self.server, "POST", "/_mock/reset",
                               {"account": self.account, "region": "us-east-1"})
        self.assertEqual(status, 200)
        self.assertEqual(self.ses.list_export_jobs()["ExportJobs"], [])

    def test_fixtures_seed_export_jobs(self):
        doc = {"Account": self.account, "S3Objects": [
            {"S3Url": "s3://seeded/done.csv", "Body": "MessageId\nm-1\n"}],
            "ExportJobs": [
                {"JobId": "fx-done-" + self.account, "JobStatus": "COMPLETED",
                 "CreatedTimestamp": 1_700_000_000, "CompletedTimestamp": 1_700_000_060,
                 "ExportDataSource": self.insights_source(),
                 "ExportDestination": {"DataFormat": "CSV", "S3Url": "s3://seeded/done.csv"},
                 "Statistics": {"ProcessedRecordsCount": 9, "ExportedRecordsCount": 1}},
                {"JobId": "fx-new-" + self.account, "ExportDataSource": self.insights_source(),
                 "ExportDestination": {"DataFormat": "JSON"}}]}
        status, _, body = control(self.server, "POST", "/_mock/fixtures", doc)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["exportJobs"], 2)
        done = self.ses.get_export_job(JobId="fx-done-" + self.account)
        self.assertEqual((done["JobStatus"], done["Statistics"]),
                         ("COMPLETED", {"ProcessedRecordsCount": 9, "ExportedRecordsCount": 1}))
        self.assertEqual(self.download(done)[1], "MessageId\nm-1\n")
        new = wait_export(self.ses, "fx-new-" + self.account)
        self.assertEqual(new["Statistics"], {"ProcessedRecordsCount": 4, "ExportedRecordsCount": 4})
        bad = {"ExportJobs": [{"JobId": "fx-bad", "ExportDestination": {"DataFormat": "CSV"},
                               "ExportDataSource": {"MessageInsightsDataSource": {
                                   "StartDate": 10, "EndDate": 5}}}]}
        status, _, body = control(self.server, "POST", "/_mock/fixtures", bad)
        self.assertEqual(status, 400)
        self.assertEqual(body["message"], "Fixture rejected at ExportJobs[0]: The StartDate of "
                                          "MessageInsightsDataSource must be earlier than its "
                                          "EndDate.")

    def test_fault_injection(self):
        status, _, _ = control(self.server, "POST", "/_mock/faults",
                               {"operation": "CreateExportJob",
                                "errorCode": "LimitExceededException", "count": 5})
        self.assertEqual(status, 200)
        self.assertClientError("LimitExceededException", 400, self.ses.create_export_job,
                               ExportDataSource=self.insights_source(),
                               ExportDestination={"DataFormat": "CSV"})
        control(self.server, "DELETE", "/_mock/faults")
        self.assertEqual(self.export("CSV")["JobStatus"], "COMPLETED")


if __name__ == "__main__":
    unittest.main()
