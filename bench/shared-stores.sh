#!/usr/bin/env bash
# The shared stores (issue 23): PostgreSQL + S3 next to the embedded default (SQLite + pool directory), in one run:
#   bulk include + signed publish of N generated .debs, and add one + republish (goal: within 1.5x of the embedded),
#   uploads per second through one server and two (goal: two take >= 1.6x), apt reads per second through one and two.
# PostgreSQL is Debian's, started here in a temporary directory (as the postgres user when run as root); the S3 API is
# s3proxy on its filesystem back end inside the benchmark's JVM (a local object store: no network round trips).
#
# usage: bench/shared-stores.sh [N]   (default: 20000; BENCH_STORES_ONLY=1: the bulk and add-one rows only,
#        PPAFORGE_TIMINGS=1: the include's and publish's timings on stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-20000}
source bench/lib.sh
if [ ! -f bench/target/ppaforge-bench.jar ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src/main -newer bench/target/ppaforge-bench.jar -print -quit)" ]; then
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl bench -am
fi
work=${BENCH_WORK:-$root/bench/target/work}
mkdir -p "$work"
index="$work/Packages"
if [ ! -s "$index" ]; then
  src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
  [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
  /usr/lib/apt/apt-helper cat-file "$src" > "$index"
fi
debs="$work/debs-$n"
if [ ! -d "$debs" ] || [ "$(ls "$debs" | wc -l)" -ne "$n" ]; then
  rm -rf "$debs"
  java -cp bench/target/ppaforge-bench.jar org.ppaforge.bench.GenerateDebs "$index" "$n" "$debs" >/dev/null
fi

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
run=$(mktemp -d /tmp/ppaforge-bench-XXXXXX)
as=(); [ "$(id -u)" -ne 0 ] || { chown postgres: "$run"; as=(runuser -u postgres --); }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/initdb" -D "$run/data" -U ppaforge --auth=trust -E UTF8 --locale=C >/dev/null
# A durable server (fsync on, as in production), sized for a small machine.
"${as[@]}" "$bin/pg_ctl" -D "$run/data" -l "$run/log" -w -o "-p $port -k $run -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$run/data" -m fast stop >/dev/null 2>&1; rm -rf "$run" "$work/shared"' EXIT
rm -rf "$work/shared"; mkdir -p "$work/shared"
java -Xmx2g -cp bench/target/ppaforge-bench.jar org.ppaforge.bench.SharedStoresBench "$debs" \
  "jdbc:postgresql://127.0.0.1:$port/" "$work/shared"
