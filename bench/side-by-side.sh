#!/usr/bin/env bash
# The archive benchmarks of issue #28 in one run, then their rows side by side (wall seconds; medians where a
# benchmark repeats a step):
#   1. real corpus: 280 real Debian .debs, include + signed publish with Contents   (bench/real-corpus.sh)
#   2. 20,000 synthetic .debs, include + signed publish, median of three           (bench/archive-bench.sh 20000)
#   3. add one .deb to those 20,000 and republish, one command, median of five     (bench/archive-bench.sh 20000)
#   4. a Debian-sized archive (bookworm main, amd64 + arm64): change one package   (bench/debian-size.sh)
# Each benchmark prints its own details first (memory, parts, sizes); the logs are kept in bench/target/side-by-side.
# usage: bench/side-by-side.sh      (about 25 minutes here; installs reprepro, aptly and GNU time when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_WORK:-$(pwd)/bench/target/work}
logs=bench/target/side-by-side
mkdir -p "$logs"
bench/real-corpus.sh | tee "$logs/real-corpus.log"
bench/archive-bench.sh 20000 | tee "$logs/archive-bench.log"
DEBIAN_SIZE_APTLY=${DEBIAN_SIZE_APTLY:-1} bench/debian-size.sh | tee "$logs/debian-size.log"

rc="$work/real-corpus"; ds="$work/debian-size"
get() { cat "$1.secs" 2>/dev/null || echo "-"; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else print a + b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-") print b; else if (b == "-") print a; else print (a < b ? a : b) }'; }

floor=$(get "$rc/floor: dpkg-deb -c, 2 at a time")
r1_pf=$(get "$rc/ppa include (signed, Contents)")
r1_rr=$(sum "$(get "$rc/reprepro includedeb")" "$(get "$rc/reprepro export (signed, Contents)")")
r1_ap=$(sum "$(get "$rc/aptly repo add")" "$(get "$rc/aptly publish (signed, Contents)")")
r2_pf=$(get "$work/bulk-ppaforge-20000"); r2_rr=$(get "$work/bulk-reprepro-20000"); r2_ap=$(get "$work/bulk-aptly-20000")
r3_pf=$(get "$work/ppa include one (publishes)"); r3_rr=$(get "$work/reprepro includedeb one (exports)")
r3_ap=$(get "$work/aptly add one + publish update"); r3_srv=$(get "$work/ppa include one --server")
r3_ho=$(get "$work/ppa include one (handed to serve)")
r4_pf=$(get "$ds/ppa include one (publishes)"); r4_rr=$(get "$ds/reprepro includedeb one (exports)")
r4_ap=$(get "$ds/aptly add one + publish update")

echo
echo "== side by side (wall seconds)"
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "work" "ppaforge" "reprepro" "aptly" "floor" "ratio" "goal"
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "real corpus: include + signed publish with Contents" "$r1_pf" "$r1_rr" "$r1_ap" "$floor" \
  "$(ratio "$r1_pf" "$floor") x floor, $(ratio "$r1_pf" "$r1_rr") x reprepro" "<= 1.2 x floor"
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "20,000 .debs: include + signed publish (median of 3)" "$r2_pf" "$r2_rr" "$r2_ap" "-" \
  "$(ratio "$r2_pf" "$(min "$r2_rr" "$r2_ap")") x the faster" "<= 0.5 x the faster"
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "add one .deb and republish, one command (median of 5)" "$r3_pf" "$r3_rr" "$r3_ap" "-" \
  "$(ratio "$r3_pf" "$r3_rr") x reprepro" "<= 1.0 x reprepro"
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "  the same through a running 'ppa serve' (--server)" "$r3_srv" "$r3_rr" "$r3_ap" "-" \
  "$(ratio "$r3_srv" "$r3_rr") x reprepro" ""
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "  the same command while 'ppa serve' holds the directory" "$r3_ho" "$r3_rr" "$r3_ap" "-" \
  "$(ratio "$r3_ho" "$r3_rr") x reprepro" "<= 1.0 x reprepro"
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "Debian-sized archive: change one, republish (median of 5)" "$r4_pf" "$r4_rr" "$r4_ap" "-" \
  "$(ratio "$r4_pf" "$r4_rr") x reprepro" "<= 1 s"
r4_ho=$(get "$ds/ppa include one (handed to serve)")
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "  the same command while 'ppa serve' holds the directory" "$r4_ho" "$r4_rr" "$r4_ap" "-" \
  "$(ratio "$r4_ho" "$r4_rr") x reprepro" "<= 1 s"
r4_srv=$(sed -n 's/.*warm-up rounds: \([0-9.]*\) s.*/\1/p' "$ds/inproc.log" 2>/dev/null || echo -)
printf '%-58s %9s %9s %9s %9s   %-34s %s\n' "  the same inside a running server (median of 10)" "${r4_srv:--}" "$r4_rr" "$r4_ap" "-" \
  "$(ratio "${r4_srv:--}" "$r4_rr") x reprepro" "<= 1 s"
grep -h "Packages.xz" "$logs/debian-size.log" | sed 's/^ */  /'
