#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when any is missing.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libssl-dev doctest-dev libcli11-dev
  libgmime-3.0-dev  # MIME building and parsing for sent mail (server/sending)
  libjemalloc-dev   # the server's allocator (CMakeLists.txt, SESV2_MOCK_JEMALLOC)
  wrk
  chromium  # the web inspector's browser test (driven by npm puppeteer-core)
  # clients of the end-to-end tests: AWS CLI v2 (/usr/bin/aws), the AWS SDK for Go v2
  awscli golang-go golang-github-aws-aws-sdk-go-v2-dev
)
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The JavaScript end-to-end tests use @aws-sdk/client-sesv2 from npm, the template test
# uses the npm handlebars package as its oracle, and the web inspector's test drives
# Debian's chromium with puppeteer-core (which downloads no browser of its own).
js_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e/js"
if [ -f "$js_dir/package-lock.json" ] && { [ ! -d "$js_dir/node_modules/@aws-sdk/client-sesv2" ] ||
  [ ! -d "$js_dir/node_modules/handlebars" ] || [ ! -d "$js_dir/node_modules/nodemailer" ] ||
  [ ! -d "$js_dir/node_modules/puppeteer-core" ]; }; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "installing: nodejs npm"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nodejs npm >/dev/null
  fi
  echo "installing the JS test dependencies (npm ci)"
  (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
