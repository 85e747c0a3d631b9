#!/usr/bin/env bash
# Importing an existing repository (issue 25): the 20,000-package benchmark tree (small valid .debs whose control
# data comes from the real bookworm index, published and signed by ppaforge) served by nginx on 127.0.0.1, brought in
# by 'aptly mirror create' + 'aptly mirror update' and by 'ppa import', in one run: wall seconds, peak memory, ratio.
# Then the same again with nothing changed upstream ('aptly mirror update' / 'ppa import --update').
#
# usage: bench/import.sh [N]     (default 20000; the tree is made once and kept in bench/target/import)
# Installs aptly, nginx and GNU time from Debian when missing (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-20000}
need=()
command -v aptly >/dev/null || need+=(aptly)
command -v nginx >/dev/null || need+=(nginx-light)
[ -x /usr/bin/time ] || need+=(time)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
[ -f bench/target/ppaforge-bench.jar ] && [ -f cli/target/ppa.jar ] || ./mvnw -q -B -DskipTests package
ppa="$root/bin/ppa"
work="$root/bench/target/import"
tree="$work/tree-$n"
mkdir -p "$work"
if [ ! -d "$tree" ]; then
  index="$work/Packages"
  if [ ! -s "$index" ]; then
    src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
    [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
    /usr/lib/apt/apt-helper cat-file "$src" > "$index"
  fi
  echo "making the $n-package repository tree (once)..."
  rm -rf "$work/debs-$n" "$tree.tmp"
  java -cp "$root/bench/target/ppaforge-bench.jar" org.ppaforge.bench.GenerateDebs "$index" "$n" "$work/debs-$n" >/dev/null
  "$ppa" archive create trunk --data-dir "$tree.tmp" --series bookworm --arch amd64 >/dev/null
  "$ppa" include trunk --data-dir "$tree.tmp" --skip-refused --no-progress "$work/debs-$n" >/dev/null 2>&1
  "$ppa" key export trunk --data-dir "$tree.tmp" > "$tree.tmp/key.asc"
  rm -rf "$work/debs-$n"
  mv "$tree.tmp" "$tree"
fi
gnupg="$work/gnupg"; rm -rf "$gnupg"; mkdir -m 700 "$gnupg"
gpg --homedir "$gnupg" --no-default-keyring --keyring "$gnupg/trustedkeys.gpg" --import "$tree/key.asc" 2>/dev/null

port=$((20000 + RANDOM % 20000))
cat > "$work/nginx.conf" <<CONF
daemon off; worker_processes 2; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 256; }
http { access_log off; sendfile on; tcp_nopush on;
  server { listen 127.0.0.1:$port; root $tree/public; location / { autoindex off; } } }
CONF
nginx -c "$work/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/trunk/dists/bookworm/InRelease" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/trunk"
packages=$(grep -c '^Package:' "$tree/public/trunk/dists/bookworm/main/binary-amd64/Packages")
echo "== importing $packages packages ($(du -shL "$tree/public/trunk/pool" | cut -f1) of .debs) from $url bookworm main"

# measure LABEL CMD... : runs CMD, records "seconds maxrss_kb"
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/last" "$@" >"$work/$label.log" 2>&1 || { echo "FAILED: $label (see $work/$label.log)"; tail -5 "$work/$label.log"; exit 1; }
  read -r secs kb < "$work/last"
  printf '  %-40s %8.2f s %8.0f MB\n' "$label" "$secs" "$((kb / 1024))"
  echo "$secs" > "$work/$label.secs"
}
secs() { cat "$work/$1.secs"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

ad="$work/aptly"; rm -rf "$ad"; mkdir -p "$ad"
printf '{"rootDir": "%s", "architectures": ["amd64"], "gpgProvider": "gpg"}\n' "$ad" > "$ad/aptly.conf"
export GNUPGHOME="$gnupg"
measure "aptly mirror create" aptly -config="$ad/aptly.conf" mirror create -keyring="$gnupg/trustedkeys.gpg" \
  bench "$url" bookworm main
measure "aptly mirror update" aptly -config="$ad/aptly.conf" mirror update -keyring="$gnupg/trustedkeys.gpg" bench

pd="$work/ppaforge"; rm -rf "$pd"
"$ppa" archive create mirror --data-dir "$pd" --series bookworm --arch amd64 >/dev/null
measure "ppa import (fetch, include, publish)" env PPAFORGE_TIMINGS=1 "$ppa" import "deb $url bookworm main" --key "$tree/key.asc" \
  --into mirror --data-dir "$pd" --no-progress
grep '^imported' "$work/ppa import (fetch, include, publish).log" | cut -c1-160 | sed 's/^/    /'
got=$(grep -c '^Package:' "$pd/public/mirror/dists/bookworm/main/binary-amd64/Packages")
[ "$got" -eq "$packages" ] || { echo "ppa import published $got of $packages packages"; exit 1; }

# aptly's mirror is not yet served: a snapshot and a signed publish make it an apt repository, as 'ppa import' does.
gpg --homedir "$gnupg" --batch --passphrase '' --quick-gen-key "bench <bench@example.org>" ed25519 sign never 2>/dev/null
measure "aptly snapshot create" aptly -config="$ad/aptly.conf" snapshot create bench-snap from mirror bench
measure "aptly publish snapshot (signed)" aptly -config="$ad/aptly.conf" publish snapshot -batch -passphrase= \
  -gpg-key=bench@example.org -distribution=bookworm bench-snap

aptly_all=$(awk -v a="$(secs "aptly mirror create")" -v b="$(secs "aptly mirror update")" 'BEGIN{print a+b}')
aptly_served=$(awk -v a="$aptly_all" -v b="$(secs "aptly snapshot create")" -v c="$(secs "aptly publish snapshot (signed)")" 'BEGIN{print a+b+c}')
pf=$(secs "ppa import (fetch, include, publish)")
echo "  ratio ppa import / aptly mirror create+update ($aptly_all s): $(ratio "$pf" "$aptly_all")  (goal <= 0.50)"
echo "  ratio ppa import / aptly mirror create+update+snapshot+publish ($aptly_served s): $(ratio "$pf" "$aptly_served")"
echo "  ppa import's phases (PPAFORGE_TIMINGS): $(grep -E '^(import timings: fetch|include timings: (read .debs|record pub|publish))' "$work/ppa import (fetch, include, publish).log" | sed 's/.*timings: //' | paste -sd';' -)"

echo "  nothing changed upstream:"
measure "aptly mirror update (again)" aptly -config="$ad/aptly.conf" mirror update -keyring="$gnupg/trustedkeys.gpg" bench
measure "ppa import --update (again)" "$ppa" import "deb $url bookworm main" --key "$tree/key.asc" \
  --into mirror --data-dir "$pd" --update --no-progress
echo "  ratio ppa import --update / aptly mirror update: $(ratio "$(secs "ppa import --update (again)")" "$(secs "aptly mirror update (again)")")"
