#!/usr/bin/env bash
# Installs every Debian package costcover needs (only what is missing; quiet when all is
# there) and builds the program.
#
#   ops/setup.sh            packages + release build in build/
#   ops/setup.sh --asan     also the ASan+UBSan build in build-asan/
#   ops/setup.sh --fuzz     also the libFuzzer build (clang) in build-fuzz/
#   ops/setup.sh --no-build packages only
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

packages=(
  g++ cmake ninja-build make
  libsoci-dev libpq-dev libyaml-cpp-dev libboost-date-time-dev libfmt-dev
  googletest libgtest-dev
  postgresql postgresql-client
  clang libclang-rt-14-dev
  clang-format clang-tidy  # ops/lint.sh: the suite's formatting and lint steps
  chromium                 # tests/integration/print: pages for paper laid out by a real browser
  time util-linux
  libxml2-utils  # xmllint: tests and the quick start validate e-invoices against the official schemas
  python3  # bench/billing.sh writes its 1,000 generated agreements with it
)
asan=0; fuzz=0; build=1
for arg in "$@"; do
  case "$arg" in
    --asan) asan=1 ;;
    --fuzz) fuzz=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

echo "setup: checking the Debian packages"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts a system-wide cluster on install; costcover uses its own clusters only.
  if command -v pg_lsclusters >/dev/null && [ -z "${COSTCOVER_KEEP_SYSTEM_PG:-}" ]; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
      $sudo pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
    done
  fi
fi

[ "$build" = 1 ] || exit 0
jobs=$(nproc)
configure() {  # DIR ARGS...
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    echo "setup: configuring $dir/ (cmake)"
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  fi
}
# Ninja's "[N/M] ..." lines as progress: on a terminal one line rewritten in place; in a log
# (CI, a pipe) a line at each tenth of the way, so a first build of several minutes is
# never silent and a log stays short.
progress() {  # DIR
  local tty=0
  [ -t 1 ] && tty=1
  awk -v dir="$1" -v tty="$tty" '
    /^\[[0-9]+\/[0-9]+\] / {
      split(substr($1, 2, length($1) - 2), nm, "/"); n = nm[1] + 0; m = nm[2] + 0
      step = int(n * 10 / m)
      if (tty) { printf "\rsetup: building %s/: %d of %d steps (%d%%)  ", dir, n, m, int(n * 100 / m); fflush() }
      else if (step != last || n == 1) { printf "setup: building %s/: %d of %d steps (%d%%)\n", dir, n, m, int(n * 100 / m); fflush() }
      last = step; seen = 1
    }
    END { if (tty && seen) printf "\n"; if (!seen) printf "setup: %s/ is up to date\n", dir }'
}
compile() {  # DIR [TARGET]: progress, the whole output in DIR/build.log, its tail if it fails
  local dir=$1; shift
  echo "setup: building $dir/ with $jobs job(s); the compiler's output goes to $dir/build.log"
  if ! cmake --build "$dir" -j "$jobs" "$@" 2>&1 | tee "$dir/build.log" | progress "$dir"; then
    tail -n 80 "$dir/build.log" >&2; echo "setup: build of $dir/ failed (log: $dir/build.log)" >&2; exit 1
  fi
  echo "setup: built $dir/"
}
configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo
compile build
if [ "$asan" = 1 ]; then
  configure build-asan -DCMAKE_BUILD_TYPE=Debug -DCOSTCOVER_SANITIZE=ON
  compile build-asan
fi
if [ "$fuzz" = 1 ]; then
  configure build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCOSTCOVER_FUZZ=ON -DCOSTCOVER_TESTS=OFF
  compile build-fuzz --target contracts_fuzz
fi
exit 0
