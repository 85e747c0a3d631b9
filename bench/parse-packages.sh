#!/usr/bin/env bash
# Parse benchmark: streams the real bookworm main amd64 Packages index (this machine's
# apt lists, decompressed with apt-helper) through ppaforge's deb822 reader on ONE core
# (taskset -c 0) with a 32 MB heap, and prints stanzas per second.
# Goal (issue #2): the whole ~50 MB / 63,440-stanza file in under 1 second.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/ppaforge-bench.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package -pl bench -am
index=${1:-}
if [ -z "$index" ]; then
  src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
  [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
  index=$(mktemp --suffix=-Packages)
  trap 'rm -f "$index"' EXIT
  /usr/lib/apt/apt-helper cat-file "$src" > "$index"
fi
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" java -Xmx32m -XX:ActiveProcessorCount=1 -cp "$jar" org.ppaforge.bench.ParsePackages "$index" "${ROUNDS:-8}"
