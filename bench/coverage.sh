#!/usr/bin/env bash
# Coverage tracking's costs (issue 14), in process: ingesting a Cobertura report of FILES files (default 5000, ~150 code
# lines each), the diff of two of them, and 'coverage trend' over COMMITS stored commits (default 1000).
# Goals: ingest under 1 s; trend under 200 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/ppaforge-bench.jar
[ -f "$jar" ] && [ -z "$(find qa/src -newer "$jar" -print -quit)" ] || ./mvnw -q -B -DskipTests package -pl bench -am
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$jar" org.ppaforge.bench.CoverageBench "$work" "${FILES:-5000}" "${COMMITS:-1000}"
