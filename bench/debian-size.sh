#!/usr/bin/env bash
# A Debian-sized archive (issue #28): every entry of bookworm main's real amd64 Packages index (about 63,000) written
# as a small synthetic .deb with its real control data, for amd64 and again for arm64 (arch-all ones once: about
# 100,000 files, 2 x 63,000 index entries). Each tool holds them in one signed archive with Packages, .gz and .xz;
# then one package gets a new version (five times, a new version each time) and the archive is republished:
#   reprepro: includedeb of the new .deb (exports, Packages .gz .xz like ppaforge)
#   aptly:    repo add + publish update (aptly writes .gz and .bz2; DEBIAN_SIZE_APTLY=0 leaves it out: it is slow here)
#   ppaforge: 'ppa include' of the new .deb as one command (publishes), and the same change inside a running
#             process (the server's path: PublishBench, median of 10 after 5 warm-up rounds)
# and the published Packages.xz (after the changes, in the one-shot commands' form) beside 'xz -6' of the same Packages
# (goal: within 5 %).
# Goal: ppaforge's change-one republish <= 1 s.
# usage: bench/debian-size.sh      (installs reprepro, aptly and GNU time when missing; needs root or sudo)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source bench/lib.sh
bench_need reprepro=reprepro aptly=aptly time=time
bench_jar="$root/bench/target/ppaforge-bench.jar"
if [ ! -f "$bench_jar" ] || [ -n "$(find "$root"/*/src/main -newer "$bench_jar" -print -quit)" ]; then
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl bench -am
fi
ppa="$root/bin/ppa"
work=${BENCH_WORK:-$root/bench/target/work}
big="$work/debian-size"
mkdir -p "$big"
index="$work/Packages"
if [ ! -s "$index" ]; then
  src=$(ls -S /var/lib/apt/lists/*_main_binary-amd64_Packages* 2>/dev/null | head -1 || true)
  [ -n "$src" ] || { echo "no Packages index in /var/lib/apt/lists: run apt-get update" >&2; exit 2; }
  /usr/lib/apt/apt-helper cat-file "$src" > "$index"
fi
debs="$big/debs"
if [ ! -f "$big/debs.done" ]; then
  rm -rf "$debs"
  java -cp "$bench_jar" org.ppaforge.bench.GenerateDebs "$index" 0 "$debs" arm64 >/dev/null
  touch "$big/debs.done"
fi
export GNUPGHOME="$big/gnupg"
if [ ! -d "$GNUPGHOME" ]; then
  mkdir -m 700 -p "$GNUPGHOME"
  gpg --batch --passphrase '' --quick-gen-key "bench <bench@example.org>" ed25519 sign never 2>/dev/null
fi
count=$(find "$debs" -name '*.deb' | wc -l)
echo "== a Debian-sized archive: $count .debs ($(du -sh "$debs" | cut -f1)), bookworm main's control data, amd64 + arm64"

measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$big/last" "$@" >"$big/$label.log" 2>&1 || { echo "FAILED: $label (see $big/$label.log)"; tail -5 "$big/$label.log"; exit 1; }
  read -r secs kb < "$big/last"
  printf '  %-40s %8.2f s %8.0f MB\n' "$label" "$secs" "$((kb / 1024))"
  echo "$secs" > "$big/$label.secs"
}
secs() { cat "$big/$1.secs"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The changed package: hello, five new versions (each replaces the one before).
mk_change() {
  local k=$1 arch=$2 out="$big/change"
  mkdir -p "$out"
  local orig; orig=$(ls "$debs"/hello_*_"$arch".deb | head -1)
  rm -rf "$out/x"; dpkg-deb -R "$orig" "$out/x"
  sed -i "s/^Version: .*/Version: 2.10-3+bench$k/" "$out/x/DEBIAN/control"
  dpkg-deb --root-owner-group -b "$out/x" "$out/hello_2.10-3+bench${k}_$arch.deb" >/dev/null
  echo "$out/hello_2.10-3+bench${k}_$arch.deb"
}
for k in 1 2 3 4 5; do mk_change "$k" amd64 >/dev/null; done

rr="$big/reprepro"; rm -rf "$rr"; mkdir -p "$rr/conf"
printf 'Codename: noble\nArchitectures: amd64 arm64\nComponents: main\nSignWith: bench@example.org\nDebIndices: Packages Release . .gz .xz\n' > "$rr/conf/distributions"
measure "reprepro includedeb (all)" sh -c "find '$debs' -name '*.deb' -print0 | xargs -0 reprepro -b '$rr' --export=never includedeb noble"
measure "reprepro export (signed)" reprepro -b "$rr" export noble

pd="$big/ppaforge"; rm -rf "$pd"
"$ppa" archive create trunk --data-dir "$pd" --series noble --arch amd64,arm64 >/dev/null
measure "ppa include (all, publishes)" "$ppa" include trunk --data-dir "$pd" --series noble --no-progress "$debs"

if [ "${DEBIAN_SIZE_APTLY:-1}" != 0 ]; then
  ad="$big/aptly"; rm -rf "$ad"; mkdir -p "$ad"
  printf '{"rootDir": "%s", "architectures": ["amd64", "arm64"]}\n' "$ad" > "$ad/aptly.conf"
  aptly -config="$ad/aptly.conf" repo create -distribution=noble -component=main bench >/dev/null
  measure "aptly repo add (all)" aptly -config="$ad/aptly.conf" repo add bench "$debs"
  measure "aptly publish (signed)" aptly -config="$ad/aptly.conf" publish repo -batch -passphrase= \
    -gpg-key=bench@example.org -architectures=amd64,arm64,all bench
fi

echo "  change one package (hello, a new version) and republish, each tool's own commands, median of 5:"
# reprepro's own default (Packages and .gz, no .xz) for the change: with .xz it compresses both whole indices again on
# every export (about 45 s a change here), which would flatter ppaforge.
printf 'Codename: noble\nArchitectures: amd64 arm64\nComponents: main\nSignWith: bench@example.org\n' > "$rr/conf/distributions"
reprepro -b "$rr" export noble >/dev/null 2>&1
median5 "$big" "$big/change/hello_2.10-3+bench%k_amd64.deb" "reprepro includedeb one (exports)" reprepro -b "$rr" includedeb noble {}
if [ "${DEBIAN_SIZE_APTLY:-1}" != 0 ]; then
  median5 "$big" "$big/change/hello_2.10-3+bench%k_amd64.deb" "aptly add one + publish update" sh -c "aptly -config='$ad/aptly.conf' repo add -remove-files=false bench {} >/dev/null && aptly -config='$ad/aptly.conf' publish update -batch -passphrase= -gpg-key=bench@example.org noble"
fi
cp -a "$pd" "$pd-inproc"
median5 "$big" "$big/change/hello_2.10-3+bench%k_amd64.deb" "ppa include one (publishes)" "$ppa" include trunk --data-dir "$pd" --series noble --no-progress {}
pf1=$(secs "ppa include one (publishes)")
echo "  ratio ppa include one / reprepro: $(ratio "$pf1" "$(secs "reprepro includedeb one (exports)")");  goal: <= 1 s, now $pf1 s"
echo "  the same change inside a running process (a server's path), median of 10 after 5 warm-up rounds:"
java -XX:+UseParallelGC -cp "$bench_jar" org.ppaforge.bench.PublishBench "$pd-inproc" 10 5 server | tee "$big/inproc.log" | sed 's/^/    /'
rm -rf "$pd-inproc"

echo "  the same command while a real 'ppa serve' holds the directory (it hands the change over), median of 5 after 5 warm-up changes:"
for k in $(seq 6 15); do mk_change "$k" amd64 >/dev/null; done
pds="$pd-served"; rm -rf "$pds"; cp -a "$pd" "$pds"
port=$((20000 + RANDOM % 20000))
"$ppa" serve --data-dir "$pds" --port "$port" > "$big/serve.log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -f "$pds/serve.handoff" ] && curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break; sleep 0.5; done
for k in $(seq 6 10); do
  "$ppa" include trunk --data-dir "$pds" --series noble --no-progress "$big/change/hello_2.10-3+bench${k}_amd64.deb" >/dev/null
done
median5 "$big" "$big/change/hello_2.10-3+bench1%k_amd64.deb" "ppa include one (handed to serve)" "$ppa" include trunk --data-dir "$pds" --series noble --no-progress {}
grep -q "2.10-3+bench15" "$big/ppa include one (handed to serve).log" || { echo "FAILED: the hand-off did not include"; exit 1; }
sleep 20 # the server makes the changed group's single xz block in the background and republishes
kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true
trap - EXIT
p="$pds/public/trunk/dists/noble/main/binary-amd64"
ours=$(stat -c %s "$p/Packages.xz"); six=$(xz -6 -T1 -c "$p/Packages" | wc -c)
echo "  Packages.xz (amd64) after those changes through the server (its groups made whole again in the background): ppaforge $ours bytes, xz -6 $six bytes; ratio $(ratio "$ours" "$six") (goal <= 1.05)"
rm -rf "$pds"
echo "  ratio ppa include one (handed to serve) / reprepro: $(ratio "$(secs "ppa include one (handed to serve)")" "$(secs "reprepro includedeb one (exports)")");  goal: <= 1 s"

for arch in amd64 arm64; do
  p="$pd/public/trunk/dists/noble/main/binary-$arch"
  ours=$(stat -c %s "$p/Packages.xz")
  six=$(xz -6 -c "$p/Packages" | wc -c)
  echo "  Packages.xz ($arch, $(grep -c '^Package:' "$p/Packages") entries) after the one-shot changes: ppaforge $ours bytes, xz -6 of the same Packages $six bytes; ratio $(ratio "$ours" "$six") (goal <= 1.05)"
done
