package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.build.Builds;
import org.ppaforge.build.testing.TestChroots;
import org.ppaforge.build.worker.Worker;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;

/**
 * A regression rebuild with real parts: a source from one archive rebuilt under a ~rebuild version into another by
 * sbuild (a worker over the API), its autopkgtest run with autopkgtest-virt-unshare against the rebuilt package; run
 * again unchanged it is skipped; a new version whose test fails is a regression naming the last good version.
 */
class RebuildEndToEndTest {
    @TempDir
    Path data;
    @TempDir
    Path work;

    private Path source(String version, String testCommand) throws Exception {
        Path dir = Files.createDirectories(work.resolve(version));
        Path debian = Files.createDirectories(dir.resolve("smoke-" + version + "/debian/source")).getParent();
        Files.writeString(debian.resolve("source/format"), "3.0 (native)\n");
        Files.writeString(debian.resolve("control"), "Source: smoke\nMaintainer: T <t@example.org>\nBuild-Depends: debhelper-compat (= 13)\n"
                + "Standards-Version: 4.6.2\n\nPackage: smoke\nArchitecture: all\nDescription: smoke\n smoke\n");
        Files.writeString(debian.resolve("changelog"), "smoke (" + version + ") unstable; urgency=medium\n\n  * Version " + version
                + ".\n\n -- T <t@example.org>  Mon, 30 Nov 2026 10:00:00 +0000\n");
        Files.writeString(debian.resolve("rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        debian.resolve("rules").toFile().setExecutable(true);
        Files.createDirectories(debian.resolve("tests"));
        Files.writeString(debian.resolve("tests/control"), "Test-Command: " + testCommand + "\nDepends: @\n");
        Tools.run(dir, "dpkg-source", "-b", "smoke-" + version).orFail("dpkg-source -b");
        return dir.resolve("smoke_" + version + ".dsc");
    }

    @Test
    void aRebuildPassesIsSkippedUnchangedAndAFailingTestIsARegression() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data); Builds builds = Builds.open(ppa); Qa qa = Qa.open(ppa).builds(builds)) {
            // The sources' archive has a series without a build environment: only the rebuilds are built.
            ppa.createArchive().name("snapshots").series(List.of("sid-snap")).architectures(List.of("amd64")).call();
            ppa.createArchive().name("rebuilds").series(List.of("bookworm")).architectures(List.of("amd64")).call();
            builds.createChroot().series("bookworm").architecture("amd64").tarball(TestChroots.bookworm()).call();
            try (PpaServer server = new PpaServer(ppa, "127.0.0.1", 0).builds(builds).start()) {
                Worker worker = new Worker("http://127.0.0.1:" + server.port(), ppa.processToken().secret(), "w1", List.of("amd64"),
                        work.resolve("worker")).pollSeconds(2);
                Thread t = new Thread(worker, "worker");
                t.setDaemon(true);
                t.start();
                try {
                    ppa.include().archive("snapshots").series("sid-snap").files(List.of(source("1.0", "test -d /usr/share/doc/smoke")))
                            .call();
                    qa.rebuilds().create("nightly", "snapshots", null, List.of("smoke"), "rebuilds", null, null);

                    RebuildResult first = run(qa).results().get(0);
                    assertThat(first.verdict()).as(first.toString()).isEqualTo("passed");
                    assertThat(first.built()).isTrue();
                    assertThat(first.test()).isEqualTo("PASS");
                    assertThat(first.rebuiltVersion()).matches("1\\.0~rebuild\\d{8}\\.1");
                    assertThat(Tools.run(work, "dpkg", "--compare-versions", first.rebuiltVersion(), "lt", "1.0").exit()).isZero();
                    assertThat(ppa.list().archive("rebuilds").call()).singleElement()
                            .satisfies(e -> assertThat(e.binaries()).containsKey("all"));

                    RebuildResult again = run(qa).results().get(0);
                    assertThat(again.verdict()).isEqualTo("skipped");
                    assertThat(again.message()).startsWith("nothing changed since run 1");

                    ppa.include().archive("snapshots").series("sid-snap").files(List.of(source("1.1", "echo broken; exit 1"))).call();
                    RebuildResult broken = run(qa).results().get(0);
                    assertThat(broken.verdict()).as(broken.toString()).isEqualTo("regression");
                    assertThat(broken.test()).isEqualTo("FAIL");
                    assertThat(broken.retriedFrom()).isEqualTo("FAIL"); // retried once, failed again
                    assertThat(broken.lastGoodVersion()).isEqualTo(first.rebuiltVersion());
                    assertThat(broken.message()).contains("autopkgtest exit 4");
                } finally {
                    worker.stop();
                }
            }
        }
    }

    private static RebuildRun run(Qa qa) throws Exception {
        RebuildRun r = qa.rebuilds().run("nightly", false);
        assertThat(r.state()).isEqualTo("done");
        return r;
    }
}
