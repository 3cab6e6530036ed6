"""make bench: the figures issues 2 and 3 ask for, all measured in one run on this machine.

1. GetImportJob requests/s on sesv2-mock against GetContactList on moto_server (wrk,
   2 threads, 32 connections), and their ratio.
2. Suppression-list import of 10,000 and 100,000 addresses: records/s and peak RSS.
3. Contact-list import of 1,000,000 contacts with addresses in sequential and in random
   order: records/s and peak RSS; then GetImportJob latency (wrk --latency) while another
   random-order 1,000,000-contact import runs.
4. (BENCH_ONLY=exports, export_bench.py) A MESSAGE_INSIGHTS export of 1,000,000 captured
   message rows seeded into the database: rows/s and peak RSS.

Each import gets a fresh server with its own file database, so VmHWM (the peak RSS the
kernel keeps in /proc/PID/status) belongs to that import alone. A missed target is reported
and the exit status stays 0; a crash, a non-2xx answer or a job that does not complete
cleanly is a breakage and the exit status is 1.

Run it through bench/run.sh, which sets the work directory and cleans up.
"""

import argparse
import os
import platform
import random
import signal
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

from export_bench import run_exports
from harness import (CONTACT_HEADER, BackgroundWrk, BenchError, background_busy, contact_line,
                     http_get, require_clean, run_import, run_wrk, start_moto, start_sesv2_mock,
                     suppression_line, wait_import, write_lines)

# Load shape fixed by issue 2.
WRK_THREADS = 2
WRK_CONNECTIONS = 32
# GetImportJob latency during the 1M import: one wrk thread, a few connections, so the
# import still gets most of the second core; this is "clients polling a running job".
LATENCY_WRK_THREADS = 1
LATENCY_WRK_CONNECTIONS = 4

TARGET_RATIO = 50.0
# Issue 8's import targets.
TARGET_SUPPRESSION_PER_S = 500_000   # 100,000-record suppression PUT
TARGET_CONTACT_RANDOM_PER_S = 250_000
TARGET_CONTACT_SEQUENTIAL_PER_S = 400_000
TARGET_CONTACT_RSS_MB = 100.0
TARGET_P99_MS = 5.0
# "Flat" memory: ten times the records may cost at most this much more peak RSS.
FLAT_MAX_GROWTH_MB = 10.0

SUPPRESSION_SIZES = (10_000, 100_000)
CONTACT_RECORDS = 1_000_000
RANDOM_SEED = 8
BUCKET = "bench"
CONTACT_LIST = "bench"
TOPIC = "news"
IMPORT_TIMEOUT_S = 300
# Other work using more than this share of the CPUs before a phase makes the figures suspect.
BUSY_WARNING = 0.15


def log(message):
    print(message, flush=True)


def mb(kb):
    return kb / 1024.0


def sesv2_client(endpoint):
    return boto3.client(
        "sesv2", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="bench",
        config=botocore.config.Config(retries={"max_attempts": 1}))


class Report:
    """The final table: one row per figure, with its target and verdict."""

    def __init__(self):
        self.rows = []

    def add(self, figure, value, target="", verdict="info"):
        self.rows.append((figure, value, target, verdict))

    def check(self, figure, value, target, passed):
        self.add(figure, value, target, "PASS" if passed else "FAIL")

    def print(self):
        headers = ("figure", "measured", "target", "result")
        widths = [max(len(str(r[i])) for r in self.rows + [headers]) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        log(line)
        log("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
        log(line)
        for row in self.rows:
            log("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        log(line)


class Bench:
    def __init__(self, args):
        self.args = args
        self.workdir = args.workdir
        self.pids_file = os.path.join(self.workdir, "pids")
        self.s3_dir = os.path.join(self.workdir, "s3")
        os.makedirs(os.path.join(self.s3_dir, BUCKET), exist_ok=True)
        self.report = Report()
        self.servers = []
        self.background = []  # (phase, share of CPUs busy with other work just before it)

    # ------------------------------------------------------------ plumbing

    def start_mock(self, name):
        server = start_sesv2_mock(self.args.binary, self.workdir, name, self.s3_dir,
                                  self.pids_file)
        self.servers.append(server)
        return server

    def stop(self, server):
        server.stop(expect_clean=True)

    def stop_all_quietly(self):
        for server in self.servers:
            try:
                server.stop(expect_clean=False)
            except Exception:  # already reporting an earlier failure
                pass

    def note_background(self, phase):
        busy = background_busy()
        self.background.append((phase, busy))
        flag = "  <- busy machine: figures below are pessimistic" if busy > BUSY_WARNING else ""
        log(f"   other work on the machine just before: {busy:.0%} of {os.cpu_count()} CPUs{flag}")

    def s3_file(self, name):
        return os.path.join(self.s3_dir, BUCKET, name), f"s3://{BUCKET}/{name}"

    # ------------------------------------------------------------ 1. throughput

    def throughput(self):
        log("\n== 1. GetImportJob (sesv2-mock) vs GetContactList (moto_server): wrk "
            f"-t{WRK_THREADS} -c{WRK_CONNECTIONS}, {self.args.warmup}s warm-up + "
            f"{self.args.seconds}s ==")
        self.note_background("throughput")
        path, url = self.s3_file("throughput.csv")
        write_lines(path, 10, suppression_line)
        server = self.start_mock("throughput")
        client = sesv2_client(server.endpoint)
        _, job, _ = run_import(client, server,
                               {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
                               url, 10, IMPORT_TIMEOUT_S)
        target = f"{server.endpoint}/v2/email/import-jobs/{job['JobId']}"
        status, body = http_get(target)
        if status != 200 or job["JobId"] not in body:
            raise BenchError(f"GetImportJob over plain HTTP answered {status}: {body}")
        mock = self.measure_wrk(server, target, "sesv2-mock GetImportJob")
        self.stop(server)

        moto = start_moto(self.args.moto, self.workdir, self.pids_file)
        self.servers.append(moto)
        sesv2_client(moto.endpoint).create_contact_list(ContactListName=CONTACT_LIST)
        target = f"{moto.endpoint}/v2/email/contact-lists/{CONTACT_LIST}"
        status, body = http_get(target)
        if status != 200 or CONTACT_LIST not in body:
            raise BenchError(f"moto GetContactList answered {status}: {body}")
        # moto answers `Connection: close`, so wrk reconnects for every request; socket
        # errors there are moto's, and do not invalidate the comparison.
        motor = self.measure_wrk(moto, target, "moto_server GetContactList",
                                 allow_socket_errors=True)
        moto.check_alive()
        moto.stop(expect_clean=False)  # Python's default SIGTERM exit status is not 0

        ratio = mock["rps"] / motor["rps"]
        r = self.report
        r.add("GetImportJob req/s, sesv2-mock", f"{mock['rps']:,.0f}")
        r.add("GetContactList req/s, moto_server", f"{motor['rps']:,.0f}")
        r.check("throughput ratio sesv2-mock / moto", f"{ratio:,.1f}x", f">= {TARGET_RATIO:.0f}x",
                ratio >= TARGET_RATIO)
        log(f"   ratio {ratio:,.1f}x")

    def measure_wrk(self, server, url, what, allow_socket_errors=False):
        warm = run_wrk(url, WRK_THREADS, WRK_CONNECTIONS, self.args.warmup)
        require_clean(warm, f"{what} (warm-up)", allow_socket_errors)
        server.check_alive(f"{what} warm-up")
        result = run_wrk(url, WRK_THREADS, WRK_CONNECTIONS, self.args.seconds)
        require_clean(result, what, allow_socket_errors)
        server.check_alive(what)
        errors = result["socket_errors"]
        extra = f", socket errors {errors}" if errors and any(errors.values()) else ""
        log(f"   {what}: {result['rps']:,.0f} req/s ({result['requests']:,} requests, "
            f"all 2xx{extra})")
        return result

    # ------------------------------------------------------------ 2. suppression import

    def suppression(self):
        log("\n== 2. Suppression-list import (PUT, CSV), fresh server and file db each ==")
        peaks = {}
        for n in SUPPRESSION_SIZES:
            path, url = self.s3_file(f"suppression-{n}.csv")
            size = write_lines(path, n, suppression_line)
            self.note_background(f"suppression {n:,}")
            server = self.start_mock(f"suppression-{n}")
            idle = server.status_kb("VmHWM")
            cpu = server.cpu_seconds()
            elapsed, job, steps = run_import(
                sesv2_client(server.endpoint), server,
                {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
                url, n, IMPORT_TIMEOUT_S)
            peak = server.status_kb("VmHWM")
            cpu = server.cpu_seconds() - cpu
            self.stop(server)
            peaks[n] = peak
            rate = n / elapsed
            log(f"   {n:>9,} addresses ({size / 1e6:.1f} MB): {elapsed:.3f} s -> {rate:,.0f} "
                f"records/s (server-side {server_seconds(job):.3f} s, server CPU {cpu:.2f} s; "
                f"{steps} progress values seen); VmHWM {mb(idle):.1f} MB idle -> "
                f"{mb(peak):.1f} MB")
            if n == max(SUPPRESSION_SIZES):
                self.report.check(f"suppression import {n:,}: records/s", f"{rate:,.0f}",
                                  f">= {TARGET_SUPPRESSION_PER_S:,}",
                                  rate >= TARGET_SUPPRESSION_PER_S)
            else:
                self.report.add(f"suppression import {n:,}: records/s", f"{rate:,.0f}")
        small, large = SUPPRESSION_SIZES
        growth = mb(peaks[large] - peaks[small])
        self.report.add(f"suppression peak RSS {small:,}", f"{mb(peaks[small]):.1f} MB")
        self.report.check(f"suppression peak RSS {large:,}",
                          f"{mb(peaks[large]):.1f} MB ({growth:+.1f} MB)",
                          f"flat: <= +{FLAT_MAX_GROWTH_MB:.0f} MB", growth <= FLAT_MAX_GROWTH_MB)

    # ------------------------------------------------------------ 3. contact import

    def contacts(self):
        n = CONTACT_RECORDS
        log(f"\n== 3. Contact-list import of {n:,} (PUT, CSV, topic 'news'), sequential and "
            "random address order, fresh server and file db each ==")
        order = list(range(n))
        random.Random(RANDOM_SEED).shuffle(order)
        files = {}
        for name, make_line in (("sequential", contact_line),
                                ("random", lambda i: contact_line(order[i]))):
            path, url = self.s3_file(f"contacts-{name}-{n}.csv")
            t0 = time.monotonic()
            size = write_lines(path, n, make_line, header=CONTACT_HEADER)
            files[name] = url
            log(f"   wrote {n:,} contacts in {name} order ({size / 1e6:.1f} MB) in "
                f"{time.monotonic() - t0:.1f} s")

        peaks, rates = {}, {}
        for name in ("sequential", "random"):
            self.note_background(f"contacts {name}")
            server = self.start_mock(f"contacts-{name}")
            client = sesv2_client(server.endpoint)
            if not self.create_contact_list(client):
                self.stop(server)
                self.skip_contacts()
                return
            idle = server.status_kb("VmHWM")
            cpu = server.cpu_seconds()
            elapsed, job, steps = run_import(client, server, contact_destination(), files[name],
                                             n, IMPORT_TIMEOUT_S)
            peak = server.status_kb("VmHWM")
            cpu = server.cpu_seconds() - cpu
            spot_check_contact(client, n - 1)
            self.stop(server)
            peaks[name], rates[name] = peak, n / elapsed
            log(f"   {n:>9,} contacts, {name} order: {elapsed:.3f} s -> {rates[name]:,.0f} "
                f"records/s (server-side {server_seconds(job):.3f} s, server CPU {cpu:.2f} s; "
                f"{steps} progress values seen); VmHWM {mb(idle):.1f} MB idle -> "
                f"{mb(peak):.1f} MB")

        r = self.report
        r.check(f"contact import {n:,} random order: rec/s", f"{rates['random']:,.0f}",
                f">= {TARGET_CONTACT_RANDOM_PER_S:,}",
                rates["random"] >= TARGET_CONTACT_RANDOM_PER_S)
        r.check(f"contact import {n:,} sequential: rec/s", f"{rates['sequential']:,.0f}",
                f">= {TARGET_CONTACT_SEQUENTIAL_PER_S:,}",
                rates["sequential"] >= TARGET_CONTACT_SEQUENTIAL_PER_S)
        worst = max(peaks.values())
        r.check(f"contact import {n:,}: peak RSS", f"{mb(worst):.1f} MB",
                f"<= {TARGET_CONTACT_RSS_MB:.0f} MB", mb(worst) <= TARGET_CONTACT_RSS_MB)

        self.latency_during_import(n, files["random"])

    def latency_during_import(self, n, url):
        log(f"   GetImportJob latency while a {n:,}-contact import runs (fresh server; wrk "
            f"-t{LATENCY_WRK_THREADS} -c{LATENCY_WRK_CONNECTIONS} --latency on that job):")
        self.note_background("latency")
        server = self.start_mock("contacts-latency")
        client = sesv2_client(server.endpoint)
        self.create_contact_list(client)
        start = time.monotonic()
        job_id = client.create_import_job(
            ImportDestination=contact_destination(),
            ImportDataSource={"S3Url": url, "DataFormat": "CSV"})["JobId"]
        wrk = BackgroundWrk(f"{server.endpoint}/v2/email/import-jobs/{job_id}",
                            LATENCY_WRK_THREADS, LATENCY_WRK_CONNECTIONS, IMPORT_TIMEOUT_S,
                            self.pids_file)
        try:
            elapsed, _, steps = wait_import(client, server, job_id, start, n, IMPORT_TIMEOUT_S)
        finally:
            result = wrk.stop()
        require_clean(result, "GetImportJob during the contact import")
        peak = server.status_kb("VmHWM")
        self.stop(server)
        lat = result["latency"]
        if 99 not in lat:
            raise BenchError(f"wrk printed no latency distribution:\n{result['raw']}")
        rate = n / elapsed
        log(f"     {result['requests']:,} GetImportJob in {result['duration_ms'] / 1000:.1f} s "
            f"({result['rps']:,.0f} req/s, all 2xx): p50 {lat[50]:.2f} ms, p90 {lat[90]:.2f} ms, "
            f"p99 {lat[99]:.2f} ms; import meanwhile {elapsed:.3f} s -> {rate:,.0f} records/s; "
            f"VmHWM {mb(peak):.1f} MB")
        r = self.report
        r.add("GetImportJob p50 during 1M random import", f"{lat[50]:.2f} ms")
        r.check("GetImportJob p99 during 1M random import", f"{lat[99]:.2f} ms",
                f"<= {TARGET_P99_MS:.0f} ms", lat[99] <= TARGET_P99_MS)
        r.add("contact import 1M random under that load", f"{rate:,.0f} rec/s")
        r.check("peak RSS during that import", f"{mb(peak):.1f} MB",
                f"<= {TARGET_CONTACT_RSS_MB:.0f} MB", mb(peak) <= TARGET_CONTACT_RSS_MB)

    def create_contact_list(self, client):
        """False when this build does not implement CreateContactList (501)."""
        try:
            client.create_contact_list(
                ContactListName=CONTACT_LIST,
                Topics=[{"TopicName": TOPIC, "DisplayName": "News",
                         "DefaultSubscriptionStatus": "OPT_OUT"}])
        except botocore.exceptions.ClientError as e:
            if e.response["ResponseMetadata"]["HTTPStatusCode"] == 501:
                return False
            raise
        return True

    def skip_contacts(self):
        log("   contact import: skipped (CreateContactList not implemented in this build)")
        for figure in ("contact import 1,000,000 random order: rec/s",
                       "contact import 1,000,000 sequential: rec/s",
                       "GetImportJob p99 during 1M random import"):
            self.report.add(figure, "-", "", "SKIP (CreateContactList answers 501)")

    # ------------------------------------------------------------ run

    def run(self):
        log(f"sesv2-mock bench  commit {self.args.commit}  binary {self.args.binary}")
        log(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, {platform.platform()}")
        started = time.monotonic()
        sections = {"throughput": self.throughput, "suppression": self.suppression,
                    "contacts": self.contacts,
                    "exports": lambda: run_exports(self, sesv2_client, mb, log)}
        try:
            for name in self.args.only.split(","):
                sections[name]()
        except BaseException:
            self.stop_all_quietly()
            raise
        log(f"\n== Summary (commit {self.args.commit}, {time.monotonic() - started:.0f} s) ==")
        self.report.print()
        busiest = max(self.background, key=lambda b: b[1])
        seen = ", ".join(f"{phase} {busy:.0%}" for phase, busy in self.background)
        log(f"other work on the machine before each phase (share of {os.cpu_count()} CPUs): {seen}")
        if busiest[1] > BUSY_WARNING:
            log(f"WARNING: the machine was busy with other work (up to {busiest[1]:.0%} before "
                f"'{busiest[0]}'); the figures are lower than on an idle machine.")


def contact_destination():
    return {"ContactListDestination": {"ContactListName": CONTACT_LIST,
                                       "ContactListImportAction": "PUT"}}


def spot_check_contact(client, i):
    """The last contact of the file is there with what the file said."""
    contact = client.get_contact(ContactListName=CONTACT_LIST,
                                 EmailAddress=f"user{i}@example.com")
    prefs = {p["TopicName"]: p["SubscriptionStatus"] for p in contact.get("TopicPreferences", [])}
    want = "OPT_IN" if i % 2 == 0 else "OPT_OUT"
    if prefs.get(TOPIC) != want or contact.get("AttributesData", "").replace(" ", "") != \
            f'{{"n":{i}}}':
        raise BenchError(f"contact user{i}@example.com imported wrong: {contact}")


def server_seconds(job):
    created, completed = job.get("CreatedTimestamp"), job.get("CompletedTimestamp")
    if not created or not completed:
        return float("nan")
    return (completed - created).total_seconds()


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--moto", required=True, help="moto_server command, words split on spaces")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--seconds", type=int, default=10, help="wrk measurement time")
    parser.add_argument("--warmup", type=int, default=2, help="wrk warm-up time")
    parser.add_argument("--only", default="throughput,suppression,contacts",
                        help="comma-separated sections to run (default: all)")
    args = parser.parse_args()
    args.moto = args.moto.split()
    # Ctrl-C reaches wrk and the servers too (one process group); whatever error that causes
    # here is a consequence of the interrupt, not a breakage.
    interrupted = []

    def on_interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_interrupt)
    signal.signal(signal.SIGTERM, on_interrupt)
    try:
        Bench(args).run()
    except BaseException as e:
        if interrupted or isinstance(e, KeyboardInterrupt):
            log("\ninterrupted")
            return 130
        if isinstance(e, BenchError):
            log(f"\nBENCH BROKEN: {e}")
            return 1
        if isinstance(e, botocore.exceptions.ClientError):
            log(f"\nBENCH BROKEN: unexpected API error: {e}")
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
