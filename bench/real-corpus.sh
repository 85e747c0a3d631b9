#!/usr/bin/env bash
# Real-corpus benchmark (issue #11): the packages named in bench/real-corpus.list (280 real Debian .debs of mixed
# sizes, about 400 MB, fetched once with apt-get download so every machine measures the same files) added to a
# signed archive with Contents by reprepro, aptly and ppaforge, side by side:
#   reprepro:  includedeb, then a signed export with Contents (conf: Contents: percomponent)
#   aptly:     repo add, then a signed publish (aptly writes Contents)
#   ppaforge:  ppa include (reads every .deb, stores, records, publishes signed with Contents)
#   floor:     dpkg-deb -c of every .deb, two at a time: listing every data member is what Contents needs at least
# Prints wall seconds, CPU seconds, peak memory, Packages.xz sizes and the ratios the issue sets goals for:
#   ppaforge / floor <= 1.2 (which makes it about 0.6 x reprepro);  Packages.xz within 5 % of reprepro's.
# and checks that ppaforge's Packages equals reprepro's field for field (bench/compare-packages.py) and Contents lists the same lines.
# usage: bench/real-corpus.sh            (installs reprepro, aptly and GNU time when missing; needs root or sudo)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source bench/lib.sh
bench_need reprepro=reprepro aptly=aptly time=time python3=python3
[ -f cli/target/ppa.jar ] || ./mvnw -q -B -DskipTests package -pl cli -am
work=${BENCH_WORK:-$root/bench/target/work}/real-corpus
debs="$work/debs"
mkdir -p "$debs"
missing=()
while read -r name; do
  [ -n "$name" ] || continue
  ls "$debs/${name}_"*.deb >/dev/null 2>&1 || missing+=("$name")
done < bench/real-corpus.list
if [ ${#missing[@]} -gt 0 ]; then
  echo "fetching ${#missing[@]} packages with apt-get download..."
  (cd "$debs" && apt-get download -q "${missing[@]}" >/dev/null)
fi
count=$(ls "$debs"/*.deb | wc -l)
echo "== $count real packages, $(du -sh "$debs" | cut -f1)"
export GNUPGHOME="$work/gnupg"
if [ ! -d "$GNUPGHOME" ]; then
  mkdir -m 700 -p "$GNUPGHOME"
  gpg --batch --passphrase '' --quick-gen-key "bench <bench@example.org>" ed25519 sign never 2>/dev/null
fi
# measure LABEL CMD...: wall and CPU seconds and peak memory of CMD
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/last" "$@" >"$work/$label.log" 2>&1 || { echo "FAILED: $label"; tail -5 "$work/$label.log"; exit 1; }
  read -r secs user sys kb < "$work/last"
  printf '  %-36s %8.2f s wall %8.2f s CPU %7.0f MB\n' "$label" "$secs" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$((kb / 1024))"
  echo "$secs" > "$work/$label.secs"
}
secs() { cat "$work/$1.secs"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
cat "$debs"/*.deb > /dev/null   # every tool starts with the files in the page cache

measure "floor: dpkg-deb -c, 2 at a time" sh -c "ls '$debs'/*.deb | xargs -P2 -n1 dpkg-deb -c > /dev/null"

rr="$work/reprepro"; rm -rf "$rr"; mkdir -p "$rr/conf"
printf 'Codename: noble\nArchitectures: amd64\nComponents: main\nSignWith: bench@example.org\nContents: percomponent\nDebIndices: Packages Release . .gz .xz\n' > "$rr/conf/distributions"
measure "reprepro includedeb" sh -c "ls '$debs'/*.deb | xargs reprepro -b '$rr' --export=never includedeb noble"
measure "reprepro export (signed, Contents)" reprepro -b "$rr" export noble

ad="$work/aptly"; rm -rf "$ad"; mkdir -p "$ad"
printf '{"rootDir": "%s", "architectures": ["amd64"]}\n' "$ad" > "$ad/aptly.conf"
aptly -config="$ad/aptly.conf" repo create -distribution=noble -component=main bench >/dev/null
measure "aptly repo add" aptly -config="$ad/aptly.conf" repo add bench "$debs"
measure "aptly publish (signed, Contents)" aptly -config="$ad/aptly.conf" publish repo -batch -passphrase= \
  -gpg-key=bench@example.org -architectures=amd64,all bench

pd="$work/ppaforge"; rm -rf "$pd"
"$root/bin/ppa" archive create trunk --data-dir "$pd" --series noble --arch amd64 >/dev/null
measure "ppa include (signed, Contents)" "$root/bin/ppa" include trunk --data-dir "$pd" --series noble --no-progress \
  --skip-refused "$debs"
tail -1 "$work/ppa include (signed, Contents).log" | sed 's/^/    /'

rr_all=$(sum "$(secs "reprepro includedeb")" "$(secs "reprepro export (signed, Contents)")")
ap_all=$(sum "$(secs "aptly repo add")" "$(secs "aptly publish (signed, Contents)")")
pf=$(secs "ppa include (signed, Contents)")
echo "  ratio ppaforge / reprepro includedeb+export ($rr_all s): $(ratio "$pf" "$rr_all")   (goal <= 0.60)"
echo "  ratio ppaforge / aptly add+publish ($ap_all s): $(ratio "$pf" "$ap_all")"
echo "  ratio ppaforge / dpkg-deb -c floor: $(ratio "$pf" "$(secs "floor: dpkg-deb -c, 2 at a time")")   (goal <= 1.20)"
rx=$(stat -c %s "$rr/dists/noble/main/binary-amd64/Packages.xz")
px=$(stat -c %s "$pd/public/trunk/dists/noble/main/binary-amd64/Packages.xz")
echo "  Packages.xz: reprepro $rx bytes, ppaforge $px bytes, ratio $(ratio "$px" "$rx")   (goal <= 1.05)"
rc=$(stat -c %s "$rr/dists/noble/main/Contents-amd64.gz" 2>/dev/null || echo 0)
pc=$(stat -c %s "$pd/public/trunk/dists/noble/main/Contents-amd64.gz")
echo "  Contents-amd64.gz: reprepro $rc bytes, ppaforge $pc bytes"
# No correctness traded for speed: the indices hold what reprepro's hold, field for field (Contents: the same paths and
# packages; the column padding differs).
python3 bench/compare-packages.py "$pd/public/trunk/dists/noble/main/binary-amd64/Packages" \
  "$rr/dists/noble/main/binary-amd64/Packages" | sed 's/^/  Packages against reprepro'"'"'s: /'
contents() { zcat "$1" | awk '{ print $1, $NF }' | sort; }
if cmp -s <(contents "$pd/public/trunk/dists/noble/main/Contents-amd64.gz") <(contents "$rr/dists/noble/main/Contents-amd64.gz"); then
  echo "  Contents-amd64 against reprepro's: the same $(contents "$rr/dists/noble/main/Contents-amd64.gz" | wc -l) path/package lines"
else
  echo "  Contents-amd64 against reprepro's: DIFFERENT"; exit 1
fi
