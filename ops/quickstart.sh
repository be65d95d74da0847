#!/usr/bin/env bash
# The README's first command: on a fresh Debian 12 machine, set everything up and run a
# sample month end to end against the private PostgreSQL under var/:
#   packages + build -> private cluster + migrations -> contracts check + load ->
#   generated transactions -> ingest -> nightly -> billing (drafts) -> export into out/,
#   then the sample cost ledger -> allocation and next year's price proposal.
# Running it again gives the same invoices: the same files load as duplicates and the
# billing run replaces its drafts.
#   ops/quickstart.sh [--month YYYY-MM] [--seed N] [--scale X]
# The month defaults to the last complete month, which the sample agreements cover.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
month=""; seed=2026; scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    --month) month=$2; shift ;;
    --seed) seed=$2; shift ;;
    --scale) scale=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "quickstart.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$month" ] || month=$(TZ=Europe/Helsinki date -d "$(TZ=Europe/Helsinki date +%Y-%m-01) -1 month" +%Y-%m)

ops/setup.sh
cc=build/src/cli/costcover
unset COSTCOVER_DATABASE_URL  # the quick start always uses the private cluster under var/

echo "== database";   $cc db migrate
echo "== contracts";  $cc contracts check contracts && $cc contracts load contracts
echo "== generate $month"
mkdir -p "out/transactions/$month"
$cc generate --month "$month" --seed "$seed" --scale "$scale" --out "out/transactions/$month"
echo "== ingest"
for file in "out/transactions/$month"/*.csv; do
  case "$file" in *.rejects.csv) continue ;; esac
  $cc ingest --source "$(basename "$file" .csv)" "$file"
done
echo "== nightly";    $cc nightly
echo "== billing $month (drafts)"
$cc bill --period "$month"
echo "== export"
$cc export --period "$month" --format csv --out out
$cc export --period "$month" --format html --out out/html
year=${month%%-*}
if [ -f "contracts/costs/ledger-$year.csv" ] && [ -f "contracts/costs/$year.yaml" ]; then
  echo "== cost ledger $year and price proposal for $((year + 1))"
  $cc costs import --year "$year" "contracts/costs/ledger-$year.csv"
  $cc prices propose --year "$year" --out "out/costing/$year"
fi
echo
echo "Done. Invoices: out/invoices.csv and out/html/; transactions and reject files: out/transactions/$month/"
echo "Cost allocation, unit costs, proposed prices and the what-if table: out/costing/"
echo "The database: psql \"\$($cc db url)\"   (stop it with ops/pg.sh stop)"
