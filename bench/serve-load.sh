#!/usr/bin/env bash
# Load check of 'ppa serve' on 127.0.0.1 (issue #5): requests per second for apt's downloads
# (InRelease, a by-hash Packages.xz, a pool .deb) with wrk, and for concurrent uploads
# (POST /api/v1/archives/trunk/include) with parallel curl clients.
#
# usage: bench/serve-load.sh [DATA_DIR]   (default: bench/target/work/ppaforge-20000, made by
#        bench/archive-bench.sh; a small archive is made when it is missing)
# Installs wrk and curl from Debian when missing (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
ppa="$root/bin/ppa"
work="$root/bench/target/load"; rm -rf "$work"; mkdir -p "$work"
src=${1:-$root/bench/target/work/ppaforge-20000}
data="$work/data"
if [ -d "$src" ]; then
  cp -a "$src" "$data"
else
  "$ppa" archive create trunk --data-dir "$data" --series noble --arch amd64 >/dev/null
  mkdir -p "$work/seed/DEBIAN"
  printf 'Package: seed\nVersion: 1.0\nArchitecture: amd64\nMaintainer: b <b@example.org>\nDescription: seed\n x\n' > "$work/seed/DEBIAN/control"
  dpkg-deb --root-owner-group -b "$work/seed" "$work/seed_1.0_amd64.deb" >/dev/null
  "$ppa" include trunk --data-dir "$data" "$work/seed_1.0_amd64.deb" >/dev/null
fi
port=$((20000 + RANDOM % 20000))
token="load-$(date +%s%N)-token-for-the-load-check"
PPAFORGE_ADMIN_TOKEN="$token" "$ppa" serve --data-dir "$data" --port "$port" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf "$base/api/v1/archives" >/dev/null 2>&1 && break; sleep 0.5; done

dist="$data/public/trunk/dists/noble"
xz_hash=$(awk '/^SHA256:/{f=1;next} f && $3=="main/binary-amd64/Packages.xz"{print $1}' "$dist/Release")
deb=$(cd "$data/public/trunk" && find pool -name '*.deb' -print -quit)
echo "== ppa serve on 127.0.0.1, $(grep -c '^Package:' "$dist/main/binary-amd64/Packages") packages; wrk: 2 threads, 32 connections, 10 s each"
for path in "/trunk/dists/noble/InRelease" "/trunk/dists/noble/main/binary-amd64/by-hash/SHA256/$xz_hash" "/trunk/$deb"; do
  size=$(curl -s -o /dev/null -w '%{size_download}' "$base$path")
  wrk -t2 -c32 -d10s "$base$path" > "$work/wrk.txt"
  rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.txt")
  tput=$(awk '/Transfer\/sec/{print $2}' "$work/wrk.txt")
  lat=$(awk '/Latency/{print $2}' "$work/wrk.txt" | head -1)
  printf '  GET %-60s %9s B  %10s req/s  %9s/s  mean latency %s\n' "${path:0:60}" "$size" "$rps" "$tput" "$lat"
done

echo "== concurrent uploads: 4 clients x 10 includes of a new .deb each (POST .../include, then republish)"
for c in 1 2 3 4; do
  for i in $(seq 1 10); do
    d="$work/up-$c-$i"; mkdir -p "$d/DEBIAN"
    printf 'Package: load-%s-%s\nVersion: 1.0\nArchitecture: amd64\nMaintainer: b <b@example.org>\nDescription: load\n x\n' "$c" "$i" > "$d/DEBIAN/control"
    dpkg-deb --root-owner-group -b "$d" "$work/load-$c-${i}_1.0_amd64.deb" >/dev/null
  done
done
start=$(date +%s.%N)
clients=()
for c in 1 2 3 4; do
  (for i in $(seq 1 10); do
     curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" -F "file=@$work/load-$c-${i}_1.0_amd64.deb" \
       "$base/api/v1/archives/trunk/include?series=noble"
   done) > "$work/client-$c.txt" &
  clients+=($!)
done
wait "${clients[@]}"
end=$(date +%s.%N)
ok=$(cat "$work"/client-*.txt | grep -c '^200$' || true)
awk -v n="$ok" -v s="$start" -v e="$end" 'BEGIN { printf "  %d of 40 uploads accepted in %.2f s: %.1f uploads/s (each one included and republished, signed)\n", n, e - s, n / (e - s) }'
