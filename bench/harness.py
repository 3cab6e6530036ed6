"""Process, load-generator and data-file helpers for bench/bench.py.

Everything here is plumbing: start and stop a server process (sesv2-mock or moto_server),
read its peak RSS, run wrk and parse what it prints, write the CSV files the imports read,
and drive one import job from CreateImportJob to a final state.
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

# The SigV4 header a real SDK would send; the servers read the scope, not the signature.
FAKE_AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ses/aws4_request, "
             "SignedHeaders=host, Signature=0")

SERVER_START_TIMEOUT_S = 20
SERVER_STOP_TIMEOUT_S = 15
IMPORT_POLL_INTERVAL_S = 0.01
FINAL_STATES = ("COMPLETED", "FAILED", "CANCELLED")


class BenchError(Exception):
    """Something broke (as opposed to a target being missed): the run must exit non-zero."""


def ready_port(log_path, proc, pattern, timeout_s):
    """Waits for `pattern` (with one group: the port) to appear in the log file."""
    deadline = time.monotonic() + timeout_s
    regex = re.compile(pattern)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"server exited with status {proc.returncode} before it was ready; "
                             f"log: {log_path}\n{tail(log_path)}")
        with open(log_path, errors="replace") as f:
            match = regex.search(f.read())
        if match:
            return int(match.group(1))
        time.sleep(0.02)
    raise BenchError(f"server not ready after {timeout_s} s; log: {log_path}\n{tail(log_path)}")


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def wait_for_port(port, proc, log_path, timeout_s):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"process exited with status {proc.returncode} before listening; "
                             f"log: {log_path}\n{tail(log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise BenchError(f"nothing listening on port {port} after {timeout_s} s")


def background_busy(seconds=0.5):
    """Share of all CPUs busy over a short window in which this bench runs nothing: other
    people's work on the machine, which every figure below competes with."""
    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values[:8]) - idle, sum(values[:8])
    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return (busy1 - busy0) / max(1, total1 - total0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A server process we started; its pid is recorded in pids_file so run.sh's trap can
    end it by id if Python itself is killed."""

    def __init__(self, name, argv, log_path, pids_file):
        self.name = name
        self.log_path = log_path
        self.stopped = False
        self._log = open(log_path, "w")
        self.proc = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        with open(pids_file, "a") as f:
            f.write(f"{self.pid}\n")

    def check_alive(self, during=""):
        if self.proc.poll() is not None:
            raise BenchError(f"{self.name} (pid {self.pid}) died{' during ' + during if during else ''}"
                             f" with status {self.proc.returncode}; log {self.log_path}:\n"
                             f"{tail(self.log_path)}")

    def status_kb(self, field):
        """A `VmHWM`/`VmRSS`-style field of /proc/PID/status, in kB."""
        self.check_alive()
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise BenchError(f"no {field} in /proc/{self.pid}/status")

    def cpu_seconds(self):
        """User + system CPU time the process has used so far."""
        self.check_alive()
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, expect_clean=True):
        """SIGTERM, then wait. A clean exit is 0; anything else (or a process that was already
        gone) is reported as a breakage when expect_clean is set."""
        if self.stopped:
            return
        self.stopped = True
        already_dead = self.proc.poll() is not None
        if not already_dead:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(SERVER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._log.close()
                if expect_clean:
                    raise BenchError(f"{self.name} ignored SIGTERM for {SERVER_STOP_TIMEOUT_S} s")
                return
        self._log.close()
        if expect_clean and (already_dead or self.proc.returncode != 0):
            how = "had already exited" if already_dead else "exited after SIGTERM"
            raise BenchError(f"{self.name} (pid {self.pid}) {how} with status "
                             f"{self.proc.returncode}; log {self.log_path}:\n{tail(self.log_path)}")


def start_sesv2_mock(binary, workdir, name, s3_dir, pids_file):
    """A fresh sesv2-mock with its own file database under workdir/name."""
    home = os.path.join(workdir, name)
    os.makedirs(home, exist_ok=True)
    log = os.path.join(home, "server.log")
    argv = [binary, "--host", "127.0.0.1", "--port", "0", "--db", os.path.join(home, "mock.db"),
            "--s3-dir", s3_dir]
    p = Process(f"sesv2-mock[{name}]", argv, log, pids_file)
    p.home = home
    p.port = ready_port(log, p.proc, r"sesv2-mock listening on http://127\.0\.0\.1:(\d+)",
                        SERVER_START_TIMEOUT_S)
    p.endpoint = f"http://127.0.0.1:{p.port}"
    return p


def start_moto(moto_cmd, workdir, pids_file):
    port = free_port()
    log = os.path.join(workdir, "moto.log")
    p = Process("moto_server", moto_cmd + ["-H", "127.0.0.1", "-p", str(port)], log, pids_file)
    wait_for_port(port, p.proc, log, SERVER_START_TIMEOUT_S)
    p.port = port
    p.endpoint = f"http://127.0.0.1:{port}"
    return p


def http_get(url):
    """One GET with the fake SigV4 header: (status, body)."""
    req = urllib.request.Request(url, headers={"Authorization": FAKE_AUTH})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


# ---------------------------------------------------------------- wrk

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def _duration_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise BenchError(f"cannot read wrk duration {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output):
    """The figures of one wrk report. Raises when wrk printed no report at all."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in ([\d.]+\w+)", output)
    if not rps or not total:
        raise BenchError(f"wrk printed no report:\n{output}")
    result = {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        "duration_ms": _duration_ms(total.group(2)),
        "non2xx": 0,
        "socket_errors": None,
        "latency": {},
    }
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non2xx:
        result["non2xx"] = int(non2xx.group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    if errors:
        result["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                           map(int, errors.groups())))
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)\s*$", output, re.M):
        result["latency"][int(pct)] = _duration_ms(value)
    return result


def wrk_argv(url, threads, connections, duration_s, latency):
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--timeout", "5s",
            "-H", f"Authorization: {FAKE_AUTH}"]
    if latency:
        argv.append("--latency")
    return argv + [url]


def run_wrk(url, threads, connections, duration_s, latency=False):
    argv = wrk_argv(url, threads, connections, duration_s, latency)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration_s + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk exited {done.returncode}: {done.stderr}{done.stdout}")
    result = parse_wrk(done.stdout)
    result["raw"] = done.stdout
    return result


class BackgroundWrk:
    """wrk started now and stopped with SIGINT (wrk then prints its report as usual)."""

    def __init__(self, url, threads, connections, max_duration_s, pids_file):
        self.proc = subprocess.Popen(wrk_argv(url, threads, connections, max_duration_s, True),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with open(pids_file, "a") as f:
            f.write(f"{self.proc.pid}\n")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        output, _ = self.proc.communicate(timeout=30)
        result = parse_wrk(output)
        result["raw"] = output
        return result


def require_clean(result, what, allow_socket_errors=False):
    """Fails loudly on non-2xx answers (and, unless allowed, socket errors)."""
    if result["non2xx"]:
        raise BenchError(f"{what}: {result['non2xx']} non-2xx responses out of "
                         f"{result['requests']}\n{result['raw']}")
    errors = result["socket_errors"]
    if errors and any(errors.values()) and not allow_socket_errors:
        raise BenchError(f"{what}: socket errors {errors}\n{result['raw']}")
    if result["requests"] == 0:
        raise BenchError(f"{what}: wrk completed no request\n{result['raw']}")


# ---------------------------------------------------------------- data files

_WRITE_CHUNK = 50_000


def write_lines(path, count, make_line, header=None):
    """Writes header (if any) and make_line(i) for i in 0..count-1, in large chunks."""
    with open(path, "w", newline="") as f:
        if header:
            f.write(header + "\n")
        for start in range(0, count, _WRITE_CHUNK):
            stop = min(count, start + _WRITE_CHUNK)
            f.write("".join(make_line(i) for i in range(start, stop)))
    return os.path.getsize(path)


def suppression_line(i):
    return f"user{i}@example.com,{'BOUNCE' if i % 2 == 0 else 'COMPLAINT'}\n"


CONTACT_HEADER = "emailAddress,unsubscribeAll,attributesData,topicPreferences.news"


def contact_line(i):
    return (f'user{i}@example.com,{"true" if i % 10 == 0 else "false"},'
            f'"{{""n"": {i}}}",{"OPT_IN" if i % 2 == 0 else "OPT_OUT"}\n')


# ---------------------------------------------------------------- import jobs


def run_import(client, server, destination, s3_url, records, timeout_s):
    """CreateImportJob, then GetImportJob every 10 ms until a final state.

    Returns (seconds from just before the create call to the poll that saw COMPLETED, the
    final GetImportJob answer, how many distinct ProcessedRecordsCount values were seen).
    A job that does not complete with every record processed and none failed is a breakage.
    """
    start = time.monotonic()
    job_id = client.create_import_job(
        ImportDestination=destination,
        ImportDataSource={"S3Url": s3_url, "DataFormat": "CSV"})["JobId"]
    return wait_import(client, server, job_id, start, records, timeout_s)


def wait_import(client, server, job_id, start, records, timeout_s):
    """Polls over one keep-alive connection (a boto3 call costs ~10x the CPU, which the
    server would feel on two cores), then reads the final job once more through boto3."""
    progress = set()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    path = f"/v2/email/import-jobs/{job_id}"
    try:
        while True:
            server.check_alive(f"import job {job_id}")
            conn.request("GET", path, headers={"Authorization": FAKE_AUTH})
            response = conn.getresponse()
            body = response.read()
            elapsed = time.monotonic() - start
            if response.status != 200:
                raise BenchError(f"GetImportJob {job_id} answered {response.status}: {body!r}")
            job = json.loads(body)
            progress.add(job.get("ProcessedRecordsCount", 0))
            if job["JobStatus"] in FINAL_STATES:
                break
            if elapsed > timeout_s:
                raise BenchError(f"import job {job_id} still {job['JobStatus']} after "
                                 f"{timeout_s} s ({job.get('ProcessedRecordsCount')} processed)")
            time.sleep(IMPORT_POLL_INTERVAL_S)
    finally:
        conn.close()
    job = client.get_import_job(JobId=job_id)
    if job["JobStatus"] != "COMPLETED":
        raise BenchError(f"import job {job_id} ended {job['JobStatus']}: "
                         f"{job.get('FailureInfo')}")
    processed = job.get("ProcessedRecordsCount")
    failed = job.get("FailedRecordsCount")
    if processed != records or failed not in (0, None):
        raise BenchError(f"import job {job_id}: {processed} processed, {failed} failed; "
                         f"expected {records} processed, 0 failed ({job.get('FailureInfo')})")
    return elapsed, job, len(progress)
