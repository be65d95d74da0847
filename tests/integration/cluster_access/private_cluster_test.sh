#!/usr/bin/env bash
# The private cluster of ops/pg.sh ensure (issue 11, item 4), in scratch copies of the tree
# (ops/pg.sh, with sql/ and contracts/ linked), driven as the program drives it
# (COSTCOVER_HOME=<copy>, so `costcover` runs the copy's ops/pg.sh ensure):
#   1. a new cluster, in a tree whose path is too long for a socket in the data folder;
#   2. a cluster made by the pg.sh of before (old-pg.sh here: trust on 127.0.0.1, `costcover`
#      a superuser) holding data, then `ensure` of today's pg.sh: hardened in place.
# Either must refuse every other local user, take no connection without the password, and
# give the program a role that is no superuser. One line per check; the first failure stops
# it with what failed. Exit 77 (CTest: skipped) when all ran but the other-user checks,
# which need root; CI runs as root, so there they always run.
#   private_cluster_test.sh SOURCE_DIR COSTCOVER_BINARY
set -euo pipefail
src=$(cd "${1:?usage: private_cluster_test.sh SOURCE_DIR COSTCOVER_BINARY}" && pwd)
bin=${2:?usage: private_cluster_test.sh SOURCE_DIR COSTCOVER_BINARY}
root=""; [ "$(id -u)" = 0 ] && root=1

work=$(mktemp -d /tmp/ccpriv.XXXXXX)
chmod 755 "$work"
trees=()
cleanup() {
  local tree data
  for tree in "${trees[@]}"; do
    data=$(readlink -m "$tree/var/pg")
    "$tree/ops/pg.sh" stop >/dev/null 2>&1 || true
    [ ! -L "$tree/var/pg" ] || rm -rf "$data"                       # /var/tmp/costcover-pg-<hash>
    rm -rf "/tmp/ccpg-$(printf '%s' "$data" | cksum | cut -d' ' -f1)"  # a socket folder, if any
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "private_cluster_test: FAILED: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
# psql as this user, or as nobody: never prompts, no password but the string's passfile
q() { env -u PGPASSWORD -u PGPASSFILE -u PGSERVICE psql -XAtqw -v ON_ERROR_STOP=1 "$1" -c "$2"; }
q_nobody() { runuser -u nobody -- env -u PGPASSWORD -u PGPASSFILE -u PGSERVICE psql -XAtqw "$1" -c "$2"; }
value() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }  # KEY of a string (no quoted values here)

make_tree() {  # DIR PG_SH: a scratch copy of the tree with that ops/pg.sh
  mkdir -p "$1/ops"
  cp "$2" "$1/ops/pg.sh"
  ln -s "$src/sql" "$1/sql"
  ln -s "$src/contracts" "$1/contracts"
  trees+=("$1")
}

check_locked() {  # TREE URL: what every private cluster of today's pg.sh must be
  local tree=$1 url=$2 host passfile
  case "$url" in *" user=costcover "*) ;; *) fail "the printed string is not the program role's: $url" ;; esac
  passfile=$(value "$url" passfile)
  [ "$passfile" = "$tree/var/pgpass" ] || fail "the string names passfile=$passfile, not $tree/var/pgpass: $url"
  [ "$(stat -c %a:%u "$passfile")" = "600:$(id -u)" ] || fail "$passfile: mode:owner $(stat -c %a:%u "$passfile"), not 600:$(id -u)"
  host=$(value "$url" host)
  [ -d "$host" ] && [ ! -L "$host" ] && [ "$(stat -c %a "$host")" = 700 ] || fail "the socket's folder $host is not a mode 0700 folder"
  ok "string $url; passfile 0600, socket folder 0700"
  local data hba bad
  data=$(readlink -m "$tree/var/pg"); hba=$data/pg_hba.conf
  bad=$(awk '!/^[[:space:]]*(#|$)/ && !/^local[[:space:]].*[[:space:]]scram-sha-256[[:space:]]*$/' "$hba")
  [ -z "$bad" ] || fail "$hba has a rule other than 'local ... scram-sha-256' (no trust, no host): $bad"
  grep -q '^local[[:space:]]' "$hba" || fail "$hba has no rule at all"
  [ "$(q "$url" "SHOW listen_addresses")" = "" ] || fail "the server listens on TCP: $(q "$url" "SHOW listen_addresses")"
  # postmaster.pid's 6th line is the first address the server listens on: none.
  [ -z "$(sed -n 6p "$data/postmaster.pid")" ] || fail "the server listens on $(sed -n 6p "$data/postmaster.pid")"
  ok "pg_hba.conf: local scram-sha-256 only; listen_addresses empty, no TCP address in postmaster.pid"
  [ "$(q "$url" "SELECT format('%s %s %s %s', current_user, rolsuper, rolcreaterole, rolcreatedb) FROM pg_roles WHERE rolname = current_user")" \
    = "costcover f f f" ] || fail "the program's role has rights: $(q "$url" "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")"
  local out
  if out=$(q "$url" "COPY (SELECT 1) TO PROGRAM 'true'" 2>&1); then fail "COPY ... TO PROGRAM ran for the program's role"; fi
  case "$out" in *pg_execute_server_program*) ;; *) fail "COPY ... TO PROGRAM refused, but not for want of rights: $out" ;; esac
  ok "the program's role is no superuser; COPY TO PROGRAM refused: $(printf '%s' "$out" | head -n 1)"
  if out=$(q "$(printf '%s' "$url" | sed 's/passfile=[^ ]*/passfile=\/nonexistent/')" "SELECT 1" 2>&1); then
    fail "got in without the password"
  fi
  case "$out" in *"no password supplied"*) ;; *) fail "refused without the password, but why? $out" ;; esac
  ok "without the password: refused ($(printf '%s' "$out" | tail -n 1 | sed 's/.*failed: //'))"
  if [ -n "$root" ]; then
    local attempt
    for attempt in "$url" "$(printf '%s' "$url" | sed 's/ passfile=[^ ]*//')"; do
      if out=$(q_nobody "$attempt" "SELECT 1" 2>&1); then fail "nobody got in with $attempt"; fi
      case "$out" in *"connection to server"*) ;; *) fail "nobody was refused, but not by the server's socket: $out" ;; esac
    done
    ok "nobody refused, with and without the passfile ($(printf '%s' "$out" | head -n 1 | sed 's/.*failed: //'))"
  fi
}

runuser -u nobody -- psql --version >/dev/null 2>&1 || [ -z "$root" ] || fail "nobody cannot run psql at all"

echo "== 1. a new private cluster"
long=$work/$(printf 'a-folder-name-long-enough-for-the-socket-to-move-to-tmp-%.0s' 1 2)/tree
make_tree "$long" "$src/ops/pg.sh"
url=$(COSTCOVER_HOME=$long "$bin" db url 2>"$work/err") || { cat "$work/err" >&2; fail "costcover db url (private cluster) failed"; }
grep -q "creating the private PostgreSQL cluster" "$work/err" || fail "no 'creating' line: $(cat "$work/err")"
check_locked "$long" "$url"
case "$(value "$url" host)" in /tmp/ccpg-*) ok "socket in $(value "$url" host) (the data folder's path is too long)" ;;
  *) fail "expected the socket in /tmp/ccpg-*: $url" ;; esac
COSTCOVER_HOME=$long "$bin" db migrate >/dev/null || fail "costcover db migrate as the program's role"
COSTCOVER_HOME=$long "$bin" contracts load "$long/contracts" >/dev/null || fail "costcover contracts load as the program's role"
ok "migrations and contracts load as the program's role"
other=$("$long/ops/pg.sh" ensure costcover_other 2>/dev/null | tail -n 1)
[ "$(q "$other" "SELECT datdba::regrole FROM pg_database WHERE datname = current_database()")" = costcover ] \
  || fail "ensure costcover_other: not owned by costcover"
ok "ensure NAME: a database owned by the program's role"
"$long/ops/pg.sh" stop
"$long/ops/pg.sh" status >/dev/null && fail "status says running after stop"
[ "$(COSTCOVER_HOME=$long "$bin" db url 2>"$work/err")" = "$url" ] || fail "restarted: another string"
[ ! -s "$work/err" ] || fail "a restart said something: $(cat "$work/err")"
ok "stopped, and started again on demand by the program, silently"

echo "== 1b. the tree copied with cp -a while its cluster runs, and the program copied into it"
# Issue 14, item 8: the copy's program finds the copy (not the tree it was built in, not
# the original) and its pg.sh does not take the original's server, pid file or socket.
copy=$work/copy
cp -a "$long" "$copy"
trees+=("$copy")
mkdir -p "$copy/build"
cp "$bin" "$copy/build/costcover"
copyurl=$(env -u COSTCOVER_HOME "$copy/build/costcover" db url 2>"$work/err") || { cat "$work/err" >&2; fail "db url in the copy"; }
grep -q "^pg.sh: $copy/var/pg was copied from $long/var/pg" "$work/err" || fail "no word about the copied pid file: $(cat "$work/err")"
[ "$(value "$copyurl" passfile)" = "$copy/var/pgpass" ] || fail "the copy's program uses another tree's cluster: $copyurl"
[ "$(value "$copyurl" host)" != "$(value "$url" host)" ] || fail "the copy talks to the original's socket: $copyurl"
copypid=$(sed -n 1p "$copy/var/pg/postmaster.pid")
[ "/proc/$copypid/cwd" -ef "$copy/var/pg" ] || fail "the copy's pid file names server $copypid, which does not serve $copy/var/pg"
[ "$(q "$copyurl" "SELECT 1")" = 1 ] && [ "$(q "$url" "SELECT 1")" = 1 ] || fail "the copy's or the original's server does not answer"
ok "the copy runs its own server ($(value "$copyurl" host)); the original's still runs"
env -u COSTCOVER_HOME "$copy/build/costcover" db migrate >/dev/null 2>"$work/err" || { cat "$work/err" >&2; fail "db migrate in the copy"; }
[ "$(head -n 1 "$work/err")" = "costcover: database: the private PostgreSQL of $copy ($copy/var)" ] \
  || fail "a job's first line does not name the copy's database: $(cat "$work/err")"
ok "a job's first stderr line: $(head -n 1 "$work/err")"
"$copy/ops/pg.sh" stop
[ "$(q "$url" "SELECT 1")" = 1 ] || fail "stopping the copy stopped the original"
ok "stopping the copy leaves the original running"

echo "== 2. a private cluster of the older pg.sh, with data, hardened by today's"
old=$work/old
make_tree "$old" "$src/tests/integration/cluster_access/old-pg.sh"
# As root, a tree costcover-pg cannot enter keeps its data in /var/tmp (var/pg a link).
[ -z "$root" ] || chmod 700 "$old"
oldurl=$("$old/ops/pg.sh" ensure 2>/dev/null | tail -n 1)
port=$(value "$oldurl" port)
COSTCOVER_HOME=$old "$bin" db migrate >/dev/null
COSTCOVER_HOME=$old "$bin" contracts load "$old/contracts" >/dev/null
COSTCOVER_HOME=$old "$bin" generate --month 2026-05 --scale 0.05 --seed 7 --as-of 2026-07-01 --out "$work/gen" >/dev/null
COSTCOVER_HOME=$old "$bin" ingest --source finance --as-of 2026-07-01 "$work/gen/finance.csv" >/dev/null
COSTCOVER_HOME=$old "$bin" nightly >/dev/null
yearend=$("$old/ops/pg.sh" ensure costcover_yearend 2>/dev/null | tail -n 1)
q "$yearend" "CREATE TABLE kept AS SELECT generate_series(1, 42) AS n" >/dev/null
counts="SELECT (SELECT count(*) FROM agency) || ' ' || (SELECT count(*) FROM delivered_transaction) || ' ' ||
               (SELECT count(*) FROM daily_volume) || ' ' || (SELECT count(*) FROM job_run)"
before=$(q "$oldurl" "$counts")
# The hole, before: anyone reaches it on 127.0.0.1 as a superuser.
tcp="host=127.0.0.1 port=$port user=costcover dbname=costcover"
if [ -n "$root" ]; then
  [ "$(q_nobody "$tcp" "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ] \
    || fail "the older pg.sh's cluster did not let nobody in (the test's premise)"
  ok "before: nobody gets in over 127.0.0.1:$port as a superuser (agencies, transactions, volumes, runs: $before)"
else
  [ "$(q "$tcp" "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ] || fail "the older pg.sh's cluster: no TCP superuser"
  ok "before: 127.0.0.1:$port lets anyone in as a superuser (agencies, transactions, volumes, runs: $before)"
fi

cp "$src/ops/pg.sh" "$old/ops/pg.sh"
url=$("$old/ops/pg.sh" ensure 2>"$work/err" | tail -n 1) || { cat "$work/err" >&2; fail "ensure on the older cluster"; }
[ "$(wc -l <"$work/err")" = 1 ] && grep -q "^pg.sh: hardened the private cluster" "$work/err" \
  || fail "ensure should say in one line that it hardened the cluster; it said: $(cat "$work/err")"
ok "ensure: $(cat "$work/err")"
check_locked "$old" "$url"
[ "$(q "$url" "$counts")" = "$before" ] || fail "data changed: $(q "$url" "$counts") instead of $before"
[ "$(q "$("$old/ops/pg.sh" ensure costcover_yearend | tail -n 1)" "SELECT count(*) FROM kept")" = 42 ] || fail "costcover_yearend lost its table"
ok "data kept: $before, and costcover_yearend's table"
for db in costcover costcover_yearend; do
  dburl=$(printf '%s' "$url" | sed "s/dbname=[^ ]*/dbname=$db/")
  left=$(q "$dburl" "SELECT string_agg(x, ', ') FROM (
      SELECT c.oid::regclass::text AS x FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relowner <> current_user::regrole
      UNION ALL SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.proowner <> current_user::regrole
      UNION ALL SELECT datname FROM pg_database WHERE datname = current_database() AND datdba <> current_user::regrole) o")
  [ -z "$left" ] || fail "$db: not owned by the program's role: $left"
done
[ "$(q "$url" "SELECT format('%s %s', rolname, rolsuper) FROM pg_roles WHERE oid = 10")" = "costcover_admin t" ] \
  || fail "initdb's superuser is not costcover_admin: $(q "$url" "SELECT rolname, rolsuper FROM pg_roles WHERE oid = 10")"
ok "databases, tables, partitions, views and functions now the program role's; the bootstrap superuser is costcover_admin"
COSTCOVER_HOME=$old "$bin" db migrate >/dev/null || fail "db migrate after the upgrade"
COSTCOVER_HOME=$old "$bin" generate --month 2026-06 --scale 0.05 --seed 7 --as-of 2026-07-01 --out "$work/gen6" >/dev/null
COSTCOVER_HOME=$old "$bin" ingest --source finance --as-of 2026-07-01 "$work/gen6/finance.csv" >/dev/null \
  || fail "ingest after the upgrade"
COSTCOVER_HOME=$old "$bin" ingest --source hr --as-of 2026-07-01 "$work/gen/hr.csv" >/dev/null \
  || fail "ingest into an existing partition after the upgrade"
COSTCOVER_HOME=$old "$bin" nightly >/dev/null || fail "nightly after the upgrade"
COSTCOVER_HOME=$old "$bin" bill --period 2026-05 --force >/dev/null || fail "bill after the upgrade"
ok "the program works as before: migrate, ingest (a new month and a loaded one), nightly, bill"
"$old/ops/pg.sh" ensure 2>"$work/err" >/dev/null
[ ! -s "$work/err" ] || fail "a second ensure said something: $(cat "$work/err")"
ok "a second ensure: nothing to do"

if [ -z "$root" ]; then
  [ -z "${CI:-}" ] || fail "CI runs as root so that the other-user checks run; here it is not root"
  echo "SKIPPED (not root): the checks that nobody else gets in need runuser, so root; all other checks passed"
  exit 77
fi
echo "all checks passed"
