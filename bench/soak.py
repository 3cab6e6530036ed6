"""Load and soak (issue 12): wrk at 32 connections for BENCH_SOAK_SECONDS (default 60)
mixing GetImportJob, ListImportJobs, GetSuppressedDestination and ListContacts while two
imports (suppression list and contact list, rate-limited so they last the whole run) are
processing. Prints requests/s, errors, latency percentiles and RSS sampled every second.
Targets: 0 errors, p99 < 5 ms, RSS flat (end within RSS_FLAT_MB of the first sample after
warm-up).

Run by bench/run.sh; alone: python3 bench/soak.py --binary B --workdir D [--seconds N]
"""
import argparse
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (CONTACT_HEADER, FAKE_AUTH, BenchError, Process,  # noqa: E402
                     contact_line, parse_wrk, ready_port, suppression_line, write_lines)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

WRK_THREADS = 2
WRK_CONNECTIONS = 32
TARGET_P99_MS = 5.0
RSS_FLAT_MB = 8.0
IMPORT_RATE = 2000  # records/s per job at most, so the imports outlast the run
SUPPRESSION_PUT_LIMIT = 100_000  # records in one suppression PUT file (SES's limit)
LIST = "soak"
SEEDED_CONTACTS = 50
SERVER_START_TIMEOUT_S = 20

# wrk runs this: each connection cycles through the four requests.
LUA = r"""
local requests = {}
local n = 0
function init(args)
  local h = {["Authorization"] = args[2], ["Content-Type"] = "application/json"}
  requests[1] = wrk.format("GET", "/v2/email/import-jobs/" .. args[1], h)
  requests[2] = wrk.format("POST", "/v2/email/import-jobs/list", h, '{"PageSize": 10}')
  requests[3] = wrk.format("GET", "/v2/email/suppression/addresses/seed%40example.com", h)
  requests[4] = wrk.format("POST", "/v2/email/contact-lists/soak/contacts/list", h, '{"PageSize": 20}')
end
function request()
  n = n % 4 + 1
  return requests[n]
end
"""


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SOAK_SECONDS", "60")))
    args = ap.parse_args()
    seconds = max(5, args.seconds)
    pids = os.path.join(args.workdir, "pids")
    s3_dir = os.path.join(args.workdir, "soak-s3")
    os.makedirs(os.path.join(s3_dir, "bench"), exist_ok=True)
    # Both files outlast the run at the rate cap, and the suppression file stays within the
    # limit of a PUT file (a longer soak runs its imports slower).
    rate = min(IMPORT_RATE, SUPPRESSION_PUT_LIMIT // (seconds + 10))
    records = rate * (seconds + 10)
    write_lines(os.path.join(s3_dir, "bench", "soak-suppression.csv"), records, suppression_line)
    write_lines(os.path.join(s3_dir, "bench", "soak-contacts.csv"), records, contact_line,
                header=CONTACT_HEADER)

    print(f"\n== Soak: wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} for {seconds}s, four operations "
          f"mixed, two imports running ({rate:,} records/s each) ==", flush=True)
    home = os.path.join(args.workdir, "soak")
    os.makedirs(home, exist_ok=True)
    log = os.path.join(home, "server.log")
    server = Process("sesv2-mock[soak]", [args.binary, "--host", "127.0.0.1", "--port", "0",
                                          "--db", os.path.join(home, "mock.db"), "--s3-dir", s3_dir,
                                          "--import-rate", str(rate)], log, pids)
    server.port = ready_port(log, server.proc, r"sesv2-mock listening on http://127\.0\.0\.1:(\d+)",
                             SERVER_START_TIMEOUT_S)
    endpoint = f"http://127.0.0.1:{server.port}"
    try:
        ses = boto3.session.Session().client(
            "sesv2", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x",
            config=Config(retries={"max_attempts": 1}))
        ses.put_suppressed_destination(EmailAddress="seed@example.com", Reason="BOUNCE")
        ses.create_contact_list(ContactListName=LIST)
        for i in range(SEEDED_CONTACTS):
            ses.create_contact(ContactListName=LIST, EmailAddress=f"seed{i}@example.com")
        jobs = [ses.create_import_job(
            ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
            ImportDataSource={"S3Url": "s3://bench/soak-suppression.csv", "DataFormat": "CSV"})["JobId"],
            ses.create_import_job(
            ImportDestination={"ContactListDestination": {"ContactListName": LIST,
                                                          "ContactListImportAction": "PUT"}},
            ImportDataSource={"S3Url": "s3://bench/soak-contacts.csv", "DataFormat": "CSV"})["JobId"]]
        script = os.path.join(args.workdir, "soak.lua")
        with open(script, "w") as f:
            f.write(LUA)
        samples = []
        stop = threading.Event()

        def sample():
            while not stop.wait(1.0):
                samples.append(rss_kb(server.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        argv = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
                "--latency", "-s", script, endpoint, "--", jobs[0], FAKE_AUTH]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
        stop.set()
        sampler.join()
        if done.returncode != 0:
            raise BenchError(f"wrk exited {done.returncode}: {done.stderr}{done.stdout}")
        result = parse_wrk(done.stdout)
        server.check_alive("soak")
        states = [ses.get_import_job(JobId=j) for j in jobs]
        errors = result["non2xx"] + sum((result["socket_errors"] or {}).values())
        p99 = result["latency"].get(99, float("nan"))
        warm = samples[min(2, len(samples) - 1)] if samples else 0
        end = samples[-1] if samples else 0
        peak = max(samples) if samples else 0
        # SQLite's page caches (bounded) fill while the imports write; a leak keeps growing, so
        # flatness is judged on the second half of the run.
        middle = samples[len(samples) // 2] if samples else 0
        flat = (end - middle) / 1024 <= RSS_FLAT_MB

        def line(name, value, target="", ok=None):
            verdict = "" if ok is None else ("ok" if ok else "FAIL")
            print(f"   {name:<34} {value:>14}   {target:<12} {verdict}")

        line("requests", f"{result['requests']:,}")
        line("req/s", f"{result['rps']:,.0f}")
        line("errors (non-2xx + socket)", f"{errors:,}", "= 0", errors == 0)
        line("latency p50", f"{result['latency'].get(50, float('nan')):.2f} ms")
        line("latency p99", f"{p99:.2f} ms", f"< {TARGET_P99_MS:.0f} ms", p99 < TARGET_P99_MS)
        line("RSS warm-up / middle / end / peak",
             f"{warm / 1024:.1f}/{middle / 1024:.1f}/{end / 1024:.1f}/{peak / 1024:.1f} MB",
             f"2nd half +<= {RSS_FLAT_MB:.0f} MB", flat)
        for name, s in zip(("suppression import", "contact import"), states):
            line(name, f"{s['JobStatus']} {s.get('ProcessedRecordsCount', 0):,}")
        running = all(s["JobStatus"] in ("PROCESSING", "COMPLETED") for s in states)
        line("both imports ran during the soak", "yes" if running else "no", "", running)
        sys.stdout.flush()
    finally:
        server.stop(expect_clean=False)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
