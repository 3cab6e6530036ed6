"""Running out of file descriptors (issue 12, defect 4): with nofile=1024 (soft and hard, so
the server cannot raise it) and 1,100 idle connections that sent half a request head, health
still answers within 100 ms, because at the connection cap the oldest idle connection is
closed. --max-connections caps lower, and busy connections are never the ones closed."""
import os
import resource
import socket
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import MockServer  # noqa: E402

PARTIAL_HEAD = b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n"
HEALTH_BUDGET_S = 0.100


def open_partial(port, n):
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(PARTIAL_HEAD)
        conns.append(s)
    return conns


def timed_health(url):
    started = time.monotonic()
    with urllib.request.urlopen(url + "/_mock/health", timeout=30) as resp:
        status = resp.status
    return status, time.monotonic() - started


def closed_by_peer(sock):
    sock.settimeout(2)
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return isinstance(sys.exc_info()[1], ConnectionResetError)


class LimitedServer(MockServer):
    def __init__(self, workdir, prefix, *args):
        super().__init__(workdir, *args)
        self.prefix = prefix

    def command(self, extra_args=None):
        return [*self.prefix, *super().command(extra_args)]


class ConnectionLimitTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))

    def start(self, prefix, *args):
        import tempfile
        server = LimitedServer(tempfile.mkdtemp(prefix="sesv2-e2e-conn-"), prefix, *args).start()
        self.addCleanup(server.stop)
        return server

    def test_health_stays_fast_with_1100_idle_connections_at_nofile_1024(self):
        server = self.start(["prlimit", "--nofile=1024:1024"])
        conns = open_partial(server.port, 1100)
        self.addCleanup(lambda: [c.close() for c in conns])
        status, took = timed_health(server.url)
        self.assertEqual(status, 200)
        self.assertLess(took, HEALTH_BUDGET_S, f"health took {took * 1000:.1f} ms")
        # The oldest idle connections were the ones closed.
        self.assertTrue(closed_by_peer(conns[0]))

    def test_max_connections_closes_the_oldest_idle_one(self):
        server = self.start([], "--max-connections", "20")
        conns = open_partial(server.port, 20)
        self.addCleanup(lambda: [c.close() for c in conns])
        status, took = timed_health(server.url)
        self.assertEqual(status, 200)
        self.assertLess(took, HEALTH_BUDGET_S)
        self.assertTrue(closed_by_peer(conns[0]))
        # A younger one is still open: it can finish its request.
        conns[-1].sendall(b"\r\n")
        conns[-1].settimeout(5)
        self.assertTrue(conns[-1].recv(64).startswith(b"HTTP/1.1 200"))


READ_TIMEOUT_MS = 400


def seconds_until_closed(sock, limit_s=5.0):
    """Seconds until the server closes `sock` (recv gives b"" or a reset); None if it did not
    within limit_s."""
    started = time.monotonic()
    sock.settimeout(limit_s)
    try:
        data = sock.recv(64)
    except ConnectionResetError:
        return time.monotonic() - started
    except socket.timeout:
        return None
    return time.monotonic() - started if data == b"" else None


class ReadTimeoutTests(unittest.TestCase):
    """--read-timeout-ms: a connection that is silent or slow in the middle of a request is
    closed after about that long, without an answer; one that keeps sending requests is not."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.server = MockServer(tempfile.mkdtemp(prefix="sesv2-e2e-timeout-"),
                                "--read-timeout-ms", str(READ_TIMEOUT_MS)).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        self.addCleanup(s.close)
        return s

    def assert_closed_after_timeout(self, sock):
        took = seconds_until_closed(sock)
        self.assertIsNotNone(took, "the connection stayed open")
        # Not before the timeout (less the time spent sending), and not long after it.
        self.assertGreaterEqual(took, READ_TIMEOUT_MS / 1000 * 0.75)
        self.assertLess(took, READ_TIMEOUT_MS / 1000 + 2.0)

    def test_a_silent_connection_is_closed(self):
        self.assert_closed_after_timeout(self.connect())

    def test_half_a_request_head_is_closed_without_an_answer(self):
        s = self.connect()
        s.sendall(PARTIAL_HEAD)
        self.assert_closed_after_timeout(s)

    def test_half_a_body_is_closed_without_an_answer(self):
        s = self.connect()
        s.sendall(b"POST /v2/email/import-jobs HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
        self.assert_closed_after_timeout(s)

    def test_a_connection_that_keeps_asking_stays_open(self):
        s = self.connect()
        request = b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n"
        started = time.monotonic()
        answers = 0
        # Three timeouts long, a request every third of a timeout.
        while time.monotonic() - started < 3 * READ_TIMEOUT_MS / 1000:
            s.sendall(request)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = s.recv(4096)
                self.assertNotEqual(chunk, b"", f"closed after {answers} answers")
                head += chunk
            self.assertTrue(head.startswith(b"HTTP/1.1 200"))
            answers += 1
            time.sleep(READ_TIMEOUT_MS / 3000)
        self.assertGreaterEqual(answers, 7)

    def test_a_client_that_does_not_take_its_answer_is_closed(self):
        # A 12 MB message: its raw MIME is more than loopback's socket buffers hold.
        client = self.server.client()
        client.create_email_identity(EmailIdentity="example.com")
        body = ("x" * 999 + "\r\n") * 12_000
        raw = ("From: a@example.com\r\nTo: b@example.com\r\nSubject: big\r\n\r\n" + body).encode()
        message_id = client.send_email(Content={"Raw": {"Data": raw}})["MessageId"]
        s = self.connect()
        s.sendall(f"GET /_mock/messages/{message_id}/raw HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(READ_TIMEOUT_MS / 1000 + 1.5)  # the server waits on us past its timeout
        got = 0
        s.settimeout(5)
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            got += len(chunk)
        self.assertGreater(got, 0)
        self.assertLess(got, len(raw))  # cut off, not delivered whole
        status, _ = self.server.health()
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
