#!/usr/bin/env bash
# Runs the compose example (examples/compose/docker-compose.yml) and requires its app to
# pass every check. Needs a running docker daemon, docker-compose, the base image
# debian:bookworm-slim and a python3 with PyYAML (docker-compose's own has it):
# docker/smoke.sh provides all of them and calls this script (SMOKE_EXAMPLE=0 skips it).
#
#   examples/compose/smoke.sh
#
# Like docker/smoke.sh it runs the stack with host networking (a daemon started with
# --bridge=none has no network for compose): it renders the file with
# `docker-compose config`, drops `ports:`, sets network_mode: host, moves the mock to a
# free port and maps the name "ses" to 127.0.0.1 for the app; every other setting is used
# as written.
#
# Environment: SMOKE_BUILD=0 reuses an existing sesv2-mock image (SMOKE_IMAGE, default
# sesv2-mock:dev); SMOKE_APP_IMAGE (default sesv2-mock-example-app:dev).
# Last line: "compose example: N passed, M failed"; exit status 0 only when M is 0.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
image=${SMOKE_IMAGE:-sesv2-mock:dev}
app_image=${SMOKE_APP_IMAGE:-sesv2-mock-example-app:dev}
project=sesv2example$$
work=$(mktemp -d /tmp/sesv2-example.XXXXXX)
passed=0
failed=0
rendered=""

log() { printf '[example %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
pass() { passed=$((passed + 1)); log "PASS: $*"; }
fail() { failed=$((failed + 1)); log "FAIL: $*"; }

cleanup() {
  set +e
  [ -n "$rendered" ] && docker-compose -p "$project" -f "$rendered" down -v --remove-orphans >/dev/null 2>&1
  rm -rf "$work"
  echo "compose example: $passed passed, $failed failed"
  ((failed == 0)) && exit 0 || exit 1
}
trap cleanup EXIT

YAML_PY=""
for p in /usr/bin/python3 "${PYTHON:-python3}" python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' >/dev/null 2>&1; then YAML_PY=$p; break; fi
done
[ -n "$YAML_PY" ] || { fail "no python3 with PyYAML"; exit 1; }

if [ "${SMOKE_BUILD:-1}" = 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
  log "SMOKE_BUILD=0: using the existing $image"
elif docker build --network host -f "$repo/docker/Dockerfile" -t "$image" "$repo" >"$work/build.log" 2>&1; then
  pass "image $image builds"
else
  tail -40 "$work/build.log"; fail "docker build $image"; exit 1
fi
if docker build --network host -t "$app_image" "$here/app" >"$work/app-build.log" 2>&1; then
  pass "app image $app_image builds (Debian's python3-boto3 on debian:bookworm-slim)"
else
  tail -40 "$work/app-build.log"; fail "docker build $app_image"; exit 1
fi

# The mock runs as uid 10001: the import file must be readable by others.
chmod -R a+rX "$here/s3"
if docker-compose -f "$here/docker-compose.yml" config -q; then
  pass "docker-compose.yml is valid"
else
  fail "docker-compose.yml is valid"; exit 1
fi
port=$("$YAML_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
docker-compose -p "$project" -f "$here/docker-compose.yml" config >"$work/rendered.yml" || { fail "docker-compose config"; exit 1; }
rendered=$work/hostnet.yml
"$YAML_PY" - "$work/rendered.yml" "$rendered" "$port" "$image" "$app_image" <<'EOF' || { fail "rendering the host-network file"; exit 1; }
import sys, yaml
src, dst, port, image, app_image = sys.argv[1:]
doc = yaml.safe_load(open(src))
for svc in doc["services"].values():
    svc.pop("ports", None)
    svc.pop("build", None)
    svc["network_mode"] = "host"
    svc.setdefault("environment", {})
ses, app = doc["services"]["ses"], doc["services"]["app"]
ses["image"], app["image"] = image, app_image
ses["environment"]["SESV2_MOCK_PORT"] = port
app["environment"]["SES_ENDPOINT"] = f"http://ses:{port}"
app["extra_hosts"] = ["ses:127.0.0.1"]
yaml.safe_dump(doc, open(dst, "w"), default_flow_style=False, sort_keys=False)
EOF

log "docker-compose up (project $project, mock on port $port)"
start=$(date +%s)
docker-compose -p "$project" -f "$rendered" up --no-build --abort-on-container-exit --exit-code-from app \
  >"$work/up.log" 2>&1
rc=$?
log "app exit status $rc after $(($(date +%s) - start)) s"
if [ "$rc" = 0 ] && grep -q "example app: all checks passed" "$work/up.log"; then
  pass "the app imported, sent and found every check held"
else
  tail -40 "$work/up.log"; fail "the app's checks (exit status $rc)"
fi
grep -E 'app_1 +\| (ok|FAIL) ' "$work/up.log" | sed 's/^/  /'
exit 0
