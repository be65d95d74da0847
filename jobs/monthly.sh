#!/usr/bin/env bash
# The monthly batch: draft invoices for the previous month (Helsinki time) and export
# them for review into OUT/MONTH (CSVs, and the HTML drafts in OUT/MONTH/drafts/).
# Finalisation stays a human step; after it, `jobs/monthly.sh --final [MONTH]` exports
# the final documents into OUT/MONTH/final/ (and removes the month's draft pages).
set -euo pipefail
home=${COSTCOVER_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cc="$home/build/src/cli/costcover"
final=0
if [[ ${1:-} == --final ]]; then
  final=1
  shift
fi
month=${1:-$(TZ=Europe/Helsinki date -d "$(TZ=Europe/Helsinki date +%Y-%m-01) -1 month" +%Y-%m)}
out=${COSTCOVER_OUT:-$home/out}/$month
if ((final)); then
  "$cc" export --period "$month" --format csv --out "$out"
  "$cc" export --period "$month" --format html --out "$out"
  echo "final documents of $month in $out/final/ (CSVs in $out)"
  exit 0
fi
"$cc" bill --period "$month"
"$cc" export --period "$month" --format csv --out "$out"
"$cc" export --period "$month" --format html --out "$out"
echo "drafts for $month in $out/drafts/ (CSVs in $out); review, then:"
echo "  costcover finalize --period $month && jobs/monthly.sh --final $month"
