#!/usr/bin/env bash
# The project's own PostgreSQL clusters, so nobody needs database administration to try
# costcover or run its tests.
#
#   ops/pg.sh ensure [DBNAME]   create (initdb) and start the private cluster under var/pg
#                               if needed, and its database DBNAME (default costcover);
#                               print the program's connection string to it on the last line
#   ops/pg.sh stop              stop the private cluster
#   ops/pg.sh status            say whether it runs
#   ops/pg.sh temp-start DIR    create and start a throwaway cluster in DIR (for tests and
#                               benchmarks, tuned for speed: fsync off); print its ADMIN string
#   ops/pg.sh temp-db DIR NAME  create database NAME in it, owned by the program's role;
#                               print the program's connection string to it
#   ops/pg.sh temp-stop DIR     stop it and delete DIR
#
# Who can connect (docs/operations.md): no TCP at all, only a Unix socket in a folder that
# only the server's user can enter (mode 0700), and a password for every role (scram-sha-256;
# no trust). The passwords are generated with the cluster and kept in a libpq password file,
# mode 0600: var/pgpass for the private cluster, DIR/pgpass for a throwaway one; the printed
# strings name it (passfile=...). The program's role `costcover` is not a superuser: it owns
# its databases and so the schema its migrations create. initdb's superuser
# `costcover_admin` is used by this script only (databases, roles). A private cluster made
# by an older pg.sh (trust on 127.0.0.1, `costcover` a superuser) is hardened in place by
# `ensure`, its data kept.
#
# PostgreSQL refuses to run as root: as root, the server runs as the unprivileged system
# user `costcover-pg` (created on first use), and root can still enter its socket folder.
# If that user cannot reach the project folder (e.g. a clone under /root), the data lives in
# /var/tmp/costcover-pg-<hash> and var/pg is a symbolic link to it. The socket is inside the
# data folder, or in /tmp/ccpg-<hash> when that path would be too long for a socket.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
var="$here/var"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found; run ops/setup.sh" >&2; exit 1; }
# The roles. The program's: LOGIN, no SUPERUSER, CREATEDB or CREATEROLE, the owner of its
# databases (migrations and jobs both run as it for now).
admin_role=costcover_admin
app_role=costcover
# No TCP: the port only names the socket file (.s.PGSQL.5432) in the cluster's own folder.
port=5432
run_user=""
if [ "$(id -u)" = 0 ]; then
  run_user=costcover-pg
  if ! id "$run_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$run_user" 2>/dev/null || id "$run_user" >/dev/null
  fi
fi

as_server() {  # run a command as the server's user
  # from /, which the server's user can always enter (the caller's folder may be private)
  if [ -n "$run_user" ]; then (cd / && runuser -u "$run_user" -- "$@"); else "$@"; fi
}

server_uid() { if [ -n "$run_user" ]; then id -u "$run_user"; else id -u; fi; }

private_folder() {  # DIR (in a world-writable place such as /tmp): make it, or check it is ours
  local dir=$1
  if mkdir -m 700 "$dir" 2>/dev/null; then
    # Made by us just now: in a sticky /tmp nobody else can replace it before the chown.
    [ -z "$run_user" ] || chown "$run_user" "$dir"
  fi
  if [ -L "$dir" ] || [ ! -d "$dir" ] || [ "$(stat -c %u:%a "$dir")" != "$(server_uid):700" ]; then
    echo "pg.sh: $dir is not a folder of the server's user ($(id -un "$(server_uid)")) with mode 0700;" \
      "someone else may have made it: remove it and run again" >&2
    exit 1
  fi
}

socket_dir_for() {  # DATA: the socket path (dir + /.s.PGSQL.5432) must stay under 107 bytes
  local data=$1
  if [ "$(printf '%s' "$data" | LC_ALL=C wc -c)" -le 80 ]; then
    # The data folder: the server's user's own; the server accepts 0700 or 0750, this needs 0700.
    [ "$(stat -c %a "$data")" = 700 ] || as_server chmod 700 "$data"
    echo "$data"
  else
    local d="/tmp/ccpg-$(printf '%s' "$data" | cksum | cut -d' ' -f1)"
    private_folder "$d"
    echo "$d"
  fi
}

kv() {  # KEY VALUE: a libpq key=value, quoted when the value needs it
  local v=$2
  if [ -n "$v" ] && [[ "$v" != *[[:space:]\'\\]* ]]; then printf '%s=%s' "$1" "$v"; return; fi
  v=${v//\\/\\\\}; v=${v//\'/\\\'}
  printf "%s='%s'" "$1" "$v"
}

conninfo() {  # DATA ROLE DBNAME PASSFILE -> connection string
  local data=$1 port socket
  port=$(sed -n "s/^port = \([0-9]*\).*/\1/p" "$data/postgresql.auto.conf" | tail -n 1)
  socket=$(sed -n "s/^unix_socket_directories = '\(.*\)'.*/\1/p" "$data/postgresql.auto.conf" | tail -n 1)
  echo "$(kv host "$socket") port=$port user=$2 dbname=$3 $(kv passfile "$4")"
}

new_secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

write_passfile() {  # FILE OWNER_LIKE: new passwords for both roles, mode 0600, owned like OWNER_LIKE
  local file=$1
  (
    umask 077
    {
      echo "# ops/pg.sh: the passwords of this cluster's roles (a libpq password file; keep it private)"
      echo "*:*:*:$admin_role:$(new_secret)"
      echo "*:*:*:$app_role:$(new_secret)"
    } >"$file.new"
  )
  chown --reference="$2" "$file.new"
  mv -f "$file.new" "$file"
}

secret_of() {  # PASSFILE ROLE
  awk -F: -v role="$2" '$4 == role { print $5; exit }' "$1"
}

hba_text() {
  echo "# ops/pg.sh: a Unix socket only (listen_addresses = ''), in a folder only the server's"
  echo "# user can enter, and a password for every role. No trust, no host lines."
  echo "local all all scram-sha-256"
}

init_cluster() {  # DATA PASSFILE PASSFILE_OWNER_LIKE [fast]
  local data=$1 passfile=$2 fast=${4:-} log
  if [ -f "$data/PG_VERSION" ]; then echo "pg.sh: $data already holds a cluster" >&2; exit 1; fi
  mkdir -p "$data"
  [ -z "$run_user" ] || chown "$run_user" "$data"
  chmod 700 "$data"
  write_passfile "$passfile" "$3"
  log=$(mktemp)
  # initdb reads the superuser's password from a pipe made by the server's own user
  # (it could not open the caller's).
  secret_of "$passfile" "$admin_role" | as_server bash -c 'exec "$0" "$@" --pwfile=<(cat)' "$pgbin/initdb" \
    -D "$data" -U "$admin_role" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --lc-collate=C \
    >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
  hba_text | as_server tee "$data/pg_hba.conf" >/dev/null
  {
    echo "listen_addresses = ''"
    echo "unix_socket_permissions = 0700"
    echo "password_encryption = 'scram-sha-256'"
    echo "shared_buffers = 256MB"
    echo "work_mem = 64MB"
    echo "maintenance_work_mem = 256MB"
    echo "max_wal_size = 4GB"
    # No replication or archiving here (backups are pg_dump, ops/backup.sh): minimal WAL
    # lets a table created in the loading transaction skip WAL (the new-month fast path).
    echo "wal_level = minimal"
    echo "max_wal_senders = 0"
    echo "timezone = 'UTC'"
    echo "log_min_messages = warning"
    if [ -n "$fast" ]; then
      echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
    fi
  } | as_server tee -a "$data/postgresql.conf" >/dev/null
}

# A tree copied with `cp -a` while its cluster ran brings that server's postmaster.pid: pg_ctl
# would take the OTHER tree's server for this one, and the program would talk to its socket.
# The pid file names the data folder its server was started on; one naming another folder
# is dropped, with the socket files copied along (this tree's cluster then starts on its
# own socket). A server started in this very folder at its old path (the tree moved while
# it ran) is refused: its socket moved with it.
drop_copied_pidfile() {  # DATA
  local data=$1 pid piddir
  [ -f "$data/postmaster.pid" ] || return 0
  pid=$(sed -n 1p "$data/postmaster.pid"); piddir=$(sed -n 2p "$data/postmaster.pid")
  [ "$piddir" -ef "$data" ] && return 0  # its own (perhaps through another path to the same folder)
  if [ -n "$pid" ] && [ -e "/proc/$pid/cwd" ] && [ "/proc/$pid/cwd" -ef "$data" ]; then
    echo "pg.sh: the cluster in $data runs (server $pid) but was started as $piddir, before the tree moved;" \
      "stop that server (kill $pid) and run again" >&2
    exit 1
  fi
  echo "pg.sh: $data was copied from $piddir with its server's pid file (server $pid);" \
    "this tree's cluster gets its own server and socket" >&2
  # and the socket (with its lock file, naming the same server) if it lived in the data folder
  as_server rm -f "$data/postmaster.pid" "$data/.s.PGSQL.$port" "$data/.s.PGSQL.$port.lock"
}

is_running() { as_server "$pgbin/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start_cluster() {  # DATA: start if not running, listening on its private socket only
  local data=$1 socket
  if is_running "$data"; then return; fi
  socket=$(socket_dir_for "$data")
  printf "port = %s\nunix_socket_directories = '%s'\nlisten_addresses = ''\n" "$port" "$socket" \
    | as_server tee "$data/postgresql.auto.conf" >/dev/null
  as_server "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null 9>&- \
    || { tail -n 20 "$data/server.log" >&2; exit 1; }
}

stop_cluster() {  # DATA [MODE]
  if is_running "$1"; then as_server "$pgbin/pg_ctl" -D "$1" -m "${2:-fast}" -w -t 60 stop >/dev/null; fi
}

admin_psql() {  # DATA PASSFILE DBNAME [ROLE]: psql reading SQL from stdin, stopping at the first error
  PGOPTIONS="-c client_min_messages=warning" \
    "$pgbin/psql" "$(conninfo "$1" "${4:-$admin_role}" "$3" "$2")" -XAtqw -v ON_ERROR_STOP=1 -f -
}

ensure_database() {  # DATA PASSFILE [DBNAME]: the program's role, and its database DBNAME
  local data=$1 passfile=$2 dbname=${3:-} secret
  secret=$(secret_of "$passfile" "$app_role")
  [ -n "$secret" ] || { echo "pg.sh: $passfile has no password for $app_role" >&2; exit 1; }
  admin_psql "$data" "$passfile" postgres >/dev/null <<SQL
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              '$app_role', '$secret')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$app_role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$dbname', '$app_role')
 WHERE '$dbname' <> '' AND NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$dbname') \gexec
SQL
}

is_hardened() {  # DATA PASSFILE: made (or already hardened) by this pg.sh, and the passwords are there
  [ -f "$2" ] && [ -n "$(secret_of "$2" "$admin_role")" ] && [ -n "$(secret_of "$2" "$app_role")" ] \
    && [ "$(cat "$1/pg_hba.conf")" = "$(hba_text)" ] \
    && [ "$(sed -n 's/^listen_addresses = //p' "$1/postgresql.conf" | tail -n 1)" = "''" ]
}

# Objects of one database owned by the admin role, outside the system schemas, handed to the
# program's role (REASSIGN OWNED refuses the bootstrap superuser, who owns the catalogs too).
# A table's indexes and owned sequences follow it; partitions are tables of their own.
transfer_sql() {
  cat <<SQL
DO \$\$
DECLARE
  admin oid := '$admin_role'::regrole;
  r record;
BEGIN
  FOR r IN SELECT n.nspname FROM pg_namespace n
            WHERE n.nspowner = admin AND n.nspname NOT IN ('information_schema', 'public') AND n.nspname NOT LIKE 'pg\_%'
  LOOP EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, '$app_role'); END LOOP;
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relowner = admin AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                         AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                   WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name, '$app_role');
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proowner = admin AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE'
                   ELSE 'FUNCTION' END, r.name, '$app_role');
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typowner = admin AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
              AND t.typtype IN ('e', 'd', 'r', 'c')
              AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.name, '$app_role');
  END LOOP;
  FOR r IN SELECT n.nspname, s.stxname FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
            WHERE s.stxowner = admin
  LOOP EXECUTE format('ALTER STATISTICS %I.%I OWNER TO %I', r.nspname, r.stxname, '$app_role'); END LOOP;
END
\$\$;
SQL
}

harden_cluster() {  # DATA PASSFILE: a cluster of an older pg.sh (or one whose passfile was lost)
  local data=$1 passfile=$2 boot="" db old_layout=""
  [ "$(cat "$data/pg_hba.conf")" = "$(hba_text)" ] || old_layout=1
  # 1. No TCP from now on, and while the roles change only local connections, trusted: the
  #    socket's folder is the server user's own (mode 0700), so only it (and root) get in.
  stop_cluster "$data"
  printf '# ops/pg.sh: temporary, while it sets the passwords (see docs/operations.md)\nlocal all all trust\n' \
    | as_server tee "$data/pg_hba.conf" >/dev/null
  as_server sed -i "s/^listen_addresses = .*/listen_addresses = ''/" "$data/postgresql.conf"
  grep -q "^unix_socket_permissions = " "$data/postgresql.conf" \
    || echo "unix_socket_permissions = 0700" | as_server tee -a "$data/postgresql.conf" >/dev/null
  start_cluster "$data"
  write_passfile "$passfile" "$here"
  # 2. initdb's superuser (the "bootstrap" role, OID 10, owner of the catalogs) must stay a
  #    superuser: an older pg.sh made it `costcover`; it is renamed to the admin role, and a
  #    new `costcover` without rights takes over the project's databases and objects.
  for role in "$admin_role" "$app_role"; do
    boot=$(echo "SELECT rolname FROM pg_roles WHERE oid = 10" | admin_psql "$data" "$passfile" postgres "$role" 2>/dev/null) \
      && break
  done
  case "$boot" in
    "$admin_role") ;;
    "$app_role")
      echo "DROP ROLE IF EXISTS costcover_upgrade; CREATE ROLE costcover_upgrade LOGIN SUPERUSER" \
        | admin_psql "$data" "$passfile" postgres "$app_role" >/dev/null
      echo "ALTER ROLE $app_role RENAME TO $admin_role" | admin_psql "$data" "$passfile" postgres costcover_upgrade >/dev/null
      ;;
    *) echo "pg.sh: $data: cannot tell its superuser (expected $app_role or $admin_role); it now takes local" \
         "connections only, without passwords, on its private socket; see docs/operations.md" >&2; exit 1 ;;
  esac
  admin_psql "$data" "$passfile" postgres >/dev/null <<SQL
DROP ROLE IF EXISTS costcover_upgrade;
ALTER ROLE $admin_role PASSWORD '$(secret_of "$passfile" "$admin_role")';
SELECT format('CREATE ROLE %I', '$app_role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$app_role') \gexec
ALTER ROLE $app_role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '$(secret_of "$passfile" "$app_role")';
SELECT format('ALTER DATABASE %I OWNER TO %I', datname, '$app_role') FROM pg_database
 WHERE datdba = '$admin_role'::regrole AND NOT datistemplate AND datname <> 'postgres' \gexec
SQL
  for db in $(echo "SELECT datname FROM pg_database WHERE datdba = '$app_role'::regrole AND datallowconn" \
                | admin_psql "$data" "$passfile" postgres); do
    transfer_sql | admin_psql "$data" "$passfile" "$db" >/dev/null
  done
  # 3. Passwords only; the restart ends every session that came in before.
  hba_text | as_server tee "$data/pg_hba.conf" >/dev/null
  stop_cluster "$data"
  start_cluster "$data"
  if [ -n "$old_layout" ]; then
    echo "pg.sh: hardened the private cluster made by an older pg.sh: no TCP, passwords in $passfile," \
      "$app_role is no longer a superuser (the admin role is $admin_role); data kept" >&2
  else
    echo "pg.sh: $passfile was missing: set new passwords for the private cluster's roles" >&2
  fi
}

private_data() {  # where the private cluster's data lives
  mkdir -p "$var"
  if [ ! -e "$var/pg" ] && [ ! -L "$var/pg" ] && [ -n "$run_user" ] && ! runuser -u "$run_user" -- test -x "$var"; then
    local target="/var/tmp/costcover-pg-$(printf '%s' "$here" | cksum | cut -d' ' -f1)"
    rm -rf "$target"  # a cluster left there by an earlier tree at this path
    ln -s "$target" "$var/pg"
  fi
  if [ -L "$var/pg" ]; then
    local target expected
    target=$(readlink "$var/pg")
    expected="/var/tmp/costcover-pg-$(printf '%s' "$here" | cksum | cut -d' ' -f1)"
    if [ "$target" != "$expected" ]; then  # the link came with a tree copied or moved from elsewhere
      echo "pg.sh: $var/pg links to $target, the data of a tree at another path; this tree's is $expected:" \
        "remove the link to make this tree its own cluster (a copy), or mv $target $expected to keep the data" \
        "(a moved tree, its old cluster stopped)" >&2
      exit 1
    fi
    private_folder "$target"
    echo "$target"
  else
    echo "$var/pg"
  fi
}

cmd=${1:-}
case "$cmd" in
  ensure)
    dbname=${2:-costcover}
    [[ "$dbname" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "pg.sh: database name \"$dbname\" is not [a-z][a-z0-9_]*" >&2; exit 2; }
    mkdir -p "$var"
    exec 9>"$var/pg.lock"; flock 9
    data=$(private_data)
    passfile="$var/pgpass"
    drop_copied_pidfile "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
      echo "pg.sh: creating the private PostgreSQL cluster in $var/pg" >&2
      init_cluster "$data" "$passfile" "$here"
    elif ! is_hardened "$data" "$passfile"; then
      harden_cluster "$data" "$passfile"
    fi
    start_cluster "$data"
    ensure_database "$data" "$passfile" "$dbname"
    conninfo "$data" "$app_role" "$dbname" "$passfile"
    ;;
  stop)
    data=$(readlink -m "$var/pg")
    if [ -f "$data/PG_VERSION" ]; then drop_copied_pidfile "$data"; stop_cluster "$data" || true; fi
    ;;
  status)
    data=$(readlink -m "$var/pg")
    [ ! -f "$data/PG_VERSION" ] || drop_copied_pidfile "$data"
    if [ -f "$data/PG_VERSION" ] && is_running "$data"; then
      echo "running: $(conninfo "$data" "$app_role" costcover "$var/pgpass")"
    else echo "not running"; exit 3; fi
    ;;
  temp-start)
    dir=$(realpath -m "${2:?usage: pg.sh temp-start DIR}")
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [ -n "$run_user" ] && ! runuser -u "$run_user" -- test -x "$dir"; then
      echo "pg.sh: $run_user cannot reach $dir; use a folder under /tmp" >&2; exit 1
    fi
    init_cluster "$dir/data" "$dir/pgpass" "$dir" fast
    start_cluster "$dir/data"
    ensure_database "$dir/data" "$dir/pgpass"
    conninfo "$dir/data" "$admin_role" postgres "$dir/pgpass"
    ;;
  temp-db)
    dir=$(realpath -m "${2:?usage: pg.sh temp-db DIR NAME}")
    dbname=${3:?usage: pg.sh temp-db DIR NAME}
    [[ "$dbname" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "pg.sh: database name \"$dbname\" is not [a-z][a-z0-9_]*" >&2; exit 2; }
    [ -f "$dir/data/PG_VERSION" ] || { echo "pg.sh: no throwaway cluster in $dir (pg.sh temp-start $dir)" >&2; exit 1; }
    ensure_database "$dir/data" "$dir/pgpass" "$dbname"
    conninfo "$dir/data" "$app_role" "$dbname" "$dir/pgpass"
    ;;
  temp-stop)
    dir=$(realpath -m "${2:?usage: pg.sh temp-stop DIR}")
    if [ -f "$dir/data/PG_VERSION" ]; then stop_cluster "$dir/data" immediate || true; fi
    rm -rf "$dir"
    ;;
  *)
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"  # the comment above
    [ "$cmd" = "--help" ] || [ "$cmd" = "-h" ] && exit 0
    exit 2
    ;;
esac
