"""The AWS SDK for Go v2 as Debian ships it against sesv2-mock.

tests/e2e/go/main.go is built offline in GOPATH mode against
golang-github-aws-aws-sdk-go-v2-dev (1.17.x, sources under /usr/share/gocode) with
golang-go (1.19): no module proxy is needed. The program calls CreateImportJob,
GetImportJob (polling), ListImportJobs (the older `GET /v2/email/import-jobs?PageSize=..&NextToken=..`
with `{ImportDestinationType}` as a JSON body), GetImportJob of an unknown id, CreateImportJob with a bad DataFormat,
PutSuppressedDestination and GetSuppressedDestination, and prints one JSON document; this
test checks it value by value. This SDK reads error bodies' lowercase `message` only and
needs timestamps as epoch numbers, so it is the strictest client of the wire format.

Install the toolchain and SDK with tools/install-deps.sh.
Environment: SESV2_E2E_GO (the go command, default `go` on PATH or /usr/bin/go),
SESV2_E2E_GOPATH (default /usr/share/gocode), SESV2_E2E_GO_TRACE=1 (the program logs
every request and response with bodies to stderr).
"""
import json
import os
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UUID4_RE, UUID_RE, ServerTestCase, unique_account  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GO_SRC = os.path.join(HERE, "go", "main.go")
GOPATH = os.environ.get("SESV2_E2E_GOPATH", "/usr/share/gocode")
SDK_DIR = os.path.join(GOPATH, "src", "github.com", "aws", "aws-sdk-go-v2", "service", "sesv2")
UNKNOWN_JOB = "00000000-0000-4000-8000-000000000000"
CSV = ("go+1@example.com,BOUNCE\n"
       "go-2@example.com,COMPLAINT\n"
       "go-3@example.com,BOUNCE\n"
       "not-an-address,BOUNCE\n")


def go_command() -> str | None:
    return os.environ.get("SESV2_E2E_GO") or shutil.which("go") or (
        "/usr/bin/go" if os.path.exists("/usr/bin/go") else None)


def build_program(out_path: str, workdir: str) -> float:
    """go build, offline, GOPATH mode. Returns the seconds it took."""
    go = go_command()
    if go is None:
        raise AssertionError("go not found: run tools/install-deps.sh")
    if not os.path.isdir(SDK_DIR):
        raise AssertionError(f"{SDK_DIR} missing: install golang-github-aws-aws-sdk-go-v2-dev "
                             "(tools/install-deps.sh)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "SESV2_MOCK_"))}
    env.update({"GO111MODULE": "off", "GOPATH": GOPATH, "GOPROXY": "off", "GOFLAGS": "",
                "GOTOOLCHAIN": "local"})
    if os.environ.get("GOCACHE"):
        env["GOCACHE"] = os.environ["GOCACHE"]
    elif not os.environ.get("HOME"):
        env["GOCACHE"] = os.path.join(workdir, "gocache")
    started = time.monotonic()
    proc = subprocess.run([go, "build", "-o", out_path, GO_SRC], env=env, cwd=workdir,
                          capture_output=True, text=True, timeout=900)
    took = time.monotonic() - started
    if proc.returncode != 0:
        raise AssertionError(f"go build failed ({proc.returncode}) after {took:.1f}s\n"
                             f"{proc.stdout}{proc.stderr}")
    return took


class GoSdkTests(ServerTestCase):
    """One run of the Go program; each test checks a part of what it printed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.binary = os.path.join(cls.workdir, "sesv2-go-e2e")
            cls.build_seconds = build_program(cls.binary, cls.workdir)
            sys.stderr.write(f"\n[go] built {GO_SRC} in {cls.build_seconds:.1f}s\n")
            cls.account = unique_account()
            cls.csv_url = cls.server.write_s3("go-bucket", f"{cls.account}/in.csv", CSV)
            cmd = [cls.binary, "-endpoint", cls.server.url, "-account", cls.account,
                   "-csv-url", cls.csv_url]
            if os.environ.get("SESV2_E2E_GO_TRACE"):
                cmd.append("-trace")
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                                  stdin=subprocess.DEVNULL)
            cls.stderr = proc.stderr
            if os.environ.get("SESV2_E2E_GO_TRACE"):
                sys.stderr.write(proc.stderr)
            if proc.returncode != 0:
                raise AssertionError(f"Go program exited {proc.returncode}\nstdout: {proc.stdout}\n"
                                     f"stderr: {proc.stderr}")
            cls.out = json.loads(proc.stdout)
        except BaseException:
            cls._failed = True
            cls.server.stop()
            cls._cleanup_workdir()
            raise

    def api_error(self, key):
        err = self.out[key]
        self.assertIsNotNone(err, f"{key}: the call succeeded, an error was expected")
        return err

    def assertAround(self, value, low, high, what):
        self.assertIsInstance(value, (int, float), what)
        self.assertTrue(low <= value <= high, f"{what}: {value} not in [{low}, {high}]")

    def test_create_and_poll_until_completed(self):
        out, job = self.out, self.out["job"]
        self.assertRegex(out["createdJobId"], UUID4_RE)
        self.assertGreaterEqual(out["polls"], 1)
        expected = {
            "JobId": out["createdJobId"],
            "JobStatus": "COMPLETED",
            "ProcessedRecordsCount": 4,
            "FailedRecordsCount": 1,
            "S3Url": self.csv_url,
            "DataFormat": "CSV",
            "SuppressionListImportAction": "PUT",
            "HasFailedRecordsS3Url": True,
            "FailureErrorMessage": None,
        }
        self.assertEqual({k: job[k] for k in expected}, expected)

    def test_timestamps_are_read_as_epoch_numbers(self):
        out, job = self.out, self.out["job"]
        low, high = int(out["clientTimeBefore"]) - 2, out["clientTimeAfter"] + 2
        self.assertAround(job["CreatedTimestamp"], low, high, "CreatedTimestamp")
        self.assertEqual(job["CreatedTimestamp"], int(job["CreatedEpoch"]))
        self.assertAround(job["CompletedTimestamp"], job["CreatedTimestamp"], high,
                          "CompletedTimestamp")
        self.assertGreaterEqual(job["CompletedEpoch"], job["CreatedEpoch"])
        # The same instant as boto3 reads it (fractions included, to the millisecond).
        boto = self.server.client(self.account).get_import_job(JobId=out["createdJobId"])
        self.assertAlmostEqual(boto["CreatedTimestamp"].timestamp(), job["CreatedEpoch"], places=3)
        self.assertAlmostEqual(boto["CompletedTimestamp"].timestamp(), job["CompletedEpoch"],
                               places=3)

    def test_list_import_jobs_pages_of_two(self):
        out = self.out
        ids = out["createdJobIds"]
        self.assertEqual(len(set(ids)), 5)
        self.assertEqual(out["list"]["pageSizes"], [2, 2, 1])
        self.assertEqual(out["list"]["jobIds"], list(reversed(ids)))  # newest first
        self.assertEqual(out["list"]["createdTimestamps"], [True] * 5)
        self.assertEqual(out["paginatorPageSizes"], [2, 2, 1])
        self.assertEqual(out["listSuppressionListCount"], 5)
        self.assertEqual(out["listContactListCount"], 0)

    def test_forged_next_token(self):
        err = self.api_error("forgedTokenError")
        self.assertEqual((err["code"], err["httpStatus"], err["typedBadRequest"]),
                         ("BadRequestException", 400, True), err)
        self.assertNotEqual(err["message"], "")

    def test_unknown_job_error_code_and_message(self):
        err = self.api_error("unknownJobError")
        self.assertEqual((err["code"], err["httpStatus"], err["typedNotFound"]),
                         ("NotFoundException", 404, True), err)
        self.assertRegex(err["requestId"], UUID_RE)
        self.assertIn(UNKNOWN_JOB, err["message"])
        # The message the Go SDK read from `message` is the one boto3 reads.
        try:
            self.server.client(self.account).get_import_job(JobId=UNKNOWN_JOB)
            self.fail("boto3: expected NotFoundException")
        except Exception as e:  # botocore ClientError
            self.assertEqual(e.response["Error"]["Message"], err["message"])

    def test_bad_data_format_reaches_the_server(self):
        # The Go SDK does not check enum values: the server's validation answers.
        err = self.api_error("badFormatError")
        self.assertEqual((err["code"], err["httpStatus"], err["typedBadRequest"]),
                         ("BadRequestException", 400, True), err)
        self.assertIn("importDataSource.dataFormat", err["message"])
        self.assertIn("Member must satisfy enum value set: [CSV, JSON]", err["message"])
        self.assertEqual(self.out["listSuppressionListCount"], 5)  # not stored

    def test_suppressed_destinations(self):
        out = self.out
        low, high = int(out["clientTimeBefore"]) - 2, time.time() + 2
        imported = dict(out["imported"])
        self.assertAround(imported.pop("LastUpdateTime"), low, high, "imported LastUpdateTime")
        self.assertEqual(imported, {"EmailAddress": "go+1@example.com", "Reason": "BOUNCE"})

        put = dict(out["suppressed"])
        self.assertAround(put.pop("LastUpdateTime"), int(out["putBefore"]) - 2, high,
                          "LastUpdateTime")
        self.assertIsInstance(put.pop("LastUpdateEpoch"), float)
        self.assertEqual(put, {"EmailAddress": "go-put@example.com", "Reason": "COMPLAINT"})

        err = self.api_error("unknownAddressError")
        self.assertEqual((err["code"], err["httpStatus"], err["typedNotFound"]),
                         ("NotFoundException", 404, True), err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
