#!/usr/bin/env bash
# The house's formatting and lint, as ops/test.sh runs them:
#   ops/lint.sh format   every tracked C++ file is as clang-format (.clang-format) writes it;
#                        prints the files that differ (fix: clang-format -i FILE)
#   ops/lint.sh tidy     clang-tidy (.clang-tidy: names, bugs, modern C++) on every source
#                        file of src/, with build/'s compile commands; fails on any finding
# Exit status 0 only when clean.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

format() {
  local files bad=()
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
  for file in "${files[@]}"; do
    clang-format --dry-run --Werror "$file" >/dev/null 2>&1 || bad+=("$file")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    printf 'lint: not formatted (clang-format -i FILE): %s\n' "${bad[@]}" >&2
    return 1
  fi
  echo "lint: ${#files[@]} files formatted"
}

tidy() {
  [ -f build/compile_commands.json ] || { echo "lint: build/compile_commands.json missing (run ops/setup.sh)" >&2; return 1; }
  local log status=0
  log=$(mktemp)
  run-clang-tidy -p build -quiet -j "$(nproc)" -extra-arg=-Wno-unknown-warning-option "$here/src/" >"$log" 2>&1 || status=1
  if grep -qE "(warning|error): .*\[[a-z]" "$log"; then status=1; fi
  grep -E "(warning|error): .*\[[a-z]" -A3 "$log" | head -n 120 >&2 || true
  rm -f "$log"
  [ "$status" = 0 ] && echo "lint: clang-tidy found nothing in src/"
  return "$status"
}

case "${1:-}" in
  format) format ;;
  tidy) tidy ;;
  *) echo "usage: ops/lint.sh format|tidy" >&2; exit 2 ;;
esac
