"""GetImportJob against the ceiling: a bare Beast keep-alive server (bench/ceiling/, built by
CMake as sesv2-bench-ceiling) answering a fixed JSON body of GetImportJob's size, with the
same threads. Both are measured with the same wrk settings, alternately (ROUNDS rounds, the
median kept), so the percentage compares like with like on this machine at this moment.

Run by bench/run.sh; alone: python3 bench/ceiling.py --binary B --ceiling C --workdir D
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (BenchError, Process, free_port, http_get, ready_port,  # noqa: E402
                     require_clean, run_import, run_wrk, start_sesv2_mock, suppression_line,
                     write_lines)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

WRK_THREADS = 2
WRK_CONNECTIONS = 32
ROUNDS = 3
TARGET_PERCENT = 70
IMPORT_TIMEOUT_S = 60
SERVER_START_TIMEOUT_S = 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--ceiling", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--seconds", type=int, default=5)
    args = ap.parse_args()
    pids = os.path.join(args.workdir, "pids")
    s3_dir = os.path.join(args.workdir, "ceiling-s3")
    os.makedirs(os.path.join(s3_dir, "bench"), exist_ok=True)
    write_lines(os.path.join(s3_dir, "bench", "ceiling.csv"), 10, suppression_line)

    print(f"\n== GetImportJob vs the Beast ceiling: wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, "
          f"{ROUNDS} alternating rounds of {args.seconds}s ==", flush=True)
    mock = start_sesv2_mock(args.binary, args.workdir, "ceiling-mock", s3_dir, pids)
    ceiling = None
    try:
        client = boto3.session.Session().client(
            "sesv2", endpoint_url=mock.endpoint, region_name="us-east-1",
            aws_access_key_id="000000000000", aws_secret_access_key="x",
            config=Config(retries={"max_attempts": 1}))
        _, job, _ = run_import(client, mock,
                               {"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
                               "s3://bench/ceiling.csv", 10, IMPORT_TIMEOUT_S)
        mock_url = f"{mock.endpoint}/v2/email/import-jobs/{job['JobId']}"
        status, body = http_get(mock_url)
        if status != 200:
            raise BenchError(f"GetImportJob answered {status}: {body}")
        size = len(body.encode() if isinstance(body, str) else body)
        port = free_port()
        log = os.path.join(args.workdir, "ceiling.log")
        ceiling = Process("ceiling", [args.ceiling, str(port), str(size), "2"], log, pids)
        ready_port(log, ceiling.proc, r"ceiling listening on (\d+)", SERVER_START_TIMEOUT_S)
        ceiling_url = f"http://127.0.0.1:{port}/v2/email/import-jobs/{job['JobId']}"
        status, cbody = http_get(ceiling_url)
        if status != 200 or len(cbody) != size:
            raise BenchError(f"ceiling answered {status} with {len(cbody)} bytes, not {size}")

        for url in (mock_url, ceiling_url):  # warm-up
            require_clean(run_wrk(url, WRK_THREADS, WRK_CONNECTIONS, 1), "warm-up")
        got = {"mock": [], "ceiling": []}
        for _ in range(ROUNDS):
            for name, url in (("mock", mock_url), ("ceiling", ceiling_url)):
                result = run_wrk(url, WRK_THREADS, WRK_CONNECTIONS, args.seconds)
                require_clean(result, name)
                got[name].append(result["rps"])
        mock.check_alive("ceiling bench")
        m, c = statistics.median(got["mock"]), statistics.median(got["ceiling"])
        percent = 100.0 * m / c
        verdict = "ok" if percent >= TARGET_PERCENT else "FAIL"
        print(f"   body {size} bytes")
        print(f"   {'Beast ceiling req/s':<34} {c:>10,.0f}   rounds {', '.join(f'{x:,.0f}' for x in got['ceiling'])}")
        print(f"   {'GetImportJob req/s, sesv2-mock':<34} {m:>10,.0f}   rounds {', '.join(f'{x:,.0f}' for x in got['mock'])}")
        print(f"   {'GetImportJob / ceiling':<34} {percent:>9.1f} %   target >= {TARGET_PERCENT} %  {verdict}",
              flush=True)
    finally:
        if ceiling:
            ceiling.stop(expect_clean=False)
        mock.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
