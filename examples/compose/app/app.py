"""An application that sends through SES v2, with sesv2-mock as its endpoint.

It does what a real service does at start and at work: make sure its sender identity is
there, import a suppression list, send mail. Then, being a demo, it reads the mock's
captured mail (/_mock/messages) and checks that SES's rules were applied: the imported
addresses were suppressed, the others delivered, and the mailbox simulator's ooto@ address
answered with an out-of-the-office reply. Exit status 0 when every check held.

Settings (environment): SES_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
SUPPRESSION_LIST_URL.
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import boto3

ENDPOINT = os.environ.get("SES_ENDPOINT", "http://localhost:4579")
REGION = os.environ.get("AWS_REGION", "us-east-1")
ACCOUNT = os.environ.get("AWS_ACCESS_KEY_ID", "123456789012")
LIST_URL = os.environ.get("SUPPRESSION_LIST_URL", "s3://lists/suppression.csv")
SENDER = "app@example.com"
RECIPIENTS = ["blocked@example.com", "friend@example.com", "ooto@simulator.amazonses.com"]
JOB_TIMEOUT_S = 30

failures = []


def check(what, got, expected):
    ok = got == expected
    print(("ok   " if ok else "FAIL ") + f"{what}: {got!r}" + ("" if ok else f" (expected {expected!r})"))
    if not ok:
        failures.append(what)


def mock_get(path, **query):
    query.update(account=ACCOUNT, region=REGION)
    url = f"{ENDPOINT}{path}?{urllib.parse.urlencode(query)}"
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


def main():
    ses = boto3.client("sesv2", endpoint_url=ENDPOINT, region_name=REGION)

    ses.create_email_identity(EmailIdentity="example.com")
    print(f"identity example.com: {ses.get_email_identity(EmailIdentity='example.com')['VerificationStatus']}")

    job_id = ses.create_import_job(
        ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
        ImportDataSource={"S3Url": LIST_URL, "DataFormat": "CSV"})["JobId"]
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while True:
        job = ses.get_import_job(JobId=job_id)
        if job["JobStatus"] in ("COMPLETED", "FAILED") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    check("suppression import", (job["JobStatus"], job.get("ProcessedRecordsCount"), job.get("FailedRecordsCount")),
          ("COMPLETED", 2, 0))

    message_id = ses.send_email(
        FromEmailAddress=f"Example App <{SENDER}>",
        Destination={"ToAddresses": RECIPIENTS},
        Content={"Simple": {"Subject": {"Data": "Your weekly report"},
                            "Body": {"Text": {"Data": "Hello from the example app."}}}})["MessageId"]
    print(f"sent {message_id}")

    sent = mock_get(f"/_mock/messages/{message_id}")
    check("fates", {r["Address"]: r["Fate"] for r in sent["Recipients"]},
          {"blocked@example.com": "SUPPRESSED", "friend@example.com": "DELIVERED",
           "ooto@simulator.amazonses.com": "DELIVERED"})
    insights = ses.get_message_insights(MessageId=message_id)["Insights"]
    check("events of blocked@example.com",
          [e["Type"] for i in insights if i["Destination"] == "blocked@example.com" for e in i["Events"]],
          ["SEND", "BOUNCE"])

    replies = mock_get("/_mock/messages", sender="ooto@simulator.amazonses.com")["Messages"]
    check("out-of-the-office replies",
          [(m["Subject"], [r["Address"] for r in m["Recipients"]]) for m in replies],
          [("Auto: Your weekly report", [SENDER])])

    if failures:
        print(f"example app: {len(failures)} check(s) failed: {', '.join(failures)}")
        return 1
    print("example app: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
