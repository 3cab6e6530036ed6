"""Bad and odd input over raw HTTP: the server answers with AWS-style errors, keeps serving.

Requests here are unsigned (SPEC §1: accepted, default account and region).
"""
import json
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UUID_RE, ServerTestCase, error_of, unique_account  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

IMPORT_JOBS = "/v2/email/import-jobs"
GOOD_JOB = {"ImportDestination": {"SuppressionListDestination":
                                  {"SuppressionListImportAction": "PUT"}},
            "ImportDataSource": {"S3Url": "s3://raw-bucket/k.csv", "DataFormat": "CSV"}}


def read_response(sock, timeout):
    """One HTTP response, or whatever arrived before the server closed.

    Returns (raw bytes, status or None, headers, body). Raises socket.timeout when the
    server neither completes a response nor closes within `timeout` seconds.
    """
    sock.settimeout(timeout)
    buf = b""
    while True:
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            lines = head.decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            length = int(headers.get("content-length", "-1"))
            if 0 <= length <= len(rest):
                parts = lines[0].split(" ", 2)
                status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                return buf, status, headers, rest[:length]
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            if not buf:
                return b"", None, {}, b""
            head, _, rest = buf.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ", 2)
            status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            return buf, status, headers, rest
        buf += data


class RawHttpMixin:

    def request(self, method, path, body=None, headers=None):
        """One request on a fresh connection: (status, headers lower-cased, body bytes)."""
        conn = self.server.connection()
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode("utf-8")
            hdrs = {"Content-Type": "application/json"}
            hdrs.update(headers or {})
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def assertAwsError(self, status, headers, body, want_status, want_code=None):
        self.assertEqual(status, want_status, body[:500])
        self.assertRegex(headers.get("x-amzn-requestid", ""), UUID_RE, headers)
        if want_code is not None:
            self.assertEqual(headers.get("x-amzn-errortype"), want_code, headers)
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        doc = json.loads(body)
        self.assertIsInstance(doc, dict)
        self.assertIsInstance(doc.get("message"), str, doc)
        self.assertTrue(doc["message"].strip(), doc)
        return doc["message"]

    def assertStillServing(self):
        status, headers, body = self.request("GET", "/_mock/health")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["status"], "ok")
        self.assertRegex(headers.get("x-amzn-requestid", ""), UUID_RE)
        ses = self.server.client(unique_account())
        ses.put_suppressed_destination(EmailAddress="alive@example.com", Reason="BOUNCE")
        got = ses.get_suppressed_destination(EmailAddress="alive@example.com")
        self.assertEqual(got["SuppressedDestination"]["Reason"], "BOUNCE")


class BadInputTests(RawHttpMixin, ServerTestCase):

    def tearDown(self):
        self.assertStillServing()

    def test_health(self):
        status, headers, body = self.request("GET", "/_mock/health")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "ok")
        self.assertRegex(headers.get("x-amzn-requestid", ""), UUID_RE)

    def test_malformed_json_body(self):
        for path, method in ((IMPORT_JOBS, "POST"), (IMPORT_JOBS + "/list", "POST"),
                             ("/v2/email/suppression/addresses", "PUT")):
            for body in ('{"ImportDestination": ', "{not json}", "\x00\x01garbage", "[1,2"):
                with self.subTest(path=path, body=body):
                    s, h, b = self.request(method, path, body)
                    self.assertAwsError(s, h, b, 400, "BadRequestException")

    def test_body_not_an_object(self):
        for body in ("[]", '"text"', "42", "null"):
            with self.subTest(body=body):
                s, h, b = self.request("POST", IMPORT_JOBS, body)
                self.assertAwsError(s, h, b, 400, "BadRequestException")

    def test_empty_body_on_create(self):
        s, h, b = self.request("POST", IMPORT_JOBS, "")
        self.assertAwsError(s, h, b, 400, "BadRequestException")
        s, h, b = self.request("POST", IMPORT_JOBS, "{}")
        self.assertAwsError(s, h, b, 400, "BadRequestException")

    def test_wrong_json_types(self):
        cases = [
            ("POST", IMPORT_JOBS, dict(GOOD_JOB, ImportDataSource="s3://raw-bucket/k.csv")),
            ("POST", IMPORT_JOBS, dict(GOOD_JOB, ImportDestination=["PUT"])),
            ("POST", IMPORT_JOBS, dict(GOOD_JOB, ImportDataSource={"S3Url": 5,
                                                                   "DataFormat": "CSV"})),
            ("POST", IMPORT_JOBS + "/list", {"PageSize": "10"}),
            ("POST", IMPORT_JOBS + "/list", {"PageSize": 2.5}),
            ("POST", IMPORT_JOBS + "/list", {"NextToken": 7}),
            ("PUT", "/v2/email/suppression/addresses", {"EmailAddress": ["a@example.com"],
                                                         "Reason": "BOUNCE"}),
        ]
        for method, path, body in cases:
            with self.subTest(path=path, body=body):
                s, h, b = self.request(method, path, body)
                self.assertAwsError(s, h, b, 400, "BadRequestException")

    def test_bad_query_parameters(self):
        for query in ("PageSize=abc", "PageSize=0", "Reason=SPAM", "StartDate=yesterday"):
            with self.subTest(query=query):
                s, h, b = self.request("GET", "/v2/email/suppression/addresses?" + query)
                self.assertAwsError(s, h, b, 400, "BadRequestException")

    def test_garbage_request_line(self):
        for garbage in (b"GARBAGE\r\n\r\n", b"\x00\xff\xfe\r\n\r\n",
                        b"GET / HTTP/9.9\r\n\r\n", b"GET /_mock/health HTTP/1.1\r\nNoColon\r\n\r\n"):
            with self.subTest(garbage=garbage):
                with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
                    s.sendall(garbage)
                    try:
                        reply, status, headers, payload = read_response(s, timeout=5)
                    except socket.timeout:
                        self.fail(f"server neither answered nor closed after {garbage!r}")
                if reply:  # a clean close is fine; an answer must be a 4xx AWS-style error
                    self.assertRegex(reply.split(b"\r\n", 1)[0], rb"^HTTP/1\.[01] 4\d\d ",
                                     reply[:300])
                    self.assertAwsError(status, headers, payload, status)

    def test_oversized_header(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000
                      + b"\r\n\r\n")
            try:
                reply, status, headers, payload = read_response(s, timeout=5)
            except socket.timeout:
                self.fail("server hung on an oversized header")
        if reply:
            self.assertRegex(reply.split(b"\r\n", 1)[0], rb"^HTTP/1\.[01] 4\d\d ", reply[:300])
            self.assertAwsError(status, headers, payload, status)

    def test_half_closed_connection(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(b"POST /v2/email/import-jobs HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                      b'{"ImportDest')
            s.shutdown(socket.SHUT_WR)
            self.assertStillServing()  # while that connection is still open
            try:
                reply, _, _, _ = read_response(s, timeout=10)
            except socket.timeout:
                self.fail("server kept a half-closed connection open for 10 s")
            if reply:
                self.assertRegex(reply.split(b"\r\n", 1)[0], rb"^HTTP/1\.[01] 4\d\d ",
                                 reply[:300])
        finally:
            s.close()

    def test_idle_connections_do_not_block_others(self):
        idle = [socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                for _ in range(8)]
        try:
            idle[0].sendall(b"GET /_mock/hea")  # a partial request line
            for _ in range(3):
                self.assertStillServing()
        finally:
            for s in idle:
                s.close()

    def test_unknown_route(self):
        s, h, b = self.request("GET", "/nope")
        msg = self.assertAwsError(s, h, b, 404)
        self.assertIn("GET", msg)
        self.assertIn("/nope", msg)
        s, h, b = self.request("POST", "/v2/email/no-such-thing", "{}")
        msg = self.assertAwsError(s, h, b, 404)
        self.assertIn("POST", msg)
        self.assertIn("/v2/email/no-such-thing", msg)

    def test_unimplemented_operation(self):
        ses = self.server.client(unique_account())
        # Operations nobody implements (GetAccount and ListEmailIdentities now are).
        for call, op in ((ses.get_deliverability_dashboard_options, "GetDeliverabilityDashboardOptions"),
                         (ses.list_dedicated_ip_pools, "ListDedicatedIpPools")):
            with self.subTest(op=op):
                with self.assertRaises(ClientError) as cm:
                    call()
                code, status, message = error_of(cm.exception)
                self.assertEqual(status, 501, cm.exception.response)
                self.assertIn(op, message)
                self.assertRegex(cm.exception.response["ResponseMetadata"].get("RequestId", ""),
                                 UUID_RE)
        s, h, b = self.request("GET", "/v2/email/deliverability-dashboard")
        msg = self.assertAwsError(s, h, b, 501)
        self.assertIn("GetDeliverabilityDashboardOptions", msg)

    def test_request_ids_are_fresh_uuids(self):
        ses = self.server.client(unique_account())
        ids = set()
        r = ses.list_import_jobs()
        ids.add(r["ResponseMetadata"]["RequestId"])
        r = ses.put_suppressed_destination(EmailAddress="rid@example.com", Reason="BOUNCE")
        ids.add(r["ResponseMetadata"]["RequestId"])
        try:
            ses.get_import_job(JobId="nope")
            self.fail("GetImportJob of an unknown id succeeded")
        except ClientError as e:
            ids.add(e.response["ResponseMetadata"]["RequestId"])
        for _ in range(2):
            _, h, _ = self.request("GET", "/_mock/health")
            ids.add(h.get("x-amzn-requestid"))
        self.assertEqual(len(ids), 5, ids)
        for rid in ids:
            self.assertRegex(rid or "", UUID_RE)

    def test_wire_format_of_success_and_error(self):
        bucket_dir = os.path.join(self.server.s3_dir, "raw-bucket")
        os.makedirs(bucket_dir, exist_ok=True)
        with open(os.path.join(bucket_dir, "k.csv"), "w") as f:
            f.write("wire@example.com,BOUNCE\n")
        account_headers = {}  # unsigned: default account 000000000000, us-east-1
        s, h, b = self.request("POST", IMPORT_JOBS, GOOD_JOB, account_headers)
        self.assertEqual(s, 200, b)
        self.assertTrue(h["content-type"].startswith("application/json"))
        job_id = json.loads(b)["JobId"]
        deadline = time.monotonic() + 20
        while True:
            s, h, b = self.request("GET", f"{IMPORT_JOBS}/{job_id}")
            self.assertEqual(s, 200, b)
            doc = json.loads(b)
            if doc["JobStatus"] in ("COMPLETED", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(doc["JobStatus"], "COMPLETED", doc)
        # Timestamps are epoch seconds as JSON numbers.
        for field in ("CreatedTimestamp", "CompletedTimestamp"):
            self.assertIsInstance(doc[field], (int, float), doc)
            self.assertNotIsInstance(doc[field], bool)
            self.assertLess(abs(doc[field] - time.time()), 120, doc)
        # The older GET-with-body form of ListImportJobs.
        s, h, b = self.request("GET", IMPORT_JOBS, {"PageSize": 1})
        self.assertEqual(s, 200, b)
        self.assertIn(job_id, [j["JobId"] for j in json.loads(b)["ImportJobs"]])
        # A success with no output is {}.
        s, h, b = self.request("PUT", "/v2/email/suppression/addresses",
                               {"EmailAddress": "wire2@example.com", "Reason": "BOUNCE"})
        self.assertEqual(s, 200, b)
        self.assertEqual(json.loads(b), {})
        # The error body is exactly {"message": ...}.
        s, h, b = self.request("GET", f"{IMPORT_JOBS}/no-such-job")
        self.assertAwsError(s, h, b, 404, "NotFoundException")
        self.assertEqual(set(json.loads(b)), {"message"})
        # Path labels: split first, then percent-decode each segment.
        s, h, b = self.request("GET", "/v2/email/suppression/addresses/wire2%40example.com")
        self.assertEqual(s, 200, b)
        self.assertEqual(json.loads(b)["SuppressedDestination"]["EmailAddress"],
                         "wire2@example.com")
        self.assertIsInstance(json.loads(b)["SuppressedDestination"]["LastUpdateTime"],
                              (int, float))
        s, h, b = self.request("GET", "/v2/email/suppression/addresses/a%2Fb%40example.com")
        self.assertIn(s, (400, 404), b)  # one segment holding '/', not a different route
        self.assertAwsError(s, h, b, s)


class BodyLimitTests(RawHttpMixin, ServerTestCase):
    server_args = ("--max-body-bytes", "1024")

    def test_body_over_limit_is_413(self):
        body = json.dumps(dict(GOOD_JOB, Padding="x" * 4096)).encode()
        self.assertGreater(len(body), 4096)
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"POST /v2/email/import-jobs HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            try:
                reply, status, headers, payload = read_response(s, timeout=5)
            except socket.timeout:
                self.fail("no reply and no close after an oversized body")
        self.assertTrue(reply, "connection closed without a reply to an oversized body")
        self.assertRegex(reply.split(b"\r\n", 1)[0], rb"^HTTP/1\.1 413 ", reply[:300])
        self.assertAwsError(status, headers, payload, 413)
        self.assertStillServing()

    def test_body_under_limit_is_fine(self):
        ses = self.server.client(unique_account())
        ses.put_suppressed_destination(EmailAddress="small@example.com", Reason="BOUNCE")
        self.assertStillServing()


if __name__ == "__main__":
    unittest.main(verbosity=2)
