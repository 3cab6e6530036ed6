"""Shared pieces of the end-to-end tests: run the real sesv2-mock binary, talk to it.

Each test module starts its own server(s) on a free port (`--port 0`, the port is read
from the ready line), in a fresh temporary directory holding the database and the S3
folder. When a test of a class fails, the directory is kept and its path and the tail
of the server log are printed, so the state can be inspected afterwards. Set
SESV2_E2E_KEEP=1 to keep it always.

Environment (ctest sets both):
  SESV2_MOCK_BIN  absolute path of the server binary (default <repo>/build/bin/sesv2-mock)
  PYTHON          the interpreter with boto3 (only used to locate the AWS CLI)
"""
from __future__ import annotations

import http.client
import itertools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_BIN = os.path.join(REPO_ROOT, "build", "bin", "sesv2-mock")
READY_RE = re.compile(r"sesv2-mock listening on (http://127\.0\.0\.1:(\d+))")
FINAL_STATES = ("COMPLETED", "FAILED", "CANCELLED")
DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def server_binary() -> str:
    return os.environ.get("SESV2_MOCK_BIN") or DEFAULT_BIN


def python_executable() -> str:
    return os.environ.get("PYTHON") or sys.executable


def aws_cli() -> str | None:
    """The AWS CLI v1 installed next to the Python that has boto3 (pyenv), else PATH."""
    candidates = [
        os.path.join(os.path.dirname(python_executable()), "aws"),
        os.path.join(os.path.dirname(sys.executable), "aws"),
        os.path.expanduser("~/.pyenv/shims/aws"),
    ]
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return shutil.which("aws")


_account_counter = itertools.count(1)


def unique_account() -> str:
    """A 12-digit account id no other test in this process uses (state isolation)."""
    return "3%011d" % (os.getpid() % 1000 * 10_000_000 + next(_account_counter))


class MockServer:
    """One sesv2-mock process. `start()` blocks until the ready line is printed."""

    def __init__(self, workdir: str, *extra_args: str, db: str | None = None,
                 s3_dir: str | None = None, name: str = "server"):
        self.workdir = workdir
        self.name = name
        self.db = db if db is not None else os.path.join(workdir, "sesv2-mock.db")
        self.s3_dir = s3_dir if s3_dir is not None else os.path.join(workdir, "s3")
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen | None = None
        self.url: str | None = None
        self.port: int | None = None
        self._starts = 0
        self.log_path: str | None = None
        os.makedirs(self.s3_dir, exist_ok=True)

    # -- lifecycle ---------------------------------------------------------------------
    def command(self, extra_args=None) -> list[str]:
        args = self.extra_args if extra_args is None else list(extra_args)
        return [server_binary(), "--host", "127.0.0.1", "--port", "0", "--db", self.db,
                "--s3-dir", self.s3_dir, *args]

    def start(self, extra_args=None, timeout: float = 10.0) -> "MockServer":
        binary = server_binary()
        if not os.path.isfile(binary):
            raise AssertionError(f"server binary not found: {binary} (build it, or set SESV2_MOCK_BIN)")
        self._starts += 1
        self.log_path = os.path.join(self.workdir, f"{self.name}.{self._starts}.log")
        log = open(self.log_path, "wb")
        cmd = self.command(extra_args)
        log.write(("$ " + " ".join(cmd) + "\n").encode())
        log.flush()
        # The server reads SESV2_MOCK_* twins of its flags; keep the caller's out of it.
        env = {k: v for k, v in os.environ.items() if not k.startswith("SESV2_MOCK_")}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, env=env,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        lines: queue.Queue = queue.Queue()

        def drain(stream, sink):
            # Forward every stdout line to the queue (for the ready line) and the log.
            for raw in iter(stream.readline, b""):
                lines.put(raw)
                sink.write(raw)
                sink.flush()
            lines.put(None)
            sink.close()

        self._drain = threading.Thread(target=drain, args=(self.proc.stdout, log), daemon=True)
        self._drain.start()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise AssertionError(f"{self.name}: no ready line within {timeout}s\n"
                                     + self.log_tail())
            try:
                raw = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if raw is None:
                rc = self.proc.wait(timeout=5)
                raise AssertionError(f"{self.name}: exited with {rc} before ready\n"
                                     + self.log_tail())
            m = READY_RE.search(raw.decode("utf-8", "replace"))
            if m:
                self.url = m.group(1)
                self.port = int(m.group(2))
                return self

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait; SIGKILL if it does not go. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode
        self.reap()
        return rc

    def reap(self) -> None:
        # The process is gone: let the drain thread hit EOF, then close the pipe.
        if self.proc is not None:
            if getattr(self, "_drain", None) is not None:
                self._drain.join(timeout=5)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
        self.proc = None

    def kill(self) -> None:
        """kill -9, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.reap()

    def log_tail(self, n: int = 40) -> str:
        if not self.log_path or not os.path.exists(self.log_path):
            return "(no log)"
        with open(self.log_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return f"--- {self.log_path} (last {n} lines) ---\n" + "\n".join(text.splitlines()[-n:])

    # -- clients -----------------------------------------------------------------------
    def client(self, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION,
               validate: bool = True, access_key: str | None = None):
        """A boto3 sesv2 client signing as `account` (the access key id) in `region`."""
        cfg = Config(retries={"mode": "standard", "max_attempts": 1},
                     parameter_validation=validate, connect_timeout=5, read_timeout=30)
        return boto3.session.Session().client(
            "sesv2", endpoint_url=self.url, region_name=region,
            aws_access_key_id=access_key or account, aws_secret_access_key="x",
            config=cfg)

    # -- S3 objects --------------------------------------------------------------------
    def write_s3(self, bucket: str, key: str, content) -> str:
        """Write an object the server reads for s3://bucket/key; returns that URL."""
        path = os.path.join(self.s3_dir, bucket, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(path, "wb") as f:
            f.write(data)
        return f"s3://{bucket}/{key}"

    # -- raw HTTP ----------------------------------------------------------------------
    def connection(self, timeout: float = 10.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def health(self) -> tuple[int, bytes]:
        status, _, body = http_get(self.url + "/_mock/health")
        return status, body


def http_get(url: str, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """Plain unauthenticated GET (as of a pre-signed URL). Returns (status, headers, body)."""
    req = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def wait_for_job(client, job_id: str, states=FINAL_STATES, timeout: float = 20.0,
                 interval: float = 0.05) -> dict:
    """Poll GetImportJob until JobStatus is one of `states`; returns that response."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = client.get_import_job(JobId=job_id)
        if last.get("JobStatus") in states:
            return last
        time.sleep(interval)
    raise AssertionError(f"job {job_id} not in {states} after {timeout}s; last: {last}")


def control(server, method, path, body=None, raw=None):
    """A control-API (or any) request: (status, lower-cased headers, parsed JSON or None)."""
    conn = server.connection()
    try:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        conn.request(method, path, body=data,
                     headers={"Content-Type": "application/json"} if data is not None else {})
        resp = conn.getresponse()
        payload = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    return resp.status, headers, (json.loads(payload) if payload else None)


def error_of(exc: ClientError) -> tuple[str, int, str]:
    """(code, HTTP status, message) of a boto3 ClientError."""
    err = exc.response.get("Error", {})
    return (err.get("Code"), exc.response["ResponseMetadata"]["HTTPStatusCode"],
            err.get("Message", ""))


def suppression_import(client, s3_url: str, action: str = "PUT", fmt: str = "CSV") -> str:
    resp = client.create_import_job(
        ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": action}},
        ImportDataSource={"S3Url": s3_url, "DataFormat": fmt})
    return resp["JobId"]


def list_all_suppressed(client, page_size: int = 1000, **filters) -> list[dict]:
    out, token = [], None
    while True:
        kwargs = dict(filters, PageSize=page_size)
        if token:
            kwargs["NextToken"] = token
        resp = client.list_suppressed_destinations(**kwargs)
        out.extend(resp.get("SuppressedDestinationSummaries", []))
        token = resp.get("NextToken")
        if not token:
            return out


class ServerTestCase(unittest.TestCase):
    """Starts one server per test class (`server_args` are extra flags).

    The temp dir is removed after the class unless a test failed or SESV2_E2E_KEEP=1.
    """

    server_args: tuple = ()
    server: MockServer
    workdir: str

    @classmethod
    def setUpClass(cls):
        cls._failed = False
        cls.workdir = tempfile.mkdtemp(prefix=f"sesv2-e2e-{cls.__name__}-")
        cls.server = MockServer(cls.workdir, *cls.server_args)
        try:
            cls.server.start()
        except BaseException:
            cls._failed = True
            cls._cleanup_workdir()
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls._cleanup_workdir()
        if rc not in (0, None):
            raise AssertionError(f"server exited with {rc} on SIGTERM\n{cls.server.log_tail()}")

    @classmethod
    def _cleanup_workdir(cls):
        if cls._failed or os.environ.get("SESV2_E2E_KEEP"):
            sys.stderr.write(f"\n[harness] kept {cls.workdir}\n")
            if cls._failed and getattr(cls, "server", None) is not None:
                sys.stderr.write(cls.server.log_tail() + "\n")
        else:
            shutil.rmtree(cls.workdir, ignore_errors=True)

    def run(self, result=None):
        before = (len(result.failures), len(result.errors)) if result is not None else None
        out = super().run(result)
        if result is not None and (len(result.failures), len(result.errors)) != before:
            type(self)._failed = True
        return out

    # -- helpers -----------------------------------------------------------------------
    def assertClientError(self, code: str, status: int, fn, *args, **kwargs) -> str:
        """Call fn; require a ClientError with that code and HTTP status. Returns message."""
        try:
            resp = fn(*args, **kwargs)
        except ClientError as e:
            got_code, got_status, message = error_of(e)
            self.assertEqual((got_code, got_status), (code, status),
                             f"wrong error; message: {message!r}")
            return message
        self.fail(f"expected {code} ({status}), got success: {resp}")
