#!/usr/bin/env bash
# Build farm overhead (issue 12): the same source package built by plain sbuild and through ppaforge (ppa serve with
# one embedded worker, chroot already fetched), on the same mmdebstrap chroot tarball. Prints:
#   - plain sbuild wall time, and ppaforge's time from the upload accepted to the binaries published; overhead
#   - upload accepted -> build leased by the idle worker (goal: under 1 s)
# Needs sbuild, mmdebstrap, uidmap, /etc/subuid and /etc/subgid ranges; CHROOT (a bookworm buildd tarball with
# debhelper: 'mmdebstrap --variant=buildd --include=debhelper bookworm X.tar.zst', made here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
chroot=${CHROOT:-/var/cache/ppaforge-tests/chroots/bookworm-amd64-debhelper.tar.zst}
if [ ! -f "$chroot" ]; then
  mkdir -p "$(dirname "$chroot")"
  mmdebstrap --variant=buildd --include=debhelper bookworm "$chroot" http://deb.debian.org/debian
fi
work=$(mktemp -d)
port=${PORT:-18931}
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export PPAFORGE_HOME="$work/data"

# The package: a C program (arch any) and its documentation (arch all), debhelper 13.
src="$work/src/benchpkg-1.0"
mkdir -p "$src/debian/source"
printf '#include <stdio.h>\nint main(void){puts("bench");return 0;}\n' > "$src/hello.c"
printf 'all: benchpkg\nbenchpkg: hello.c\n\t$(CC) $(CFLAGS) -o $@ $<\ninstall:\n\tinstall -D -m755 benchpkg $(DESTDIR)/usr/bin/benchpkg\n' > "$src/Makefile"
echo '3.0 (native)' > "$src/debian/source/format"
printf 'Source: benchpkg\nMaintainer: B <b@example.org>\nBuild-Depends: debhelper-compat (= 13)\n\nPackage: benchpkg\nArchitecture: any\nDepends: ${shlibs:Depends}, ${misc:Depends}\nDescription: b\n b\n\nPackage: benchpkg-doc\nArchitecture: all\nDescription: b\n b\n' > "$src/debian/control"
printf 'benchpkg (1.0) bookworm; urgency=low\n\n  * b\n\n -- B <b@example.org>  Wed, 02 Dec 2026 05:00:00 +0000\n' > "$src/debian/changelog"
printf '#!/usr/bin/make -f\n%%:\n\tdh $@\n' > "$src/debian/rules"; chmod +x "$src/debian/rules"
echo 'usr/bin/benchpkg' > "$src/debian/benchpkg.install"
echo 'debian/changelog' > "$src/debian/benchpkg-doc.docs"
(cd "$work/src" && dpkg-source -b benchpkg-1.0 >/dev/null)

echo "== plain sbuild (unshare mode, same chroot)"
mkdir -p "$work/plain"
start=$(date +%s.%N)
sbuild --chroot-mode=unshare --chroot="$chroot" --dist=bookworm --arch=amd64 --arch-all --no-run-lintian --no-run-piuparts \
  --no-run-autopkgtest --build-dir="$work/plain" --nolog "$work/src/benchpkg_1.0.dsc" > "$work/plain.log" 2>&1
plain=$(echo "$(date +%s.%N) - $start" | bc)
printf 'plain sbuild: %.1f s\n' "$plain"

echo "== through ppaforge (ppa serve, one embedded worker)"
bin/ppa archive create trunk --series bookworm --arch amd64 >/dev/null
bin/ppa chroot create bookworm --arch amd64 --tarball "$chroot" >/dev/null 2>&1
bin/ppa serve --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q 'embedded build worker' "$work/serve.log" 2>/dev/null && break; sleep 0.2; done
token=$(grep -A1 'first admin token' "$work/serve.log" | tail -1 | tr -d ' ')
# Warm-up build: the worker fetches the chroot tarball once (by hash), as a long-running worker has.
(cd "$work/src" && mkdir warm && cp -r benchpkg-1.0 warm/ && cd warm/benchpkg-1.0 && sed -i '1s/(1.0)/(0.9)/' debian/changelog \
  && cd .. && dpkg-source -b benchpkg-1.0 >/dev/null)
PPAFORGE_TOKEN=$token bin/ppa include trunk --series bookworm "$work/src/warm/benchpkg_0.9.dsc" --server "http://127.0.0.1:$port" >/dev/null
until grep -q 'benchpkg 0.9 .*-> \(built\|failed\)' "$work/serve.log"; do sleep 0.5; done
start=$(date +%s.%N)
PPAFORGE_TOKEN=$token bin/ppa include trunk --series bookworm "$work/src/benchpkg_1.0.dsc" --server "http://127.0.0.1:$port" >/dev/null
accepted=$(date +%s.%N)
until grep -q 'benchpkg 1.0 .*-> \(built\|failed\)' "$work/serve.log"; do sleep 0.2; done
done_at=$(date +%s.%N)
grep -q 'benchpkg 1.0 .*-> built' "$work/serve.log" || { echo "the build failed:"; tail -20 "$work/serve.log"; exit 1; }
through=$(echo "$done_at - $accepted" | bc)
json=$(PPAFORGE_TOKEN=$token bin/ppa build list --source benchpkg --json --server "http://127.0.0.1:$port")
lease=$(python3 -c '
import json,sys,datetime
b=[x for x in json.loads(sys.argv[1]) if x["version"]=="1.0"][0]
p=lambda s: datetime.datetime.fromisoformat(s.replace("Z","+00:00"))
print("%.3f" % (p(b["startedAt"])-p(b["createdAt"])).total_seconds())' "$json")
printf 'ppaforge: upload accepted -> binaries published: %.1f s\n' "$through"
printf 'overhead: %.1f s (%.0f %%; goal: at most 10 %% or 5 s)\n' "$(echo "$through - $plain" | bc)" "$(echo "($through - $plain) * 100 / $plain" | bc -l)"
printf 'upload accepted -> build leased by the idle worker: %s s (goal: under 1 s)\n' "$lease"
