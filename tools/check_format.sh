#!/usr/bin/env bash
# Fails when a tracked C++ file differs from .clang-format (clang-format --dry-run --Werror).
# `make format` rewrites them. Usage: check_format.sh [SOURCE_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
if git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
else  # an exported tree without git: every C++ file outside build folders
  mapfile -t files < <(find server storage tests bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null | sort)
fi
clang-format --dry-run --Werror "${files[@]}"
echo "format ok (${#files[@]} files)"
