#!/usr/bin/env bash
# Docker smoke test for sesv2-mock: builds the image and the compose stack on a
# machine that reaches no image registry (only Debian's packages and npm), runs
# them and drives them with boto3.
#
#   docker/smoke.sh            (as root, or as a user that can run docker)
#
# What it does, in order:
#   1. installs docker.io, docker-compose and debootstrap from Debian when missing;
#   2. starts `dockerd --iptables=false --bridge=none` when no daemon answers
#      (and stops it again at the end);
#   3. makes the base image debian:bookworm-slim with debootstrap + docker import
#      when it is missing;
#   4. builds docker/Dockerfile from a clean copy of the tracked files (git
#      ls-files), so local build/ folders never reach the daemon;
#   5. runs the image (host network, named volume, a host folder at /data/s3),
#      waits for the HEALTHCHECK, imports CSV and JSON files with boto3, checks
#      the counts and a suppressed address, times `docker stop`, starts a new
#      container on the same volume and finds the job again;
#   6. runs examples/compose/smoke.sh: the compose example's app container
#      imports, sends and reads /_mock/messages (SMOKE_EXAMPLE=0 skips it);
#   7. validates docker/docker-compose.yml, builds the s3rver image, runs the
#      stack (host networking, see the compose file) and imports the seeded
#      s3://imports/suppression.csv through the S3 endpoint.
# Everything it creates (containers, volumes, temp folders, the compose
# project) is removed on exit. The images are kept as a build cache.
#
# Environment:
#   SMOKE_EXAMPLE=0        skip step 6
#   SMOKE_COMPOSE=0        skip step 7
#   SMOKE_BUILD=0          reuse an existing sesv2-mock image instead of building it
#   SMOKE_IMAGE / SMOKE_S3_IMAGE   image tags (default sesv2-mock:dev / sesv2-mock-s3:dev)
#   SMOKE_DEBIAN_MIRROR    mirror for debootstrap (default: from /etc/apt/sources.list*)
#   PYTHON                 a python3 that has boto3
# Last line: "docker smoke: N passed, M failed"; exit status 0 only when M is 0.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
image=${SMOKE_IMAGE:-sesv2-mock:dev}
s3_image=${SMOKE_S3_IMAGE:-sesv2-mock-s3:dev}
base_image=debian:bookworm-slim
run_id=sesv2-smoke-$$
work=$(mktemp -d /tmp/sesv2-smoke.XXXXXX)
dockerd_log=$(mktemp /tmp/sesv2-smoke-dockerd.XXXXXX.log)

passed=0
failed=0
dockerd_pid=""
containers=()
volumes=()
compose_file=""
compose_project=""
declare -A metric=()
script_start=$(date +%s.%N)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
log() { printf '[smoke %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
pass() { passed=$((passed + 1)); log "PASS: $*"; }
fail() { failed=$((failed + 1)); log "FAIL: $*"; }
# A setup step that everything after it needs: stop here when it fails.
fatal() { fail "$*"; exit 1; }
# check NAME CMD...: run CMD, count it; its output goes to the log.
check() {
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

cleanup() {
  local rc=$?
  set +e
  if [ -n "$compose_file" ] && [ -f "$compose_file" ]; then
    docker-compose -p "$compose_project" -f "$compose_file" down -v --remove-orphans >/dev/null 2>&1
  fi
  for c in "${containers[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1; done
  for v in "${volumes[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1; done
  rm -rf "$work"
  if [ -n "$dockerd_pid" ]; then
    log "stopping the dockerd this script started (pid $dockerd_pid)"
    kill -TERM "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
    wait "$dockerd_pid" 2>/dev/null
  fi
  rm -f "$dockerd_log"
  if ((${#metric[@]})); then
    echo "---- measurements ----"
    for k in "${!metric[@]}"; do printf '%-28s %s\n' "$k" "${metric[$k]}"; done | sort
  fi
  echo "smoke.sh duration: $(since "$script_start") s"
  ((failed == 0 && rc != 0)) && failed=1
  echo "docker smoke: $passed passed, $failed failed"
  ((failed == 0)) && exit 0 || exit 1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools ----
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
  log "installing from Debian: ${missing[*]}"
  as_root apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >"$work/apt.log" 2>&1 \
    || { tail -20 "$work/apt.log"; fatal "apt-get install ${missing[*]}"; }
fi
command -v docker >/dev/null 2>&1 || fatal "no docker client after installing docker.io"

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for p in "$HOME/.pyenv/shims/python3" /root/.pyenv/shims/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import boto3' >/dev/null 2>&1; then PY=$(command -v "$p"); break; fi
  done
fi
[ -n "$PY" ] || fatal "no python3 with boto3 (set PYTHON)"
# docker-compose's own python has PyYAML; used to render the host-network stack.
YAML_PY=""
for p in /usr/bin/python3 "$PY" python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' >/dev/null 2>&1; then YAML_PY=$p; break; fi
done

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# --------------------------------------------------------------- daemon ----
if ! docker info >/dev/null 2>&1; then
  log "no docker daemon answers: starting dockerd --iptables=false --bridge=none (log: $dockerd_log)"
  # Started directly (not through a function) so that $! is dockerd's own pid.
  if [ "$(id -u)" -eq 0 ]; then
    dockerd --iptables=false --bridge=none >"$dockerd_log" 2>&1 &
  else
    sudo dockerd --iptables=false --bridge=none >"$dockerd_log" 2>&1 &
  fi
  dockerd_pid=$!
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { tail -30 "$dockerd_log"; dockerd_pid=""; fatal "dockerd did not come up"; }
fi
pass "docker daemon answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"

# ----------------------------------------------------------- base image ----
debian_mirror() {
  if [ -n "${SMOKE_DEBIAN_MIRROR:-}" ]; then echo "$SMOKE_DEBIAN_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
      | head -1 | tr -d '[:space:]')
  echo "${m:-http://deb.debian.org/debian}"
}

if ! docker image inspect "$base_image" >/dev/null 2>&1; then
  mirror=$(debian_mirror)
  log "making $base_image: debootstrap --variant=minbase bookworm from $mirror"
  t=$(now)
  as_root debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; fatal "debootstrap"; }
  as_root rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  as_root tar -C "$work/rootfs" -c . | docker import -c 'CMD ["bash"]' - "$base_image" >/dev/null \
    || fatal "docker import $base_image"
  as_root rm -rf "$work/rootfs"
  metric["base image made (s)"]=$(since "$t")
fi
pass "base image $base_image present"

# -------------------------------------------------------------- context ----
ctx=$work/ctx
mkdir -p "$ctx"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  # Tracked files plus new ones not ignored (a working copy under edit builds
  # as it is); files deleted in the working tree are skipped.
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done \
     | xargs -0 -r cp -P --parents -t "$ctx") || fatal "staging the build context"
else
  (cd "$repo" && tar --exclude='./build*' --exclude=./.git -c .) | tar -C "$ctx" -x || fatal "staging the build context"
fi
mkdir -p "$ctx/fixtures"
log "build context: $(find "$ctx" -type f | wc -l) files, $(du -sh "$ctx" | cut -f1)"

# ---------------------------------------------------------------- build ----
log "docker build -f docker/Dockerfile -t $image (log: build.log)"
t=$(now)
if [ "${SMOKE_BUILD:-1}" = 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
  log "SMOKE_BUILD=0: using the existing $image"
elif docker build --network host -f "$ctx/docker/Dockerfile" -t "$image" "$ctx" >"$work/build.log" 2>&1; then
  metric["image build (s)"]=$(since "$t")
  pass "image $image builds"
else
  grep -v '^\(Get\|Selecting\|Preparing\|Unpacking\|Setting up\):*' "$work/build.log" | tail -60
  fatal "docker build $image"
fi

size=$(docker image inspect --format '{{.Size}}' "$image")
metric["image size (bytes)"]=$size
metric["image size (MB)"]=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')
check "image size ${metric["image size (MB)"]} MB is under 30 MB" test "$size" -lt 30000000
user=$(docker image inspect --format '{{.Config.User}}' "$image")
check "image runs as non-root user '$user'" test -n "$user" -a "${user%%:*}" != 0 -a "${user%%:*}" != root
hc=$(docker image inspect --format '{{json .Config.Healthcheck.Test}}' "$image")
check "image has a HEALTHCHECK $hc" test "$hc" != null

# ------------------------------------------------------------ container ----
# The import files, as the s3 directory: s3://smoke-bucket/<file>.
s3dir=$work/s3
mkdir -p "$s3dir/smoke-bucket"
cat >"$s3dir/smoke-bucket/suppression.csv" <<'EOF'
bounce1@example.com,BOUNCE
bounce2@example.com,BOUNCE
complaint1@example.com,COMPLAINT
not-an-address,BOUNCE
EOF
cat >"$s3dir/smoke-bucket/suppression.json" <<'EOF'
{"emailAddress":"json1@example.com","reason":"COMPLAINT"}
{"emailAddress":"json2@example.com","reason":"BOUNCE"}
{"emailAddress":"json3@example.com","reason":"SPAM"}
EOF
chmod -R a+rX "$s3dir"

volume=$run_id-data
docker volume create "$volume" >/dev/null && volumes+=("$volume")
port=$(free_port)

# start_container NAME: run the image on $port with the volume; echo two
# numbers: seconds from `docker run` to the first 200 from /_mock/health seen
# from the host, and to the HEALTHCHECK reporting healthy (probed every 250 ms).
# Runs in a command substitution, so callers add NAME to containers.
start_container() {
  local name=$1 t0 status ready
  t0=$(now)
  docker run -d --name "$name" --network host \
    -e SESV2_MOCK_PORT="$port" \
    --health-interval 250ms --health-timeout 2s --health-retries 3 --health-start-period 10s \
    -v "$volume":/data -v "$s3dir":/data/s3:ro \
    "$image" >/dev/null || return 1
  "$PY" - "$port" <<'PYEOF' || { docker logs "$name" 2>&1 | tail -20 >&2; return 1; }
import sys, time, urllib.request
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_mock/health", timeout=1) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
sys.exit(1)
PYEOF
  ready=$(since "$t0")
  for _ in $(seq 1 400); do
    status=$(docker inspect --format '{{.State.Health.Status}}' "$name" 2>/dev/null)
    [ "$status" = healthy ] && { echo "$ready $(since "$t0")"; return 0; }
    [ "$(docker inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || break
    sleep 0.05
  done
  docker logs "$name" 2>&1 | tail -20 >&2
  return 1
}

# stop_container NAME: docker stop; echo seconds it took; fail on non-zero exit code.
stop_container() {
  local name=$1 t0 code
  t0=$(now)
  docker stop -t 10 "$name" >/dev/null || return 1
  since "$t0"
  code=$(docker inspect --format '{{.State.ExitCode}}' "$name")
  [ "$code" = 0 ] || { echo "exit code $code" >&2; docker logs "$name" 2>&1 | tail -10 >&2; return 1; }
}

endpoint=http://127.0.0.1:$port
name1=$run_id-1
containers+=("$name1")
if times=$(start_container "$name1"); then
  read -r ready cold <<<"$times"
  metric["cold start to first 200 (s)"]=$ready
  metric["cold start to healthy (s)"]=$cold
  pass "container answers ${ready}s and is healthy ${cold}s after docker run (port $port)"
else
  fatal "container $name1 never became healthy"
fi
check "stdout says it listens" bash -c "docker logs '$name1' 2>/dev/null | grep -q 'sesv2-mock listening on http://0.0.0.0:$port'"

csv_job=""
if out=$("$PY" "$here/smoke_boto3.py" import "$endpoint" s3://smoke-bucket/suppression.csv CSV 4 1 bounce1@example.com BOUNCE); then
  csv_job=$(tail -1 <<<"$out"); log "$(head -1 <<<"$out")"; pass "CSV import from the s3 directory"
else
  fail "CSV import from the s3 directory"
fi
if out=$("$PY" "$here/smoke_boto3.py" import "$endpoint" s3://smoke-bucket/suppression.json JSON 3 1 json1@example.com COMPLAINT); then
  log "$(head -1 <<<"$out")"; pass "JSON import from the s3 directory"
else
  fail "JSON import from the s3 directory"
fi
if out=$("$PY" "$here/smoke_boto3.py" fails "$endpoint" s3://smoke-bucket/missing.csv); then
  log "$out"; pass "import of a missing object ends FAILED"
else
  fail "import of a missing object ends FAILED"
fi

if stop_s=$(stop_container "$name1"); then
  metric["docker stop (s)"]=$stop_s
  check "docker stop took ${stop_s}s (limit 5s), exit code 0" awk -v s="$stop_s" 'BEGIN { exit !(s < 5) }'
else
  fail "docker stop $name1"
fi
# Files in the volume belong to the image's user, not root.
owners=$(docker run --rm --network none -v "$volume":/data --entrypoint /bin/sh "$base_image" \
  -c 'stat -c "%u %n" /data/sesv2-mock.db* 2>/dev/null')
log "volume: ${owners//$'\n'/; }"
owned_by_image_user() { [ -n "$owners" ] && ! grep -qv '^10001 ' <<<"$owners"; }
check "database file in the volume, owned by uid 10001" owned_by_image_user

name2=$run_id-2
containers+=("$name2")
if times=$(start_container "$name2"); then
  read -r ready warm <<<"$times"
  metric["restart to healthy (s)"]=$warm
  pass "new container on the same volume answers after ${ready}s, healthy after ${warm}s"
  if [ -n "$csv_job" ]; then
    if out=$("$PY" "$here/smoke_boto3.py" check "$endpoint" "$csv_job" 4 1 bounce1@example.com BOUNCE); then
      log "$out"; pass "job and suppressed address survive a restart"
    else
      fail "job and suppressed address survive a restart"
    fi
  else
    fail "job survives a restart (no job was created)"
  fi
  if stop_s=$(stop_container "$name2"); then
    check "second docker stop took ${stop_s}s, exit code 0" awk -v s="$stop_s" 'BEGIN { exit !(s < 5) }'
  else
    fail "docker stop $name2"
  fi
else
  fail "container on the same volume never became healthy"
fi

# ------------------------------------------------------ compose example ----
# examples/compose: an app container (Debian's boto3) that imports, sends and reads
# /_mock/messages through the image built above. SMOKE_EXAMPLE=0 skips it.
if [ "${SMOKE_EXAMPLE:-1}" != 0 ]; then
  if SMOKE_BUILD=0 SMOKE_IMAGE="$image" PYTHON="$PY" bash "$ctx/examples/compose/smoke.sh" >"$work/example.log" 2>&1; then
    pass "compose example: $(tail -1 "$work/example.log")"
  else
    cat "$work/example.log"
    fail "compose example: $(tail -1 "$work/example.log")"
  fi
fi

# -------------------------------------------------------------- compose ----
if [ "${SMOKE_COMPOSE:-1}" = 0 ]; then
  log "SMOKE_COMPOSE=0: compose stack skipped"
  exit 0
fi
cfile=$ctx/docker/docker-compose.yml
check "docker-compose.yml is valid (docker-compose config)" docker-compose -f "$cfile" config -q
[ -n "$YAML_PY" ] || fatal "no python3 with PyYAML to render the compose file"

# s3rver image: npm reaches the registry over HTTPS; a proxy's CA certificates
# from this host are trusted during the build only (a staged copy of the context).
s3ctx=$work/s3ctx
cp -r "$ctx/docker/s3" "$s3ctx"
find /usr/local/share/ca-certificates -name '*.crt' -type f -exec cp {} "$s3ctx/ca-certificates/" \; 2>/dev/null
t=$(now)
if docker build --network host -t "$s3_image" "$s3ctx" >"$work/s3-build.log" 2>&1; then
  metric["s3 image build (s)"]=$(since "$t")
  pass "s3rver image $s3_image builds"
else
  tail -40 "$work/s3-build.log"
  fatal "docker build $s3_image"
fi

compose_project=sesv2smoke$$
s3_port=$(free_port)
mock_port=$(free_port)
while [ "$mock_port" = "$s3_port" ]; do mock_port=$(free_port); done
docker-compose -p "$compose_project" -f "$cfile" config >"$work/compose.rendered.yml" || fatal "docker-compose config"
compose_file=$work/compose.hostnet.yml
"$YAML_PY" - "$work/compose.rendered.yml" "$compose_file" "$s3_port" "$mock_port" "$image" "$s3_image" <<'EOF' || fatal "rendering the host-network compose file"
import sys, yaml
src, dst, s3_port, mock_port, image, s3_image = sys.argv[1:]
doc = yaml.safe_load(open(src))
for name, svc in doc["services"].items():
    svc.pop("ports", None)
    svc["network_mode"] = "host"
    svc.setdefault("environment", {})
s3, mock = doc["services"]["s3"], doc["services"]["sesv2-mock"]
s3["image"] = s3_image
s3["environment"]["S3_PORT"] = s3_port
mock["image"] = image
mock["environment"]["SESV2_MOCK_PORT"] = mock_port
mock["environment"]["SESV2_MOCK_S3_ENDPOINT"] = f"http://s3:{s3_port}"
mock["extra_hosts"] = ["s3:127.0.0.1"]
yaml.safe_dump(doc, open(dst, "w"), default_flow_style=False, sort_keys=False)
EOF

log "docker-compose up (project $compose_project, s3 on $s3_port, sesv2-mock on $mock_port)"
t=$(now)
if docker-compose -p "$compose_project" -f "$compose_file" up -d --no-build >"$work/compose-up.log" 2>&1; then
  mock_id=$(docker-compose -p "$compose_project" -f "$compose_file" ps -q sesv2-mock)
  s3_id=$(docker-compose -p "$compose_project" -f "$compose_file" ps -q s3)
  healthy=""
  for _ in $(seq 1 600); do
    st=$(docker inspect --format '{{.State.Running}} {{.State.Health.Status}}' "$mock_id" 2>/dev/null)
    [ "$st" = "true healthy" ] && { healthy=yes; break; }
    [ "${st%% *}" = true ] || break   # exited: no point waiting
    sleep 0.1
  done
  if [ -n "$healthy" ] && [ "$(docker inspect --format '{{.State.Health.Status}}' "$s3_id")" = healthy ]; then
    metric["compose up to healthy (s)"]=$(since "$t")
    pass "compose stack healthy (s3 first, then sesv2-mock) after ${metric["compose up to healthy (s)"]}s"
    cep=http://127.0.0.1:$mock_port
    if out=$("$PY" "$here/smoke_boto3.py" import "$cep" s3://imports/suppression.csv CSV 5 1 complaint2@example.com COMPLAINT); then
      log "$(head -1 <<<"$out")"; pass "compose: CSV import from the seeded bucket through the S3 endpoint"
    else
      fail "compose: CSV import from the seeded bucket through the S3 endpoint"
    fi
    # The fixture files the container loaded: each entry of SESV2_MOCK_FIXTURES, a folder
    # standing for its *.json files (schemas excepted), as the server reads it.
    fixture_files=$(docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$mock_id" \
      | sed -n 's/^SESV2_MOCK_FIXTURES=//p' | tr ':' '\n' | sed "s#^/fixtures#$ctx/fixtures#" \
      | while read -r entry; do
          if [ -d "$entry" ]; then
            find "$entry" -maxdepth 1 -name '*.json' ! -name '*.schema.json' | sort
          else
            echo "$entry"
          fi
        done | grep '\.json$')
    # shellcheck disable=SC2086
    if [ -n "$fixture_files" ] && out=$("$PY" "$here/smoke_boto3.py" fixture "$cep" $fixture_files); then
      log "$out"; pass "compose: fixtures from ../fixtures loaded"
    else
      fail "compose: fixtures from ../fixtures loaded"
    fi
    if out=$("$PY" "$here/smoke_boto3.py" fails "$cep" s3://imports/missing.csv); then
      log "$out"; pass "compose: missing S3 object ends FAILED"
    else
      fail "compose: missing S3 object ends FAILED"
    fi
    t=$(now)
    if docker-compose -p "$compose_project" -f "$compose_file" stop >/dev/null 2>&1; then
      metric["compose stop (s)"]=$(since "$t")
      check "compose stop took ${metric["compose stop (s)"]}s, sesv2-mock exit code 0" \
        test "$(docker inspect --format '{{.State.ExitCode}}' "$mock_id")" = 0
    else
      fail "docker-compose stop"
    fi
  else
    docker-compose -p "$compose_project" -f "$compose_file" logs --tail 20 2>&1 | tail -40
    fail "compose stack did not become healthy"
  fi
else
  cat "$work/compose-up.log"
  fail "docker-compose up"
fi
exit 0
