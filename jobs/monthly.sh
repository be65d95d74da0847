#!/usr/bin/env bash
# The monthly batch: draft invoices for the previous month (Helsinki time) and export
# them for review. Finalisation stays a human step: costcover finalize --period YYYY-MM.
set -euo pipefail
home=${COSTCOVER_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cc="$home/build/src/cli/costcover"
month=${1:-$(TZ=Europe/Helsinki date -d "$(TZ=Europe/Helsinki date +%Y-%m-01) -1 month" +%Y-%m)}
out=${COSTCOVER_OUT:-$home/out}/$month
"$cc" bill --period "$month"
"$cc" export --period "$month" --format csv --out "$out"
"$cc" export --period "$month" --format html --out "$out/html"
echo "drafts for $month in $out; review, then: costcover finalize --period $month"
