#!/usr/bin/env bash
# Dumps the costcover database (custom format, restorable with pg_restore) into DIR with a
# timestamped name. Uses the same database as the program (--db / COSTCOVER_DATABASE_URL /
# the private cluster).   ops/backup.sh DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:?usage: ops/backup.sh DIR}
mkdir -p "$dir"
conn=$("$here/build/src/cli/costcover" db url)
file="$dir/costcover-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --file="$file" "$conn"
echo "$file"
