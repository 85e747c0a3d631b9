#!/usr/bin/env bash
# The build scheduler alone (issue 12): 10,000 waiting builds, lease + complete cycles, time per cycle.
# Goal: under 5 ms per cycle. For scale: Launchpad polls each builder every 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/ppaforge-bench.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package -pl bench -am
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A real (small) source package made here: the scheduler only reads its file list.
mkdir -p "$work/src/tool-1.0/debian/source"
echo '3.0 (native)' > "$work/src/tool-1.0/debian/source/format"
printf 'Source: tool\nMaintainer: B <b@example.org>\nBuild-Depends: debhelper-compat (= 13)\n\nPackage: tool\nArchitecture: any\nDescription: t\n t\n' \
  > "$work/src/tool-1.0/debian/control"
printf 'tool (1.0) bookworm; urgency=low\n\n  * b\n\n -- B <b@example.org>  Wed, 02 Dec 2026 05:00:00 +0000\n' > "$work/src/tool-1.0/debian/changelog"
(cd "$work/src" && dpkg-source -b tool-1.0 >/dev/null)
java -Xmx512m -cp "$jar" org.ppaforge.bench.BuildQueueBench "$work/data" "$work/src/tool_1.0.dsc" "${WAITING:-10000}" "${CYCLES:-2000}"
