"""The export-jobs section of bench.py (BENCH_ONLY=exports): a MESSAGE_INSIGHTS export of
1,000,000 captured message rows.

The rows are seeded straight into the server's database file (the message store's two
tables, written with Python's sqlite3 while the server is stopped), not sent over HTTP: the
figure is the export's, not the send path's. The server is then started afresh, so VmHWM
(peak RSS) belongs to the export alone; the export is timed from CreateExportJob to
COMPLETED, and its file is checked for the right number of lines.
"""

import os
import sqlite3
import time

SEED_ROWS = 1_000_000
SEED_BATCH = 50_000
SEED_T0 = 1_700_000_000.0
TARGET_EXPORT_RSS_MB = 100.0
EXPORT_TIMEOUT_S = 600
ACCOUNT = "000000000000"
REGION = "us-east-1"
EVENTS = ('[{"t":"SEND","ts":%.3f},{"t":"DELIVERY","ts":%.3f}]')


def seed_messages(db_path, n):
    """n one-recipient messages, one every millisecond from SEED_T0."""
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    for first in range(0, n, SEED_BATCH):
        rows = range(first, min(n, first + SEED_BATCH))
        db.executemany(
            "INSERT INTO messages (seq, message_id, account, region, kind, source, subject, "
            "raw_mime, tags_json, recipient_count, created_at) VALUES (?, ?, ?, ?, 'SIMPLE', "
            "'sender@example.com', ?, '', '[]', 1, ?)",
            ((i + 1, "bench-%07d" % i, ACCOUNT, REGION, "Bench message %d" % i,
              SEED_T0 + i / 1000.0) for i in rows))
        db.executemany(
            "INSERT INTO message_recipients (id, message_seq, position, kind, address, fate, "
            "events_json) VALUES (? * 1024, ?, 0, 'To', ?, 'DELIVERED', ?)",
            ((i + 1, i + 1, "user%d@gmail.com" % i,
              EVENTS % (SEED_T0 + i / 1000.0, SEED_T0 + i / 1000.0 + 0.5)) for i in rows))
        db.commit()
    db.close()


def run_exports(bench, client_of, mb, log):
    n = SEED_ROWS
    log(f"\n== 4. MESSAGE_INSIGHTS export of {n:,} captured message rows (CSV), fresh "
        "server and file db ==")
    # A first start creates the schema; the rows go in while the server is stopped.
    server = bench.start_mock("exports")
    bench.stop(server)
    db_path = os.path.join(server.home, "mock.db")
    started = time.monotonic()
    seed_messages(db_path, n)
    log(f"   seeded {n:,} messages in {time.monotonic() - started:.1f} s")
    bench.note_background("exports")
    server = bench.start_mock("exports")
    client = client_of(server.endpoint)
    idle = server.status_kb("VmHWM")
    cpu = server.cpu_seconds()
    started = time.monotonic()
    job_id = client.create_export_job(
        ExportDataSource={"MessageInsightsDataSource": {"StartDate": SEED_T0,
                                                        "EndDate": SEED_T0 + n}},
        ExportDestination={"DataFormat": "CSV", "S3Url": "s3://bench-exports/run/"})["JobId"]
    progress = set()
    while True:
        job = client.get_export_job(JobId=job_id)
        progress.add(job["Statistics"]["ProcessedRecordsCount"])
        if job["JobStatus"] in ("COMPLETED", "FAILED", "CANCELLED"):
            break
        if time.monotonic() - started > EXPORT_TIMEOUT_S:
            raise RuntimeError(f"export not done after {EXPORT_TIMEOUT_S} s: {job}")
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    peak = server.status_kb("VmHWM")
    cpu = server.cpu_seconds() - cpu
    bench.stop(server)
    if job["JobStatus"] != "COMPLETED" or job["Statistics"]["ExportedRecordsCount"] != n:
        raise RuntimeError(f"export did not complete with {n} rows: {job}")
    path = os.path.join(bench.s3_dir, "bench-exports", "run", job_id + ".csv")
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    if lines != n + 1:
        raise RuntimeError(f"export file {path} has {lines} lines, not {n + 1}")
    size = os.path.getsize(path)
    rate = n / elapsed
    log(f"   {n:,} rows ({size / 1e6:.1f} MB file): {elapsed:.2f} s -> {rate:,.0f} rows/s "
        f"(server CPU {cpu:.2f} s; {len(progress)} progress values seen); VmHWM "
        f"{mb(idle):.1f} MB idle -> {mb(peak):.1f} MB")
    os.remove(path)
    r = bench.report
    r.add(f"message-insights export {n:,}: rows/s", f"{rate:,.0f}")
    r.check(f"message-insights export {n:,}: peak RSS", f"{mb(peak):.1f} MB",
            f"<= {TARGET_EXPORT_RSS_MB:.0f} MB", mb(peak) <= TARGET_EXPORT_RSS_MB)
