#!/usr/bin/env bash
# Verdicts of a rebuild run (issue 14), in process: PACKAGES packages (default 500) with DAYS runs of history each
# (default 365) judged with debci's rules, compared with the previous run, and their .buildinfo files diffed.
# Goal: under 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/ppaforge-bench.jar
[ -f "$jar" ] && [ -z "$(find qa/src bench/src -newer "$jar" -print -quit)" ] || ./mvnw -q -B -DskipTests package -pl bench -am
java -cp "$jar" org.ppaforge.bench.VerdictBench "${PACKAGES:-500}" "${DAYS:-365}"
