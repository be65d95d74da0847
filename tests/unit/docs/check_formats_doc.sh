#!/usr/bin/env bash
# Keeps docs/formats.md the one description of the files the program reads and writes:
#  1. no file of the repository (build trees and var/ aside) points outside the project
#     for a format ("shared" + "/spec"), or to a formats.md other than docs/formats.md
#     (inside docs/, the same-folder link `formats.md` is that file);
#  2. every output file name the code writes (each "name.csv" / "name.html" literal in
#     src/jobs, src/render and src/demo, plus the names built at run time listed below)
#     and every input file has a heading of docs/formats.md that names it.
# Usage: check_formats_doc.sh SOURCE_DIR. Prints every problem, exits 1 if there is one.
set -euo pipefail

root=${1:?usage: check_formats_doc.sh SOURCE_DIR}
cd "$root"
doc=docs/formats.md
problems=0
problem() {
  echo "$1"
  problems=$((problems + 1))
}

[[ -f $doc ]] || {
  echo "$doc: missing"
  exit 1
}

# The files of the repository: tracked and new (not ignored) when this is a git tree,
# otherwise every file outside build trees, var/ and .git.
list_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard
  else
    find . \( -path './build*' -o -path './var' -o -path './.git' \) -prune -o -type f -print0 | sed -z 's#^\./##'
  fi
}

# 1. References (this script names the patterns, so it is not searched). grep -I skips
# binary files, -s files that git lists but the work tree has deleted.
self=tests/unit/docs/check_formats_doc.sh
outside="shared/spec"
search() { list_files | grep -zvxF "$self" | grep -zvE '^(build[^/]*|var)/' | xargs -0 -r grep -IHns "$@" -- || true; }
while IFS= read -r hit; do
  problem "$hit: points outside the project (\"$outside\"); describe the format in $doc"
done < <(search -F "$outside" | cut -d: -f1,2)
while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  token=${rest#*:}
  if [[ $token == */docs/formats.md || $token == docs/formats.md ]]; then continue; fi
  if [[ $token == formats.md && $file == docs/* ]]; then continue; fi
  problem "$file:$line: \"$token\" is not docs/formats.md"
done < <(search -oE '[A-Za-z0-9_./-]*formats\.md')

# 2. Headings. Output names from the code, then the ones built at run time and the inputs.
headings=$(grep -E '^#+ ' "$doc")
names=$(grep -rhoE '"\.?[a-z_.]*[a-z_]\.(csv|html)"' src/jobs src/render src/demo | tr -d '"' | sed 's#^\.##' | sort -u)
names+=$'\n'"invoice_headers.csv"           # export --format csv (issue 14)
names+=$'\n'"finance.csv hr.csv other.csv" # generate: one file per service area
names+=$'\n'"prices/YEAR.yaml"              # prices propose: DIR/prices/<year>.yaml
names+=$'\n'"drafts/ final/"                # export --format html folders
names+=$'\n'"catalog.yaml agencies.yaml agreements/ costs/YEAR.yaml budget-YEAR.csv"
for name in $names; do
  grep -qF -- "$name" <<<"$headings" || problem "$doc: no heading names \"$name\", which the program reads or writes"
done

if ((problems > 0)); then
  echo "$problems problem(s)"
  exit 1
fi
echo "docs/formats.md: references and headings OK"
