#!/usr/bin/env bash
# Backups (issue #24) side by side with restic (Debian's), in one run, on the benchmark's 20,000-package data
# directory: the first backup, a backup after one more package, and a restore, each by ppaforge ('ppa backup') and by
# restic ('restic backup' / 'restic restore') into a local directory. Goal: the backup after one change within 2 s and
# no slower than restic's; the first backup and the restore no slower than restic's.
#
# usage: bench/backup.sh [N]      (default 20000; the data directory is made once and kept in bench/target/backup)
#        ROUNDS=5 bench/backup.sh  (default 3 rounds, each from a fresh copy of the data directory; medians shown)
# Installs restic from Debian when missing (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-20000}
if ! command -v restic >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q restic >/dev/null
fi
[ -f bench/target/ppaforge-bench.jar ] && [ -f cli/target/ppa.jar ] || ./mvnw -q -B -DskipTests package
ppa="$root/bin/ppa"
work="$root/bench/target/backup"
data="$work/data-$n"
mkdir -p "$work"
if [ ! -d "$data" ]; then
  index="$work/Packages"
  if [ ! -s "$index" ]; then
    src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
    [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
    /usr/lib/apt/apt-helper cat-file "$src" > "$index"
  fi
  echo "making a $n-package data directory (once)..."
  rm -rf "$work/debs-$n" "$data.tmp"
  java -cp "$root/bench/target/ppaforge-bench.jar" org.ppaforge.bench.GenerateDebs "$index" "$((n + 1))" "$work/debs-$n" >/dev/null
  mkdir -p "$work/extra"
  extra=$(find "$work/debs-$n" -name '*.deb' -print -quit)
  mv "$extra" "$work/extra/"
  "$ppa" archive create trunk --data-dir "$data.tmp" --series bookworm --arch amd64 >/dev/null
  "$ppa" include trunk --data-dir "$data.tmp" --skip-refused "$work/debs-$n" >/dev/null
  mv "$data.tmp" "$data"
fi
export PPAFORGE_BACKUP_PASSPHRASE="bench passphrase" RESTIC_PASSWORD="bench passphrase"
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
run="$work/run"
rounds=${ROUNDS:-3}
P1=(); R1=(); P2=(); R2=(); P3=(); R3=()
for round in $(seq "$rounds"); do
  rm -rf "$run" "$work/t-ppa" "$work/t-restic" "$work/r-ppa" "$work/r-restic"
  cp -a "$data" "$run"
  if [ "$round" = 1 ]; then
    files=$(find "$run" -type f | wc -l); size=$(du -sm "$run" | cut -f1)
    echo "data directory: $files files, $size MB ($n packages); $rounds rounds, the median of each shown"
  fi
  sync
  restic init --repo "$work/t-restic" >/dev/null
  # restic backs up what ppaforge keeps: the data directory less what is made again (published trees, caches).
  excl=(--exclude "$run/public" --exclude "$run/cache" --exclude "$run/tmp")
  P1+=("$(secs "$ppa" backup create "$work/t-ppa" --data-dir "$run")")
  R1+=("$(secs restic backup --repo "$work/t-restic" "${excl[@]}" "$run")")
  "$ppa" include trunk --data-dir "$run" "$work"/extra/*.deb >/dev/null
  P2+=("$(secs "$ppa" backup create "$work/t-ppa" --data-dir "$run")")
  R2+=("$(secs restic backup --repo "$work/t-restic" "${excl[@]}" "$run")")
  P3+=("$(secs "$ppa" backup restore "$work/t-ppa" --to "$work/r-ppa")")
  R3+=("$(secs restic restore latest --repo "$work/t-restic" --target "$work/r-restic")")
done
tp=$(du -sm "$work/t-ppa" | cut -f1); tr=$(du -sm "$work/t-restic" | cut -f1)
printf '%-34s %10s %10s %8s   %s\n' "" ppaforge restic ratio "(every round: ppaforge / restic)"
row() {
  local what=$1 p r; shift
  local -n ps=$1 rs=$2
  p=$(median "${ps[@]}"); r=$(median "${rs[@]}")
  printf '%-34s %9.2fs %9.2fs %7.2fx   %s / %s\n' "$what" "$p" "$r" "$(echo "$p / $r" | bc -l)" \
    "$(printf '%.2f ' "${ps[@]}")" "$(printf '%.2f ' "${rs[@]}")"
}
row "first backup" P1 R1
row "backup after one more package" P2 R2
row "restore" P3 R3
printf '%-34s %8s MB %7s MB\n' "target size" "$tp" "$tr"
echo "goal: the backup after one change within 2 s and no slower than restic; first backup and restore no slower than restic"
