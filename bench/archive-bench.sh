#!/usr/bin/env bash
# Archive benchmark (issues #3 and #4): the same N .deb files (real bookworm control data,
# written by bench's GenerateDebs) added to a signed, published archive by reprepro, aptly
# and ppaforge in one run, printing wall seconds, peak memory (max RSS) and ratios:
#   bulk:        reprepro includedeb + export, aptly repo add + publish, ppa include (publishes)
#   add one:     one more package, then a signed republish, each as its own command(s)
#   in-process:  ppaforge add-one-and-republish inside a running JVM (PublishBench)
# then ppaforge's copy, sync and skew on the N-package archive (ArchiveBench).
#
# usage: bench/archive-bench.sh [N ...]      (default: 2000 20000)
# Installs reprepro, aptly and GNU time from Debian when missing (needs root or sudo).
# Everything is signed: reprepro (SignWith) and aptly (-gpg-key) with an Ed25519 key in a
# throwaway GNUPGHOME, ppaforge with the archive's own Ed25519 key.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000)

source bench/lib.sh
bench_need reprepro=reprepro aptly=aptly time=time curl=curl
# The benchmark's jar is made again when any module's sources are newer (bin/ppa makes its own jar the same way).
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
export GNUPGHOME="$work/gnupg"
if [ ! -d "$GNUPGHOME" ]; then
  mkdir -m 700 -p "$GNUPGHOME"
  gpg --batch --passphrase '' --quick-gen-key "bench <bench@example.org>" ed25519 sign never 2>/dev/null
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

  # One more package for the add-one runs: a name none of the N has.
  one="$work/one-$n"; rm -rf "$one"; mkdir -p "$one/pkg/DEBIAN"
  printf 'Package: zz-bench-one\nVersion: 1.0-1\nArchitecture: amd64\nSection: misc\nPriority: optional\nMaintainer: bench <bench@example.org>\nDescription: one more\n added by the benchmark\n' > "$one/pkg/DEBIAN/control"
  dpkg-deb --root-owner-group -b "$one/pkg" "$one/zz-bench-one_1.0-1_amd64.deb" >/dev/null
  onedeb="$one/zz-bench-one_1.0-1_amd64.deb"

  # The bulk row: each tool three times from nothing, the median of its three wall times (one run varies by up to
  # 30 % here). reprepro writes the index forms ppaforge writes (Packages, .gz, .xz: DebIndices); aptly cannot write .xz
  # and writes .gz and .bz2.
  rr="$work/reprepro-$n"; ad="$work/aptly-$n"; pd="$work/ppaforge-$n"
  rr_runs=(); ap_runs=(); pf_runs=()
  for r in 1 2 3; do
    rm -rf "$rr"; mkdir -p "$rr/conf"
    printf 'Codename: noble\nArchitectures: amd64\nComponents: main\nSignWith: bench@example.org\nDebIndices: Packages Release . .gz .xz\n' > "$rr/conf/distributions"
    measure "reprepro includedeb + export, run $r" sh -c "find '$debs' -name '*.deb' -print0 | xargs -0 reprepro -b '$rr' --export=never includedeb noble && reprepro -b '$rr' export noble"
    rr_runs+=("$(secs "reprepro includedeb + export, run $r")")
    rm -rf "$ad"; mkdir -p "$ad"
    printf '{"rootDir": "%s", "architectures": ["amd64"]}\n' "$ad" > "$ad/aptly.conf"
    aptly -config="$ad/aptly.conf" repo create -distribution=noble -component=main bench >/dev/null
    measure "aptly repo add + publish, run $r" sh -c "aptly -config='$ad/aptly.conf' repo add bench '$debs' && aptly -config='$ad/aptly.conf' publish repo -batch -passphrase= -gpg-key=bench@example.org -architectures=amd64,all bench"
    ap_runs+=("$(secs "aptly repo add + publish, run $r")")
    rm -rf "$pd"
    "$ppa" archive create trunk --data-dir "$pd" --series noble --arch amd64 >/dev/null
    measure "ppaforge include + publish, run $r" "$ppa" include trunk --data-dir "$pd" --series noble --no-progress "$debs"
    pf_runs+=("$(secs "ppaforge include + publish, run $r")")
  done
  med3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
  rr_all=$(med3 "${rr_runs[@]}"); ap_all=$(med3 "${ap_runs[@]}"); pf=$(med3 "${pf_runs[@]}")
  echo "$rr_all" > "$work/bulk-reprepro-$n.secs"; echo "$ap_all" > "$work/bulk-aptly-$n.secs"; echo "$pf" > "$work/bulk-ppaforge-$n.secs"
  best=$(awk -v a="$rr_all" -v b="$ap_all" 'BEGIN { print (a < b ? a : b) }')
  echo "  medians of three: reprepro $rr_all s, aptly $ap_all s, ppaforge $pf s"
  echo "  ratio ppaforge include+publish / the faster of reprepro and aptly ($best s): $(ratio "$pf" "$best")  (goal <= 0.50)"
  echo "  ratio ppaforge / reprepro includedeb+export: $(ratio "$pf" "$rr_all");  ppaforge / aptly add+publish: $(ratio "$pf" "$ap_all")"

  # Five new packages per tool; each figure below is the median of its five runs (single runs vary by 20% here).
  for k in 1 2 3 4 5; do
    mkdir -p "$one/k$k/DEBIAN"
    printf 'Package: zz-bench-one-%s\nVersion: 1.0-1\nArchitecture: amd64\nSection: misc\nPriority: optional\nMaintainer: bench <bench@example.org>\nDescription: one more\n added by the benchmark\n' "$k" > "$one/k$k/DEBIAN/control"
    dpkg-deb --root-owner-group -b "$one/k$k" "$one/zz-bench-one-${k}_1.0-1_amd64.deb" >/dev/null
  done

  echo "  add one package and republish (signed), each tool's own commands, median of 5:"
  # reprepro's own default (Packages and .gz, no .xz) for the add-one row: with .xz it compresses the whole index
  # again on every export (about 10 s here), which would flatter ppaforge.
  printf 'Codename: noble\nArchitectures: amd64\nComponents: main\nSignWith: bench@example.org\n' > "$rr/conf/distributions"
  reprepro -b "$rr" export noble >/dev/null 2>&1
  median5 "$work" "$one/zz-bench-one-%k_1.0-1_amd64.deb" "reprepro includedeb one (exports)" reprepro -b "$rr" includedeb noble {}
  median5 "$work" "$one/zz-bench-one-%k_1.0-1_amd64.deb" "aptly add one + publish update" sh -c "aptly -config='$ad/aptly.conf' repo add bench {} >/dev/null && aptly -config='$ad/aptly.conf' publish update -batch -passphrase= -gpg-key=bench@example.org noble"
  rm -rf "$pd-local"; cp -a "$pd" "$pd-local"
  median5 "$work" "$one/zz-bench-one-%k_1.0-1_amd64.deb" "ppa include one (publishes)" "$ppa" include trunk --data-dir "$pd-local" --series noble --no-progress {}
  rm -rf "$pd-local"
  rr1=$(secs "reprepro includedeb one (exports)")
  ap1=$(secs "aptly add one + publish update")
  pf1=$(secs "ppa include one (publishes)")
  echo "  ratio ppa include one / reprepro: $(ratio "$pf1" "$rr1");  / aptly add+publish update: $(ratio "$pf1" "$ap1")"

  echo "  the same through a running 'ppa serve' on a copy of the archive (warmed by 10 includes), median of 5:"
  rm -rf "$pd-served"; cp -a "$pd" "$pd-served"
  port=$((20000 + RANDOM % 20000))
  token="bench-$(date +%s%N)-token-for-the-benchmark"
  PPAFORGE_ADMIN_TOKEN="$token" "$ppa" serve --data-dir "$pd-served" --port "$port" > "$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/api/v1/archives" >/dev/null 2>&1 && break; sleep 0.5; done
  for w in $(seq 1 10); do
    mkdir -p "$one/w$w/DEBIAN"
    printf 'Package: zz-bench-w%s\nVersion: 1.0-1\nArchitecture: amd64\nSection: misc\nPriority: optional\nMaintainer: bench <bench@example.org>\nDescription: warm-up\n x\n' "$w" > "$one/w$w/DEBIAN/control"
    dpkg-deb --root-owner-group -b "$one/w$w" "$one/zz-bench-w${w}_1.0-1_amd64.deb" >/dev/null
  done
  export PPAFORGE_TOKEN="$token"
  for w in $(seq 1 10); do
    "$ppa" include trunk --server "http://127.0.0.1:$port" --series noble "$one/zz-bench-w${w}_1.0-1_amd64.deb" >/dev/null
  done
  median5 "$work" "$one/zz-bench-one-%k_1.0-1_amd64.deb" "ppa include one --server" "$ppa" include trunk --server "http://127.0.0.1:$port" --series noble {}
  unset PPAFORGE_TOKEN
  # The one-shot command as users type it, on the data directory the server holds: it hands its work to the server.
  for k in 1 2 3 4 5; do
    mkdir -p "$one/h$k/DEBIAN"
    printf 'Package: zz-bench-h%s\nVersion: 1.0-1\nArchitecture: amd64\nSection: misc\nPriority: optional\nMaintainer: bench <bench@example.org>\nDescription: handed off\n x\n' "$k" > "$one/h$k/DEBIAN/control"
    dpkg-deb --root-owner-group -b "$one/h$k" "$one/zz-bench-h${k}_1.0-1_amd64.deb" >/dev/null
  done
  median5 "$work" "$one/zz-bench-h%k_1.0-1_amd64.deb" "ppa include one (handed to serve)" "$ppa" include trunk --data-dir "$pd-served" --series noble --no-progress {}
  grep -q "zz-bench-h5" "$work/ppa include one (handed to serve).log" || { echo "FAILED: the hand-off did not include"; exit 1; }
  kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true
  rm -rf "$pd-served"
  echo "  ratio ppa include one --server / reprepro: $(ratio "$(secs "ppa include one --server")" "$rr1") (goal <= 1.00)"
  echo "  ratio ppa include one (handed to serve) / reprepro: $(ratio "$(secs "ppa include one (handed to serve)")" "$rr1") (goal <= 1.00)"

  echo "  ppaforge add one + republish inside a running process (serial GC, as bin/ppa runs):"
  rm -rf "$pd-inproc"; cp -a "$pd" "$pd-inproc"
  java -XX:+UseSerialGC -cp "$bench_jar" org.ppaforge.bench.PublishBench "$pd-inproc" 20 10 | sed 's/^/    /'
  rm -rf "$pd-inproc"

  echo "  ppaforge copy / sync / skew on $n packages, in one process (copy and sync republish the target):"
  java -cp "$bench_jar" org.ppaforge.bench.ArchiveBench "$pd" | sed 's/^/    /'
  measure "ppa skew (whole CLI call)" sh -c "'$ppa' skew trunk milestone-proposed release --data-dir '$pd' --series noble >/dev/null; test \$? -le 1"
  measure "ppa sync (whole CLI call)" "$ppa" sync trunk milestone-proposed --data-dir "$pd" --series noble
done
