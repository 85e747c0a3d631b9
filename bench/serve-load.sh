#!/usr/bin/env bash
# Load check of 'ppa serve' on 127.0.0.1 (issue #5): requests per second for apt's downloads
# (InRelease, a by-hash Packages.xz, a pool .deb) with wrk, and for concurrent uploads
# (POST /api/v1/archives/trunk/include) with parallel curl clients, and for concurrent dput-style
# uploads (PUT /upload/<archive>/<file> of a signed source package, the .changes last, as dput's
# http method sends them): four clients into one archive, then four clients into four archives.
#
# Last, the same files served by nginx and by ppa serve side by side (bench/serve-nginx.sh).
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
command -v dpkg-buildpackage >/dev/null || need+=(dpkg-dev)
command -v gpg >/dev/null || need+=(gnupg)
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
# Signed source uploads for the dput-style check: a throwaway key, the uploader of trunk and of
# five small archives; 4 clients x 3 rounds x 10 packages, built before the server starts.
export GNUPGHOME="$work/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Load Check <load@example.org>' ed25519 sign never 2>/dev/null
gpg --armor --export load@example.org > "$work/uploader.asc"
"$ppa" uploader add trunk "$work/uploader.asc" --data-dir "$data" >/dev/null
for a in 0 1 2 3 4; do
  "$ppa" archive create "up$a" --data-dir "$data" --series noble --arch amd64 >/dev/null
  "$ppa" uploader add "up$a" "$work/uploader.asc" --data-dir "$data" >/dev/null
done
srcpkg() { # NAME DIR: a signed source-only upload of NAME 1.0 (3.0 native) in DIR
  local name=$1 dir=$2
  mkdir -p "$dir/$name-1.0/debian/source"
  echo "3.0 (native)" > "$dir/$name-1.0/debian/source/format"
  printf 'Source: %s\nSection: misc\nPriority: optional\nMaintainer: Load Check <load@example.org>\nStandards-Version: 4.6.2\n\nPackage: %s\nArchitecture: all\nDescription: load check\n x\n' \
    "$name" "$name" > "$dir/$name-1.0/debian/control"
  printf '%s (1.0) noble; urgency=medium\n\n  * Load.\n\n -- Load Check <load@example.org>  Wed, 25 Nov 2026 10:00:00 +0000\n' \
    "$name" > "$dir/$name-1.0/debian/changelog"
  printf '#!/usr/bin/make -f\nclean:\n' > "$dir/$name-1.0/debian/rules"; chmod +x "$dir/$name-1.0/debian/rules"
  head -c 20000 /dev/urandom | base64 > "$dir/$name-1.0/data"
  (cd "$dir/$name-1.0" && dpkg-buildpackage -S -d --no-check-builddeps --sign-key=load@example.org >/dev/null 2>&1)
}
export -f srcpkg
for round in big one many; do for c in 1 2 3 4; do for i in $(seq 1 10); do
  echo "dput-$round-$c-$i $work/src-$round-$c"
done; done; done | xargs -P "$(nproc)" -n 2 bash -c 'srcpkg "$0" "$1"'

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
# Reads while the uploads below run (each tree request checks the archive's access in the store, and each
# upload's republish reads a snapshot of all 20,000 packages): the same light wrk load idle and during them.
reads() { # LABEL: 1 thread, 4 connections, 3 s on InRelease; req/s and latency percentiles
  awk -v what="$1" '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END { printf "  reads of InRelease %-22s %9s req/s  p50 %s  p99 %s\n", what, rps, p50, p99 }'
}
wrk -t1 -c4 -d3s --latency "$base/trunk/dists/noble/InRelease" | reads "(idle):"
wrk -t1 -c4 -d3s --latency "$base/trunk/dists/noble/InRelease" > "$work/wrk-during.txt" &
during=$!
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
wait "$during"
ok=$(cat "$work"/client-*.txt | grep -c '^200$' || true)
awk -v n="$ok" -v s="$start" -v e="$end" 'BEGIN { printf "  %d of 40 uploads accepted in %.2f s: %.1f uploads/s (each one included and republished, signed)\n", n, e - s, n / (e - s) }'
reads "(during the uploads):" < "$work/wrk-during.txt"

# PUT each file of an upload, the .changes last, as dput's http method does (Basic auth, the
# token as password); prints the status of the .changes PUT (201 accepted).
# One curl process per upload (its PUTs in order on one connection): a curl process per file
# costs 25 ms of start-up here, more than the server's work for a small file.
put_upload() { # CHANGES ARCHIVE
  local changes=$1 archive=$2 dir f args=()
  dir=$(dirname "$changes")
  for f in $(awk '/^Files:/{f=1;next} /^[^ ]/{f=0} f{print $5}' "$changes") "$(basename "$changes")"; do
    args+=(-T "$dir/$f" "$base/upload/$archive/$f")
  done
  curl -s -o /dev/null -w '%{http_code}\n' -u "load:$token" "${args[@]}" | tail -1
}
dput_round() { # ROUND ARCHIVE-OF-CLIENT(c)
  local round=$1 c start end
  start=$(date +%s.%N)
  clients=()
  for c in 1 2 3 4; do
    (for i in $(seq 1 10); do
       put_upload "$work/src-$round-$c/dput-$round-$c-${i}_1.0_source.changes" "$("$2" "$c")"
     done) > "$work/dput-$round-$c.txt" &
    clients+=($!)
  done
  wait "${clients[@]}"
  end=$(date +%s.%N)
  ok=$(cat "$work"/dput-"$round"-*.txt | grep -c '^20[01]$' || true)
  awk -v n="$ok" -v s="$start" -v e="$end" -v what="$3" 'BEGIN { printf "  %-30s %d of 40 accepted in %.2f s: %.1f uploads/s\n", what, n, e - s, n / (e - s) }'
}
big_archive() { echo trunk; }
one_archive() { echo up0; }
own_archive() { echo "up$1"; }
echo "== concurrent dput-style uploads: 4 clients x 10 signed source uploads (.dsc, .tar.xz, .changes PUT with Basic auth;"
echo "   each checked: signature, checksums, version; then included and republished, signed)"
dput_round big big_archive "4 clients into trunk:"
dput_round one one_archive "4 clients into up0 (small):"
dput_round many own_archive "4 clients, up1..up4 (small):"

# Beside nginx on the same tree (what teams that use reprepro or aptly put in front of theirs), after this server stops.
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "== ppa serve beside nginx on the same published tree (bench/serve-nginx.sh)"
bench/serve-nginx.sh "$data" trunk
