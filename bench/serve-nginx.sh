#!/usr/bin/env bash
# 'ppa serve' beside nginx on the same published tree (issue #11): what teams that use reprepro or aptly put in front
# of their archive. wrk, 2 threads, 16 connections, 10 s per file, on 127.0.0.1: InRelease (small, text), a pool .deb
# (the smallest and the largest), a by-hash Packages; requests per second side by side and their ratio (goals: >= 0.8
# of nginx for small files, >= 0.9 for large ones), and the same InRelease of the archive made private, with a token.
# usage: bench/serve-nginx.sh DATA_DIR ARCHIVE     (a data directory with a published archive; installs nginx and wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
data=${1:?usage: bench/serve-nginx.sh DATA_DIR ARCHIVE}
archive=${2:?usage: bench/serve-nginx.sh DATA_DIR ARCHIVE}
need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
work="$root/bench/target/serve-nginx"; rm -rf "$work"; mkdir -p "$work"
tree="$data/public"
nport=$((20000 + RANDOM % 20000)); pport=$((nport + 1))
cat > "$work/nginx.conf" <<CONF
daemon off; worker_processes auto; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:$nport; root $tree; } }
CONF
nginx -c "$work/nginx.conf" &
npid=$!
token="bench-$(date +%s%N)-token-for-the-nginx-comparison"
PPAFORGE_ADMIN_TOKEN="$token" "$root/bin/ppa" serve --data-dir "$data" --port "$pport" > "$work/serve.log" 2>&1 &
ppid=$!
trap 'kill $npid $ppid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$nport/" && curl -sf -o /dev/null "http://127.0.0.1:$pport/api/v1/health" && break
  sleep 0.5
done
dist="$tree/$archive/dists/$(ls "$tree/$archive/dists" | head -1)"
series=$(basename "$dist")
packages_hash=$(awk '/^SHA256:/{f=1;next} f && $3=="main/binary-amd64/Packages"{print $1}' "$dist/Release")
small=$(cd "$tree/$archive" && find pool -name '*.deb' -printf '%s %p\n' | sort -n | head -1 | cut -d' ' -f2)
large=$(cd "$tree/$archive" && find pool -name '*.deb' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
# Both servers warmed up first (the JIT compiles ppa serve's request path in its first seconds).
for warm in "http://127.0.0.1:$nport/$archive/dists/$(ls "$tree/$archive/dists" | head -1)/InRelease" \
            "http://127.0.0.1:$pport/$archive/dists/$(ls "$tree/$archive/dists" | head -1)/InRelease"; do
  wrk -t2 -c16 -d5s "$warm" > /dev/null
done
rps() { wrk -t2 -c16 -d"${SECONDS_EACH:-10}"s "$@" | awk '/Requests\/sec/{print $2}'; }
printf '  %-58s %10s %10s %7s\n' "file (bytes)" "nginx/s" "ppa/s" "ratio"
for path in "/$archive/dists/$series/InRelease" "/$archive/$small" "/$archive/dists/$series/main/binary-amd64/by-hash/SHA256/$packages_hash" "/$archive/$large"; do
  size=$(stat -c %s "$tree$path")
  n=$(rps "http://127.0.0.1:$nport$path"); p=$(rps "http://127.0.0.1:$pport$path")
  printf '  %-58s %10.0f %10.0f %7.2f\n' "$(basename "$path" | cut -c1-45) ($size)" "$n" "$p" "$(awk -v a="$p" -v b="$n" 'BEGIN{print a/b}')"
done
# The same archive made private: every request carries a token, as apt sends it from auth.conf.
"$root/bin/ppa" archive set "$archive" --private yes --server "http://127.0.0.1:$pport" >/dev/null 2>&1 \
  || PPAFORGE_TOKEN="$token" "$root/bin/ppa" archive set "$archive" --private yes --server "http://127.0.0.1:$pport" >/dev/null
p=$(rps -H "Authorization: Bearer $token" "http://127.0.0.1:$pport/$archive/dists/$series/InRelease")
printf '  %-58s %10s %10.0f\n' "InRelease, private archive, with a token" "-" "$p"
PPAFORGE_TOKEN="$token" "$root/bin/ppa" archive set "$archive" --private no --server "http://127.0.0.1:$pport" >/dev/null
