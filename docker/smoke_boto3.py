#!/usr/bin/env python3
"""boto3 steps for docker/smoke.sh: one subcommand per step, exit 0 when it held.

  import  ENDPOINT S3URL FORMAT PROCESSED FAILED ADDRESS REASON
      CreateImportJob into the suppression list (PUT), poll GetImportJob until
      the job ends, require COMPLETED with exactly PROCESSED / FAILED records,
      then GetSuppressedDestination(ADDRESS) must give REASON. Prints the job id
      as the last line.
  check   ENDPOINT JOBID PROCESSED FAILED ADDRESS REASON
      The job is still there (GetImportJob, same state and counts) and so is the
      suppressed address: used after a container restart on the same volume.
  fails   ENDPOINT S3URL
      A job whose object is missing ends FAILED with a FailureInfo message.
  fixture ENDPOINT FILE...
      Every final import job (COMPLETED, FAILED, CANCELLED) in the default
      account and region of the fixture files is there with its state and counts.
"""
import json
import sys
import time

import boto3
from botocore.config import Config

POLL_SECONDS = 30


def client(endpoint):
    return boto3.client(
        "sesv2",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )


def require(cond, what):
    if not cond:
        raise AssertionError(what)


def wait_for_end(ses, job_id):
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        job = ses.get_import_job(JobId=job_id)
        if job["JobStatus"] in ("COMPLETED", "FAILED", "CANCELLED"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['JobStatus']} after {POLL_SECONDS}s")
        time.sleep(0.1)


def create(ses, s3url, fmt):
    return ses.create_import_job(
        ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
        ImportDataSource={"S3Url": s3url, "DataFormat": fmt},
    )["JobId"]


def check_job(job, processed, failed):
    require(job["JobStatus"] == "COMPLETED",
            f"JobStatus {job['JobStatus']} (failure: {job.get('FailureInfo')})")
    require(job.get("ProcessedRecordsCount") == processed,
            f"ProcessedRecordsCount {job.get('ProcessedRecordsCount')}, expected {processed}")
    require(job.get("FailedRecordsCount") == failed,
            f"FailedRecordsCount {job.get('FailedRecordsCount')}, expected {failed}")


def check_address(ses, address, reason):
    got = ses.get_suppressed_destination(EmailAddress=address)["SuppressedDestination"]
    require(got["EmailAddress"] == address, f"EmailAddress {got['EmailAddress']!r}")
    require(got["Reason"] == reason, f"Reason {got['Reason']!r}, expected {reason!r}")


def main(argv):
    cmd, endpoint, rest = argv[1], argv[2], argv[3:]
    ses = client(endpoint)
    if cmd == "import":
        s3url, fmt, processed, failed, address, reason = rest
        job_id = create(ses, s3url, fmt)
        job = wait_for_end(ses, job_id)
        check_job(job, int(processed), int(failed))
        check_address(ses, address, reason)
        listed = [j["JobId"] for j in ses.list_import_jobs(PageSize=100)["ImportJobs"]]
        require(job_id in listed, f"job {job_id} missing from ListImportJobs")
        print(f"job {job_id}: COMPLETED, {processed} processed, {failed} failed; {address} is {reason}")
        print(job_id)
    elif cmd == "check":
        job_id, processed, failed, address, reason = rest
        job = ses.get_import_job(JobId=job_id)
        check_job(job, int(processed), int(failed))
        check_address(ses, address, reason)
        print(f"job {job_id} kept: COMPLETED, {processed} processed, {failed} failed; {address} still {reason}")
    elif cmd == "fails":
        (s3url,) = rest
        job = wait_for_end(ses, create(ses, s3url, "CSV"))
        require(job["JobStatus"] == "FAILED", f"JobStatus {job['JobStatus']}, expected FAILED")
        message = (job.get("FailureInfo") or {}).get("ErrorMessage", "")
        require(message, "FAILED job without FailureInfo.ErrorMessage")
        print(f"missing object: FAILED with {message!r}")
    elif cmd == "fixture":
        seen = 0
        for path in rest:
            with open(path) as f:
                doc = json.load(f)
            if doc.get("Account", "000000000000") != "000000000000" or doc.get("Region", "us-east-1") != "us-east-1":
                continue
            for want in doc.get("ImportJobs", []):
                if want.get("JobStatus") not in ("COMPLETED", "FAILED", "CANCELLED"):
                    continue
                if want.get("Account", "000000000000") != "000000000000" or want.get("Region", "us-east-1") != "us-east-1":
                    continue
                got = ses.get_import_job(JobId=want["JobId"])
                require(got["JobStatus"] == want["JobStatus"],
                        f"fixture job {want['JobId']}: {got['JobStatus']}, expected {want['JobStatus']}")
                for key in ("ProcessedRecordsCount", "FailedRecordsCount"):
                    if key in want:
                        require(got.get(key) == want[key], f"fixture job {want['JobId']}: {key} {got.get(key)}")
                seen += 1
        require(seen > 0, "no final import job in the fixture files")
        print(f"{seen} fixture job(s) loaded as written")
    else:
        raise SystemExit(f"unknown step {cmd}")


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Exception as exc:  # one line the shell script can show
        print(f"FAIL: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
