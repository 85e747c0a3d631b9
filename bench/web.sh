#!/usr/bin/env bash
# Web pages under load (issue #15): server time of an archive's page and of a search on a
# 20,000-package archive, measured with wrk (16 connections, 127.0.0.1) while uploads run
# (one client including a package through the API in a loop). Goal: median under 50 ms, p99
# under 200 ms. Also the home page, a package page and, for scale, InRelease from the same server.
#
# usage: bench/web.sh [N]      (default 20000; the archive is made once and kept in bench/target/web)
# Installs wrk and curl from Debian when missing (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-20000}
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
[ -f bench/target/ppaforge-bench.jar ] && [ -f cli/target/ppa.jar ] || ./mvnw -q -B -DskipTests package
ppa="$root/bin/ppa"
work="$root/bench/target/web"
data="$work/data-$n"
mkdir -p "$work"
if [ ! -d "$data" ]; then
  index="$work/Packages"
  if [ ! -s "$index" ]; then
    src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
    [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
    /usr/lib/apt/apt-helper cat-file "$src" > "$index"
  fi
  echo "making a $n-package archive (once)..."
  rm -rf "$work/debs-$n"
  java -cp "$root/bench/target/ppaforge-bench.jar" org.ppaforge.bench.GenerateDebs "$index" "$n" "$work/debs-$n" >/dev/null
  "$ppa" archive create trunk --data-dir "$data.tmp" --series bookworm --arch amd64 >/dev/null
  "$ppa" include trunk --data-dir "$data.tmp" --skip-refused "$work/debs-$n" >/dev/null
  mv "$data.tmp" "$data"
fi
run="$work/run"; rm -rf "$run"; cp -a "$data" "$run"
port=18480
token=ppf_bench_token_0123456789abcdefghijklmnop
PPAFORGE_ADMIN_TOKEN=$token "$ppa" serve --data-dir "$run" --port $port >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server $loader 2>/dev/null || true; wait 2>/dev/null || true' EXIT
loader=""
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$port"
pkgs=$(curl -fsS "$url/trunk" | grep -o "/trunk/+package/[^\"]*" | head -1)
sources=$(curl -fsS "$url/trunk" | grep -o '[0-9]* sources' | head -1)
echo "archive: trunk, $sources"

measure() { # NAME PATH
  local out
  out=$(wrk -t2 -c16 -d10s --latency "$url$2")
  local rps p50 p99 errs
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-26s %10s req/s   median %8s   p99 %8s%s\n' "$1" "$rps" "$p50" "$p99" "${errs:+   non-2xx: $errs}"
}
echo "nothing else running (wrk, 16 connections, 10 s each):"
measure "archive page" "/trunk"
measure "search (q=lib)" "/trunk?q=lib"

# Uploads all along: one client includes a small package through the API, again and again.
mkdir -p "$work/up/DEBIAN"
(
  i=0
  while true; do
    i=$((i + 1))
    printf 'Package: webbench\nVersion: 1.%d\nArchitecture: amd64\nMaintainer: b <b@example.org>\nDescription: load\n x\n' $i \
      > "$work/up/DEBIAN/control"
    dpkg-deb --root-owner-group -b "$work/up" "$work/up.deb" >/dev/null 2>&1
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -F "file=@$work/up.deb" "$url/api/v1/archives/trunk/include" || true
  done
) &
loader=$!
sleep 1

echo "while uploads run (wrk, 16 connections, 10 s each):"
measure "archive page" "/trunk"
measure "archive page 200" "/trunk?page=200"
measure "search (q=lib)" "/trunk?q=lib"
measure "search, no match" "/trunk?q=zzzzqqq"
measure "package page" "$pkgs"
measure "home" "/"
measure "builds (no package list)" "/+builds"
measure "InRelease (apt)" "/trunk/dists/bookworm/InRelease"
uploads=$(curl -fsS -H "Authorization: Bearer $token" "$url/api/v1/archives/trunk/history/webbench" | grep -o '"version"' | wc -l)
echo "uploads during the run: $uploads"
