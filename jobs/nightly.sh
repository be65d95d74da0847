#!/usr/bin/env bash
# The nightly batch: every CSV waiting in $COSTCOVER_INBOX/<source>/ is ingested as that
# source and moved to done/ (or failed/ when the load failed), then the nightly count runs.
# Rejected rows do not fail the job: they are in the reject table and FILE.rejects.csv.
set -euo pipefail
home=${COSTCOVER_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cc="$home/build/src/cli/costcover"
inbox=${COSTCOVER_INBOX:-$home/var/inbox}
status=0
shopt -s nullglob
for dir in "$inbox"/*/; do
  source=$(basename "$dir")
  [ "$source" = done ] || [ "$source" = failed ] && continue
  for file in "$dir"*.csv; do
    case "$file" in *.rejects.csv) continue ;; esac
    mkdir -p "$inbox/done/$source" "$inbox/failed/$source"
    if "$cc" ingest --source "$source" "$file"; then
      mv "$file" "$inbox/done/$source/"
      [ ! -f "$file.rejects.csv" ] || mv "$file.rejects.csv" "$inbox/done/$source/"
    else
      status=1; mv "$file" "$inbox/failed/$source/"
    fi
  done
done
"$cc" nightly
exit $status
