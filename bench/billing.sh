#!/usr/bin/env bash
# Benchmark of the monthly billing run (issue 5, point 8): 1,000 agencies x 20 services,
# generated agreements (list prices, tiers, limits, over-limit prices, fees, exceptions)
# and a month of daily_volume rows inserted directly with SQL, on a throwaway cluster.
# Prints the time of `costcover bill` and `costcover finalize`. Target: each under 10 s
# on a 2-core machine.
#
#   bench/billing.sh [BUILD_DIR]     (default build-release, else build-invoicing, else build)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-}
if [ -z "$build" ]; then
  for b in build-release build-invoicing build; do
    if [ -x "$here/$b/src/cli/costcover" ]; then build=$here/$b; break; fi
  done
fi
costcover=$build/src/cli/costcover
[ -x "$costcover" ] || { echo "billing.sh: no costcover binary under $build" >&2; exit 1; }

agencies=${AGENCIES:-1000}
services=${SERVICES:-20}
period=2027-03
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
work=$(mktemp -d /tmp/ccbench.XXXXXX)
chmod 755 "$work"
cleanup() { "$here/ops/pg.sh" temp-stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
[ -n "${KEEP:-}" ] || trap cleanup EXIT

"$here/ops/pg.sh" temp-start "$work/pg" >/dev/null
# The program's role (no superuser) owns the database and runs everything, as in production.
COSTCOVER_DATABASE_URL=$("$here/ops/pg.sh" temp-db "$work/pg" bench)
export COSTCOVER_DATABASE_URL
"$costcover" db migrate >/dev/null

python3 - "$work/contracts" "$agencies" "$services" <<'PY'
import os, sys
root, n_agencies, n_services = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root + '/agreements'); os.makedirs(root + '/prices')
def business_id(n):
    digits = f'{n:07d}'
    r = sum(int(d) * w for d, w in zip(digits, [7, 9, 10, 5, 8, 4, 2])) % 11
    if r == 1: return None
    return f'{digits}-{0 if r == 0 else 11 - r}'
ids, n = [], 1000000
while len(ids) < n_agencies + 1:
    b = business_id(n); n += 1
    if b: ids.append(b)
with open(root + '/catalog.yaml', 'w') as f:
    f.write(f'provider:\n  id: PK\n  name: Bench centre\n  business_id: "{ids[0]}"\n  vat_id: FI{ids[0].replace("-", "")}\n'
            '  address: {street: Esimerkkikatu 1, postcode: "00100", city: Helsinki, country: FI}\n'
            '  einvoice: {scheme: "0216", id: "003700000000"}\n  payment: {iban: FI2112345600000785, bic: NDEAFIHH}\nservices:\n')
    for s in range(n_services):
        vat = '{category: S, rate: 25.5}' if s == n_services - 1 else '{category: O}'
        f.write(f'  - id: svc-{s:02d}\n    name: {{en: Service {s:02d}}}\n    unit: item\n    area: finance\n    vat: {vat}\n')
with open(root + '/agencies.yaml', 'w') as f:
    f.write('agencies:\n')
    for a in range(n_agencies):
        f.write(f'  - id: A{a:04d}\n    name: Agency {a:04d}\n    business_id: "{ids[a + 1]}"\n    branch: Branch {a % 12}\n'
                '    address: {street: Virastotie 5, postcode: "00530", city: Helsinki, country: FI}\n'
                f'    einvoice: {{scheme: "0216", id: "0037{ids[a + 1].replace("-", "")}"}}\n')
with open(root + '/prices/2027.yaml', 'w') as f:
    f.write('price_list:\n  year: 2027\n  basis: bench\nprices:\n')
    for s in range(n_services):
        f.write(f'  svc-{s:02d}: {1 + s * 0.35:.2f}\n')
for a in range(n_agencies):
    with open(f'{root}/agreements/a{a:04d}.yaml', 'w') as f:
        f.write(f'agreement:\n  id: SA-A{a:04d}\n  version: 1\n  client: A{a:04d}\n  valid: {{from: 2027-01-01, to: 2027-12-31}}\n'
                f'  billing:\n    buyer_reference: "REF-{a:04d}"\nservices:\n')
        for s in range(n_services):
            kind = (a + s) % 5
            f.write(f'  - service: svc-{s:02d}\n')
            if kind == 0:
                f.write('    price: list\n    volume: {lower_limit: 400, upper_limit: 2000, over_limit: {unit_price: 9.10}}\n')
            elif kind == 1:
                f.write('    price: {tiers: [{up_to: 300, unit_price: 2.50}, {up_to: 600, unit_price: 2.20}, {unit_price: 1.90}]}\n')
            elif kind == 2:
                f.write('    price: {unit_price: 3.15}\n    volume: {upper_limit: 500, over_limit: flag}\n')
            elif kind == 3:
                f.write('    price: list\n    performance:\n      - {metric: processing_time, max_business_days: 2, target_share: 0.95, credit_percent: 5}\n')
            else:
                f.write('    price: list\n    volume: {per: year, lower_limit: 10000}\n')
        f.write('  - fee: base-fee\n    service: svc-00\n    amount: 250.00\n    per: month\n')
        f.write('exceptions:\n  - id: EX-1\n    kind: exclude\n    tags: [rework-provider]\n    reason: Rework caused by the provider\n')
PY

start=$(date +%s%N)
"$costcover" contracts load "$work/contracts" | tail -n 1
echo "contracts load: $(ms_since "$start") ms (not part of the target)"

# A month of counted volumes: per agency, service and business day, three groups
# (processing 0 and 3 business days, and a tagged one), like the nightly job writes them.
start=$(date +%s%N)
psql -X -q "$COSTCOVER_DATABASE_URL" <<SQL
INSERT INTO daily_volume (agency, service, day, tags, business_days, transactions, quantity)
SELECT format('A%s', lpad(a::text, 4, '0')), format('svc-%s', lpad(s::text, 2, '0')), c.day, g.tags, g.business_days,
       g.n, g.n
  FROM generate_series(0, $agencies - 1) a
 CROSS JOIN generate_series(0, $services - 1) s
 CROSS JOIN business_calendar c
 CROSS JOIN LATERAL (VALUES ('', 0, 10 + (a + s + extract(day FROM c.day)::int) % 17),
                            ('', 3, 1 + (a * s) % 4),
                            ('rework-provider', 1, 1)) AS g(tags, business_days, n)
 WHERE c.day BETWEEN date '$period-01' AND (date '$period-01' + interval '1 month - 1 day')::date
   AND c.is_business_day;
ANALYZE daily_volume;
SQL
rows=$(psql -X -At "$COSTCOVER_DATABASE_URL" -c "SELECT count(*) FROM daily_volume")
echo "daily_volume: $rows rows inserted in $(ms_since "$start") ms"

start=$(date +%s%N)
"$costcover" bill --period $period > "$work/bill.out"; head -n 1 "$work/bill.out"
bill=$(ms_since "$start")
start=$(date +%s%N)
"$costcover" finalize --period $period --issue-date 2027-04-01 > "$work/finalize.out"; head -n 1 "$work/finalize.out"
finalize=$(ms_since "$start")
lines=$(psql -X -At "$COSTCOVER_DATABASE_URL" -c "SELECT count(*) FROM invoice_line")
lineage=$(psql -X -At "$COSTCOVER_DATABASE_URL" -c "SELECT coalesce(sum(cardinality(days)), 0) FROM invoice_line_volume")
[ -z "${KEEP:-}" ] || echo "kept: $work (database $COSTCOVER_DATABASE_URL)"
echo "invoice lines: $lines, lineage rows: $lineage"
printf 'bill:     %d.%03d s  (target < 10 s)\n' $((bill / 1000)) $((bill % 1000))
printf 'finalize: %d.%03d s  (target < 10 s)\n' $((finalize / 1000)) $((finalize % 1000))
