#!/usr/bin/env bash
# The project's own PostgreSQL clusters, so nobody needs database administration to try
# costcover or run its tests.
#
#   ops/pg.sh ensure [DBNAME]   create (initdb) and start the private cluster under var/pg
#                               if needed, and its database DBNAME (default costcover);
#                               print the database's connection string on the last line
#   ops/pg.sh stop              stop the private cluster
#   ops/pg.sh status            say whether it runs
#   ops/pg.sh temp-start DIR    create and start a throwaway cluster in DIR (for tests and
#                               benchmarks, tuned for speed: fsync off); print its string
#   ops/pg.sh temp-stop DIR     stop it and delete DIR
#
# PostgreSQL refuses to run as root: as root, the server runs as the unprivileged system
# user `costcover-pg` (created on first use). If that user cannot reach the project folder
# (e.g. a clone under /root), the data lives in /var/tmp/costcover-pg-<hash> and var/pg is
# a symbolic link to it. The server listens on a Unix socket inside the data folder (or a
# short /tmp path when that would be too long) and on 127.0.0.1 at a free port.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found; run ops/setup.sh" >&2; exit 1; }
db_user=costcover
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

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {  # a free port near a base derived from the folder, so it is stable
  local base=$(( 15432 + $(printf '%s' "$1" | cksum | cut -d' ' -f1) % 20000 ))
  local port
  for port in $(seq "$base" $((base + 200))); do
    if ! port_in_use "$port"; then echo "$port"; return; fi
  done
  echo "pg.sh: no free port near $base" >&2; exit 1
}

socket_dir_for() {  # the socket path (dir + /.s.PGSQL.NNNNN) must stay under 107 bytes
  local data=$1
  if [ ${#data} -le 80 ]; then echo "$data"; else
    local d="/tmp/ccpg-$(printf '%s' "$data" | cksum | cut -d' ' -f1)"
    mkdir -p "$d"; [ -z "$run_user" ] || chown "$run_user" "$d"; chmod 700 "$d"; echo "$d"
  fi
}

conninfo() {  # DATA -> connection string
  local data=$1 port socket
  port=$(sed -n "s/^port = \([0-9]*\).*/\1/p" "$data/postgresql.auto.conf" | tail -n 1)
  socket=$(sed -n "s/^unix_socket_directories = '\(.*\)'.*/\1/p" "$data/postgresql.auto.conf" | tail -n 1)
  echo "host=$socket port=$port user=$db_user dbname=${2:-costcover}"
}

init_cluster() {  # DATA [fast]
  local data=$1 fast=${2:-}
  mkdir -p "$data"
  [ -z "$run_user" ] || chown "$run_user" "$data"
  chmod 700 "$data"
  as_server "$pgbin/initdb" -D "$data" -U "$db_user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 --lc-collate=C \
    >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; exit 1; }
  rm -f "$data.initdb.log"
  {
    echo "listen_addresses = '127.0.0.1'"
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

start_cluster() {  # DATA: start if not running, on a free port
  local data=$1 port socket
  if as_server "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then return; fi
  port=$(free_port "$data")
  socket=$(socket_dir_for "$data")
  printf "port = %s\nunix_socket_directories = '%s'\n" "$port" "$socket" | as_server tee "$data/postgresql.auto.conf" >/dev/null
  as_server "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null 9>&- \
    || { tail -n 20 "$data/server.log" >&2; exit 1; }
}

ensure_database() {  # DATA DBNAME
  local info; info=$(conninfo "$1" postgres)
  if [ -z "$("$pgbin/psql" "$info" -Atc "SELECT 1 FROM pg_database WHERE datname = '$2'")" ]; then
    "$pgbin/psql" "$info" -qc "CREATE DATABASE \"$2\"" >/dev/null
  fi
}

private_data() {  # where the private cluster's data lives
  mkdir -p "$here/var"
  if [ -e "$here/var/pg" ]; then echo "$here/var/pg"; return; fi
  if [ -n "$run_user" ] && ! runuser -u "$run_user" -- test -x "$here/var"; then
    local target="/var/tmp/costcover-pg-$(printf '%s' "$here" | cksum | cut -d' ' -f1)"
    rm -rf "$target"
    ln -s "$target" "$here/var/pg"
  fi
  echo "$here/var/pg"
}

cmd=${1:-}
case "$cmd" in
  ensure)
    dbname=${2:-costcover}
    [[ "$dbname" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "pg.sh: database name \"$dbname\" is not [a-z][a-z0-9_]*" >&2; exit 2; }
    mkdir -p "$here/var"
    exec 9>"$here/var/pg.lock"; flock 9
    data=$(private_data)
    real=$(readlink -f "$data")
    if [ ! -f "$real/PG_VERSION" ]; then
      echo "pg.sh: creating the private PostgreSQL cluster in $data" >&2
      init_cluster "$real"
    fi
    start_cluster "$real"
    ensure_database "$real" "$dbname"
    conninfo "$real" "$dbname"
    ;;
  stop)
    data="$here/var/pg"
    if [ -f "$data/PG_VERSION" ]; then as_server "$pgbin/pg_ctl" -D "$(readlink -f "$data")" -m fast stop >/dev/null 2>&1 || true; fi
    ;;
  status)
    data="$here/var/pg"
    if [ -f "$data/PG_VERSION" ] && as_server "$pgbin/pg_ctl" -D "$(readlink -f "$data")" status >/dev/null 2>&1; then
      echo "running: $(conninfo "$(readlink -f "$data")")"
    else echo "not running"; exit 3; fi
    ;;
  temp-start)
    dir=$(realpath -m "${2:?usage: pg.sh temp-start DIR}")
    mkdir -p "$dir"; [ -z "$run_user" ] || chown "$run_user" "$dir"
    chmod 755 "$dir"
    if [ -n "$run_user" ] && ! runuser -u "$run_user" -- test -x "$dir"; then
      echo "pg.sh: $run_user cannot reach $dir; use a folder under /tmp" >&2; exit 1
    fi
    init_cluster "$dir/data" fast
    start_cluster "$dir/data"
    conninfo "$dir/data" postgres
    ;;
  temp-stop)
    dir=$(realpath -m "${2:?usage: pg.sh temp-stop DIR}")
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_server "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    [ "$cmd" = "--help" ] || [ "$cmd" = "-h" ] && exit 0
    exit 2
    ;;
esac
