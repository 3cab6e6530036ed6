#!/usr/bin/env bash
# Puts the example import files of fixtures/import-files/ into an s3 folder (default: the
# bucket `imports` of the server's default s3 directory, data/s3/imports), so the README's
# first examples run as written after `make run`. Files already there are left alone.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-data/s3/imports}"
mkdir -p "$target"
copied=0
for file in "$repo"/fixtures/import-files/*; do
  name="$(basename "$file")"
  if [ ! -e "$target/$name" ]; then
    cp "$file" "$target/$name"
    copied=$((copied + 1))
  fi
done
if [ "$copied" -gt 0 ]; then
  echo "copied $copied example import files to $target/ (s3://imports/...)"
fi
