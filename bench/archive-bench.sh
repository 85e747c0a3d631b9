#!/usr/bin/env bash
# Archive benchmark (issue #3): the same N .deb files (real bookworm control data, written
# by bench's GenerateDebs) added to an archive by reprepro, aptly and ppaforge in one run,
# printing wall seconds, peak memory (max RSS) and the ratio to the best anchor; then
# ppaforge's copy, sync and skew on the N-package archive.
#
# usage: bench/archive-bench.sh [N ...]      (default: 2000 20000)
# Installs reprepro, aptly and GNU time from Debian when missing (needs root or sudo).
# Nothing is signed here (reprepro without SignWith, aptly -skip-signing): ppaforge's
# include does not publish yet; publishing and signing join this run with issue #4.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000)

need=()
command -v reprepro >/dev/null || need+=(reprepro)
command -v aptly >/dev/null || need+=(aptly)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
[ -f bench/target/ppaforge-bench.jar ] && [ -f cli/target/ppa.jar ] || ./mvnw -q -B -DskipTests package
work=${BENCH_WORK:-$root/bench/target/work}
mkdir -p "$work"
index="$work/Packages"
if [ ! -s "$index" ]; then
  src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
  [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
  /usr/lib/apt/apt-helper cat-file "$src" > "$index"
fi
bench_jar="$root/bench/target/ppaforge-bench.jar"
ppa_jar="$root/cli/target/ppa.jar"
ppa="$root/bin/ppa"   # as users run it (JVM options included)

# measure LABEL CMD... : runs CMD, records "seconds maxrss_kb" in $work/last
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/last" "$@" >"$work/$label.log" 2>&1 || { echo "FAILED: $label (see $work/$label.log)"; tail -5 "$work/$label.log"; exit 1; }
  read -r secs kb < "$work/last"
  printf '  %-34s %8.2f s %8.0f MB\n' "$label" "$secs" "$((kb / 1024))"
  echo "$secs"> "$work/$label.secs"
}
secs() { cat "$work/$1.secs"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

for n in "${sizes[@]}"; do
  debs="$work/debs-$n"
  if [ ! -d "$debs" ] || [ "$(ls "$debs" | wc -l)" -ne "$n" ]; then
    rm -rf "$debs"
    java -cp "$bench_jar" org.ppaforge.bench.GenerateDebs "$index" "$n" "$debs" >/dev/null
  fi
  echo "== $n packages ($(du -sh "$debs" | cut -f1) of .deb files, control data from the real bookworm index)"

  rr="$work/reprepro-$n"; rm -rf "$rr"; mkdir -p "$rr/conf"
  printf 'Codename: noble\nArchitectures: amd64\nComponents: main\n' > "$rr/conf/distributions"
  measure "reprepro includedeb" sh -c "find '$debs' -name '*.deb' -print0 | xargs -0 reprepro -b '$rr' --export=never includedeb noble"
  measure "reprepro export" reprepro -b "$rr" export noble

  ad="$work/aptly-$n"; rm -rf "$ad"; mkdir -p "$ad"
  printf '{"rootDir": "%s", "architectures": ["amd64"]}\n' "$ad" > "$ad/aptly.conf"
  aptly -config="$ad/aptly.conf" repo create -distribution=noble -component=main bench >/dev/null
  measure "aptly repo add" aptly -config="$ad/aptly.conf" repo add bench "$debs"
  measure "aptly publish" aptly -config="$ad/aptly.conf" publish repo -skip-signing -architectures=amd64,all bench

  pd="$work/ppaforge-$n"; rm -rf "$pd"
  "$ppa" archive create trunk --data-dir "$pd" --series noble --arch amd64 >/dev/null
  measure "ppaforge include" "$ppa" include trunk --data-dir "$pd" --series noble --no-progress "$debs"

  rr_add=$(secs "reprepro includedeb"); ap_add=$(secs "aptly repo add"); pf=$(secs "ppaforge include")
  best=$(awk -v a="$rr_add" -v b="$ap_add" 'BEGIN { print (a < b ? a : b) }')
  echo "  ratio ppaforge include / best anchor add ($best s): $(ratio "$pf" "$best")  (goal <= 0.50)"
  echo "  ratio ppaforge include / reprepro includedeb+export: $(ratio "$pf" "$(awk -v a="$rr_add" -v b="$(secs "reprepro export")" 'BEGIN{print a+b}')")"
  echo "  ratio ppaforge include / aptly add+publish: $(ratio "$pf" "$(awk -v a="$ap_add" -v b="$(secs "aptly publish")" 'BEGIN{print a+b}')")"

  echo "  ppaforge copy / sync / skew on $n packages, in one process:"
  java -cp "$bench_jar" org.ppaforge.bench.ArchiveBench "$pd" | sed 's/^/    /'
  measure "ppa skew (whole CLI call)" sh -c "'$ppa' skew trunk milestone-proposed release --data-dir '$pd' --series noble >/dev/null; test \$? -le 1"
  measure "ppa sync (whole CLI call)" "$ppa" sync trunk milestone-proposed --data-dir "$pd" --series noble
done
