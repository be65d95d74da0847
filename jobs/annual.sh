#!/usr/bin/env bash
# The yearly batch, after the year's ledger is closed: import it, compute the matching
# calculation and the settlement drafts, then propose next year's prices (after the
# settlement, so that the differences it carries forward are in the proposal).
#   jobs/annual.sh YEAR LEDGER.csv
set -euo pipefail
home=${COSTCOVER_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cc="$home/build/src/cli/costcover"
year=${1:?usage: jobs/annual.sh YEAR LEDGER.csv}
ledger=${2:?usage: jobs/annual.sh YEAR LEDGER.csv}
out=${COSTCOVER_OUT:-$home/out}/$year
"$cc" costs import --year "$year" "$ledger"
# settle first: with carry_forward, the differences it records go into the proposal.
"$cc" settle --year "$year" --out "$out"
"$cc" prices propose --year "$year" --out "$out"
