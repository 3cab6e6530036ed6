#!/usr/bin/env bash
# make bench: throughput against moto_server, suppression and contact import speed and
# memory, GetImportJob latency during an import. See bench/bench.py for what is measured.
#
# Environment:
#   SESV2_MOCK_BIN   server binary (default: build/bin/sesv2-mock under the repo root)
#   PYTHON           a python3 with boto3 and moto (default: pyenv's, else python3)
#   MOTO_SERVER      moto_server command (default: moto_server beside PYTHON, else on PATH,
#                    else "$PYTHON -m moto.server")
#   BENCH_SECONDS    wrk measurement seconds (default 10), BENCH_WARMUP warm-up (default 2)
#   BENCH_SOAK_SECONDS  length of the soak (bench/soak.py, default 60)
#   SESV2_BENCH_CEILING the bare Beast server of bench/ceiling.py (default: beside the binary)
#   BENCH_KEEP=1     keep the work directory (logs, databases) for a look afterwards
#   BENCH_ONLY       comma-separated sections (throughput,suppression,contacts,exports;
#                    default the first three)
# Exit status: 0 when everything ran (missed targets are shown as FAIL in the table),
# 1 when something broke (a server died, a non-2xx answer, an import that did not complete),
# 2 when a tool is missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${SESV2_MOCK_BIN:-$root/build/bin/sesv2-mock}
case $bin in /*) ;; *) bin=$root/$bin ;; esac

has_boto3() { [ -n "$1" ] && command -v "$1" >/dev/null 2>&1 && "$1" -c 'import boto3, moto' >/dev/null 2>&1; }
python=${PYTHON:-}
if ! has_boto3 "$python"; then
  python=
  for candidate in "$HOME/.pyenv/shims/python3" python3; do
    if has_boto3 "$candidate"; then python=$candidate; break; fi
  done
fi

moto=${MOTO_SERVER:-}
if [ -z "$moto" ] && [ -n "$python" ]; then
  beside=$(dirname "$(command -v "$python")")/moto_server
  if [ -x "$beside" ]; then moto=$beside
  elif command -v moto_server >/dev/null 2>&1; then moto=$(command -v moto_server)
  else moto="$python -m moto.server"
  fi
fi

missing=
ceiling=${SESV2_BENCH_CEILING:-$(dirname "$bin")/sesv2-bench-ceiling}
[ -x "$ceiling" ] || missing="$missing the ceiling server at $ceiling (run make build);"
[ -x "$bin" ] || missing="$missing sesv2-mock binary at $bin (run make build or set SESV2_MOCK_BIN);"
[ -n "$python" ] || missing="$missing a python3 with boto3 and moto (set PYTHON);"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk (apt-get install wrk);"
if [ -n "$missing" ]; then
  echo "bench: missing:$missing" >&2
  exit 2
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/sesv2-bench.XXXXXX")
cleanup() {
  # Ends only what bench.py started (it records each pid), one pid at a time.
  if [ -f "$workdir/pids" ]; then
    while read -r pid; do
      kill "$pid" 2>/dev/null || true
    done <"$workdir/pids"
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench: work directory kept at $workdir" >&2
  else
    rm -rf "$workdir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

commit=$(git -C "$root" log --oneline -1 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (+ uncommitted changes)"
fi

PYTHONDONTWRITEBYTECODE=1 "$python" "$root/bench/bench.py" --binary "$bin" --moto "$moto" --workdir "$workdir" \
  --commit "$commit" --seconds "${BENCH_SECONDS:-10}" --warmup "${BENCH_WARMUP:-2}" \
  --only "${BENCH_ONLY:-throughput,suppression,contacts}"
# The ceiling comparison and the soak run after, each printing its own figures.
PYTHONDONTWRITEBYTECODE=1 "$python" "$root/bench/ceiling.py" --binary "$bin" --ceiling "$ceiling" \
  --workdir "$workdir" --seconds "${BENCH_SECONDS:-10}"
PYTHONDONTWRITEBYTECODE=1 "$python" "$root/bench/soak.py" --binary "$bin" --workdir "$workdir" \
  --seconds "${BENCH_SOAK_SECONDS:-60}"
# SendEmail against the npm peer aws-ses-v2-local (installed under bench/peer by npm).
"$python" "$root/bench/send_bench.py" --binary "$bin" --workdir "$workdir" --seconds "${BENCH_SECONDS:-10}"
