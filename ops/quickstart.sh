#!/usr/bin/env bash
# The README's first command: on a fresh Debian 12 machine, set everything up and run a
# sample month end to end against the private PostgreSQL under var/:
#   packages + build -> private cluster + migrations -> contracts check + load ->
#   generated transactions -> ingest -> nightly -> billing (drafts) -> export into out/,
#   then the sample cost ledger -> allocation and next year's price proposal, and next
#   year's prices from the sample budget (before the year: out/costing/budget-YYYY/),
#   then the year-end demo: the sample ledger's whole year billed and finalised month by
#   month as if the year had ended, settled and priced, in its own database
#   costcover_yearend, into out/yearend/; its final invoices and credit notes also as
#   e-invoices (UBL and Finvoice) in out/einvoices/, validated against the official schemas.
# Running it again gives the same invoices: the same files load as duplicates, the billing
# run replaces its drafts, and the year-end demo's final invoices and settlement stay.
#   ops/quickstart.sh [--month YYYY-MM] [--seed N] [--scale X]
# The month defaults to the last complete month, which the sample agreements cover.
# --seed and --scale apply to that month; the year-end demo always uses seed 2026, scale 1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
month=""; seed=2026; scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    --month) month=$2; shift ;;
    --seed) seed=$2; shift ;;
    --scale) scale=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
$cc export --period "$month" --format html --out out
year=${month%%-*}
if [ -f "contracts/costs/ledger-$year.csv" ] && [ -f "contracts/costs/$year.yaml" ]; then
  echo "== cost ledger $year and price proposal for $((year + 1))"
  $cc costs import --year "$year" "contracts/costs/ledger-$year.csv"
  $cc prices propose --year "$year" --out "out/costing/$year"
fi
next=$((year + 1))
if [ -f "contracts/costs/budget-$next.csv" ] && [ -f "contracts/costs/$next.yaml" ]; then
  # The autumn's job: next year's prices from its budget, before the year starts.
  echo "== budget $next and its prices, before the year"
  $cc costs import --year "$next" --budget "contracts/costs/budget-$next.csv"
  $cc prices propose --year "$next" --budget --out "out/costing/budget-$next"
fi

# The year-end demo. `settle --year Y` needs a year whose invoices are all final, so the
# demo bills the sample ledger's year as if it had ended: every time in it is a parameter
# (generate and ingest --as-of, finalize --issue-date), nothing depends on the clock, and
# it runs in its own database, so the main one never receives rows delivered after today.
# Scale 1 and a fixed seed: the sample ledger and cost model are sized for a full year at
# scale 1 (about 1.1 M transactions; the stage takes 15 to 30 s on 2 cores), so revenue and
# cost are comparable and the settlement means something. Months, the settlement and the
# proposal are each idempotent: run again, it adds no final invoice and no settlement line.
yearend_ledger=$(ls contracts/costs/ledger-[0-9][0-9][0-9][0-9].csv 2>/dev/null | sort | tail -n 1)
yearend_year=$(basename "${yearend_ledger:-ledger-0.csv}" .csv); yearend_year=${yearend_year#ledger-}
if [ -n "$yearend_ledger" ] && [ -f "contracts/costs/$yearend_year.yaml" ]; then
  yearend_db=costcover_yearend
  echo "== year-end demo $yearend_year (as if the year had ended), database $yearend_db"
  stage_started=$SECONDS
  yearend_url=$(ops/pg.sh ensure "$yearend_db" | tail -n 1)
  yc() { "$cc" --db "$yearend_url" "$@"; }
  ysql() { psql "$yearend_url" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
  business_day() {  # DAY: DAY if it is a business day, else the next one (the stored calendar)
    ysql "SELECT min(day) FROM business_calendar WHERE is_business_day AND day >= DATE '$1'"
  }
  log=$(mktemp); trap 'rm -f "$log"' EXIT
  quiet() {  # COMMAND...: keep its output in $log, show it only if it fails
    if ! "$@" >"$log" 2>&1; then cat "$log" >&2; echo "quickstart.sh: failed: $*" >&2; exit 1; fi
  }
  as_of="$((yearend_year + 1))-01-15T00:00:00Z"  # the year's files are all in by then
  settled_on="$((yearend_year + 1))-01-15"       # and the settlement is issued that day
  yearend=out/yearend
  quiet yc db migrate
  quiet yc contracts load contracts
  for mm in 01 02 03 04 05 06 07 08 09 10 11 12; do
    period=$yearend_year-$mm
    dir=$yearend/transactions/$period
    quiet yc generate --month "$period" --seed 2026 --scale 1 --as-of "$as_of" --out "$dir"
    rows=$(sed -n 's/^generated \([0-9]*\) rows.*/\1/p' "$log")
    new=0
    for file in "$dir"/*.csv; do
      case "$file" in *.rejects.csv) continue ;; esac
      quiet yc ingest --source "$(basename "$file" .csv)" --as-of "$as_of" "$file"
      new=$((new + $(sed -n 's/^ *\([0-9]*\) new transactions.*/\1/p' "$log")))
    done
    quiet yc nightly
    # bill refuses a month with uncounted input or unresolved rejects; the nightly run
    # above counted everything and the generated files have no rejects, so no --force.
    # --early: the demo bills the year as if it had ended, even a month that has not.
    quiet yc bill --early --period "$period"
    # Invoices are issued on the 3rd of the next month (when jobs/monthly.sh runs), or the
    # next business day after it: finalize refuses an issue date on a weekend or holiday.
    quiet yc finalize --period "$period" --issue-date "$(business_day "$(date -d "$period-01 +1 month" +%Y-%m-03)")"
    echo "  $period: $rows rows generated, $new new transactions; $(head -n 1 "$log")"
  done
  yc costs import --year "$yearend_year" "$yearend_ledger"
  # Refused while a month of the year has drafts or no final invoice: both are done above.
  yc settle --year "$yearend_year" --out "$yearend/$yearend_year"
  # The settlement drafts, finalised here without the human review they would get.
  quiet yc finalize --period "$yearend_year-12" --issue-date "$(business_day "$settled_on")"
  head -n 1 "$log"
  quiet yc prices propose --year "$yearend_year" --out "$yearend/costing"
  echo "prices for $((yearend_year + 1)) proposed after the settlement: $yearend/costing/prices/$((yearend_year + 1)).yaml"
  for mm in 01 02 03 04 05 06 07 08 09 10 11 12; do
    quiet yc export --period "$yearend_year-$mm" --format csv --out "$yearend/invoices/$yearend_year-$mm"
    quiet yc export --period "$yearend_year-$mm" --format html --out "$yearend/invoices/$yearend_year-$mm"
  done

  # E-invoices: every final document of the year (the settlement's credit notes included)
  # as Peppol BIS Billing 3.0 UBL and as Finvoice 3.0, each checked by the project's rules
  # before it is written, then validated against the official schemas the repository keeps.
  einvoices=out/einvoices
  for format in ubl finvoice; do
    for mm in 01 02 03 04 05 06 07 08 09 10 11 12; do
      quiet yc export --period "$yearend_year-$mm" --format "$format" --out "$einvoices/$format/$yearend_year-$mm"
    done
  done
  validate() {  # SCHEMA FILE...: prints how many of the files the schema accepts
    [ $# -gt 1 ] || { echo 0; return; }
    local schema=$1; shift
    xmllint --noout --schema "$schema" "$@" 2>&1 | grep -c ' validates$' || true
  }
  mapfile -t ubl_invoices < <(grep -l '<Invoice ' "$einvoices"/ubl/*/*.xml 2>/dev/null || true)
  mapfile -t ubl_credits < <(grep -l '<CreditNote ' "$einvoices"/ubl/*/*.xml 2>/dev/null || true)
  mapfile -t finvoices < <(ls "$einvoices"/finvoice/*/*.finvoice.xml 2>/dev/null || true)
  schemas=tests/einvoice/schemas
  finals=$(ysql "SELECT count(*) FROM invoice WHERE status = 'final'
                   AND period BETWEEN '$yearend_year-01' AND '$yearend_year-12'")
  ubl_ok=$(( $(validate "$schemas/ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd" "${ubl_invoices[@]}") +
             $(validate "$schemas/ubl-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd" "${ubl_credits[@]}") ))
  fin_ok=$(validate "$schemas/finvoice-3.0/Finvoice3.0.xsd" "${finvoices[@]}")
  echo "e-invoices of $yearend_year: $ubl_ok of $finals final documents passed the rule checks and the UBL 2.1 schema ($einvoices/ubl/),"
  echo "  $fin_ok of $finals passed the checks and the Finvoice 3.0 schema ($einvoices/finvoice/)"
  if [ "$ubl_ok" != "$finals" ] || [ "$fin_ok" != "$finals" ]; then
    echo "quickstart.sh: some e-invoices failed validation (run xmllint on them to see why)" >&2; exit 1
  fi

  # The matching totals, read back from the database (the same on every run).
  eur() { echo "replace(to_char($1, 'FM999,999,999,990.00'), ',', ' ')"; }
  echo
  echo "Year-end demo $yearend_year, as if the year had ended (database $yearend_db):"
  # The centre's result (v_settlement_result, sql/065): revenue + settlement - cost over every
  # service, fees and charges in their services; it is what was carried forward.
  ysql "WITH m AS (SELECT sum(revenue) AS revenue, sum(total_cost) AS cost, sum(surplus) AS surplus
                     FROM cost_settlement WHERE year = $yearend_year),
             r AS (SELECT result, carried_forward, carried_services FROM v_settlement_result
                    WHERE year = $yearend_year),
             s AS (SELECT count(*) AS lines, count(DISTINCT i.id) AS invoices, coalesce(sum(l.amount), 0) AS amount
                     FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
                    WHERE l.kind = 'settlement' AND l.price_source = 'settlement $yearend_year' AND i.status = 'final'),
             f AS (SELECT count(*) AS invoices FROM invoice
                    WHERE status = 'final' AND period BETWEEN '$yearend_year-01' AND '$yearend_year-12')
        SELECT format('  %s final invoices of %s-01..%s-12, the settlement included', f.invoices, '$yearend_year',
                      '$yearend_year') || E'\n' ||
               format('  services: revenue %s EUR, total cost %s EUR, %s %s EUR (coverage %s %%)',
                      $(eur m.revenue), $(eur m.cost), CASE WHEN m.surplus >= 0 THEN 'surplus' ELSE 'deficit' END,
                      $(eur 'abs(m.surplus)'), round(100 * m.revenue / nullif(m.cost, 0), 2)) || E'\n' ||
               format('  settlement: %s lines on %s final invoices and credit notes of %s-12, total %s EUR (%s)',
                      s.lines, s.invoices, '$yearend_year', $(eur s.amount),
                      CASE WHEN s.amount < 0 THEN 'a surplus credited to the agencies'
                           ELSE 'a deficit charged to the agencies' END) || E'\n' ||
               format('  the centre''s result after the settlement: revenue + settlement - cost = %s EUR',
                      $(eur r.result)) ||
               CASE WHEN r.carried_services > 0 THEN E'\n' ||
                 format('  carried forward to the %s price proposal (within the threshold): %s EUR over %s service(s)',
                        $yearend_year + 1, $(eur r.carried_forward), r.carried_services)
                 ELSE E'\n  every difference settled: nothing carried forward' END
          FROM m, r, s, f"
  echo "  (stage took $((SECONDS - stage_started)) s)"
fi

echo
echo "Done. Invoices: out/invoices.csv, out/invoice_headers.csv and the draft pages in out/drafts/; transactions and reject files: out/transactions/$month/"
echo "Cost allocation, unit costs, proposed prices and the what-if table: out/costing/"
if [ -n "${yearend_db:-}" ]; then
  echo "Year-end demo: $yearend/$yearend_year/matching.html (cost-revenue matching and settlement),"
  echo "  $yearend/invoices/$yearend_year-MM/final/ (every month's final invoices; the settlement is in $yearend_year-12), $yearend/costing/"
  echo "  the same final documents as e-invoices: out/einvoices/ubl/ (Peppol BIS Billing 3.0) and out/einvoices/finvoice/ (Finvoice 3.0)"
  echo "  (prices for $((yearend_year + 1)) after the settlement); its database: psql \"\$(ops/pg.sh ensure $yearend_db | tail -n 1)\""
fi
echo "The database: psql \"\$($cc db url)\"   (stop it with ops/pg.sh stop)"
