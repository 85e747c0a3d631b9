#!/usr/bin/env bash
# The pipeline machinery's own cost (issue 13): webhook received -> first step started, and a run's time outside its
# steps, over RUNS runs (check in a testbed, daily source package, signed upload) started by the push webhook.
# Needs the build farm's chroot tarball: CHROOT (default: the tests' cached one; made with mmdebstrap when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/ppaforge-bench.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package -pl bench -am
chroot=${CHROOT:-/var/cache/ppaforge-tests/chroots/bookworm-amd64-debhelper.tar.zst}
if [ ! -f "$chroot" ]; then
  mkdir -p "$(dirname "$chroot")"
  mmdebstrap --variant=buildd --include=debhelper bookworm "$chroot" http://deb.debian.org/debian
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$jar" org.ppaforge.bench.PipelineBench "$work" "$chroot" "${RUNS:-5}"
