#!/usr/bin/env bash
# The whole test suite: the README's second command, and what .ci/run calls.
#   1. set-up (packages) and three builds: release, ASan+UBSan, libFuzzer (clang);
#   2. a throwaway PostgreSQL cluster for this run only (stopped and deleted at the end,
#      whatever happens); every integration test makes a fresh database in it;
#   3. every unit and integration test, in the release build and again under the
#      sanitizers; the contracts check on the samples; the loader fuzzer for a bounded time;
#   4. the formatting check (clang-format) and, in a full run, clang-tidy (ops/lint.sh).
# Prints "N passed, N failed" last; exit status 0 only when everything passed.
#   Options: --quick (release build only, no sanitizers, no fuzzing), --fuzz-seconds N
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
quick=0; fuzz_seconds=${COSTCOVER_FUZZ_SECONDS:-60}
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --fuzz-seconds) fuzz_seconds=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then ops/setup.sh; else ops/setup.sh --asan --fuzz; fi

cluster=$(mktemp -d /tmp/cc-test.XXXXXX)
cleanup() { ops/pg.sh temp-stop "$cluster" || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
COSTCOVER_TEST_ADMIN_URL=$(ops/pg.sh temp-start "$cluster" | tail -n 1)
export COSTCOVER_TEST_ADMIN_URL
echo "test: throwaway PostgreSQL at $COSTCOVER_TEST_ADMIN_URL"

passed=0; failed=0; failures=()
step() {  # NAME COMMAND...: one counted step of the suite
  local name=$1; shift
  echo "test: == $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
ctest_in() {  # DIR: run a build's tests, add its counts
  local dir=$1 log
  log=$(mktemp)
  local status=0
  ctest --test-dir "$dir" --output-on-failure -j 2 --timeout 600 >"$log" 2>&1 || status=$?
  grep -E "tests passed|tests failed|The following tests FAILED|\*\*\*Failed|Timeout|Not Run|did not run|\(Skipped\)" "$log" | head -n 40 || true
  if [ "$status" != 0 ]; then sed -n '/The following tests FAILED/,$p' "$log" | head -n 60; grep -B2 -A30 "Failure\|ERROR\|Sanitizer" "$log" | head -n 150; fi
  local n_total n_failed
  n_total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' "$log" | tail -n 1)
  n_failed=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  [ -n "$n_total" ] || { echo "test: no ctest summary for $dir" >&2; return 1; }
  passed=$((passed + n_total - n_failed)); failed=$((failed + n_failed))
  [ "$n_failed" = 0 ] && [ "$status" = 0 ]
}

ctest_in build || failures+=("ctest build/")
step "contracts check on the samples" build/src/cli/costcover contracts check contracts
step "formatting (clang-format)" ops/lint.sh format
if [ "$quick" = 0 ]; then
  ctest_in build-asan || failures+=("ctest build-asan/")
  fuzz_run() {  # the seed corpus is read-only; new inputs go to a scratch folder
    local scratch status=0
    scratch=$(mktemp -d)
    echo "test: fuzzing the contracts loader for ${fuzz_seconds}s"
    build-fuzz/tests/fuzz/contracts_fuzz -max_total_time="$fuzz_seconds" -max_len=8192 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/" -dict=tests/fuzz/contracts.dict \
      "$scratch" tests/fuzz/corpus >"$scratch.log" 2>&1 || { status=1; tail -n 60 "$scratch.log"; ls "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* 2>/dev/null; }
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$scratch.log" | tail -n 2 || true
    rm -rf "$scratch" "$scratch.log"
    return $status
  }
  step "fuzzing the contracts loader" fuzz_run
  step "lint (clang-tidy)" ops/lint.sh tidy
fi

echo
if [ ${#failures[@]} -gt 0 ]; then echo "test: FAILED: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ ${#failures[@]} = 0 ]
