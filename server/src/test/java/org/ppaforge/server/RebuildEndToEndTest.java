package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

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
        return source("smoke", version, testCommand, null);
    }

    /** A native arch-all package; {@code testCommand} null: no autopkgtests; {@code makefile}: an upstream Makefile. */
    private Path source(String name, String version, String testCommand, String makefile) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name + "-" + version + "-src"));
        Path debian = Files.createDirectories(dir.resolve(name + "-" + version + "/debian/source"))
                .getParent();
        Files.writeString(debian.resolve("source/format"), "3.0 (native)\n");
        Files.writeString(
                debian.resolve("control"),
                "Source: " + name + "\nMaintainer: T <t@example.org>\nBuild-Depends: "
                        + "debhelper-compat (= 13)\nStandards-Version: 4.6.2\n\nPackage: " + name
                        + "\nArchitecture: all\nDescription: "
                        + name + "\n " + name + "\n");
        Files.writeString(
                debian.resolve("changelog"),
                name + " (" + version + ") unstable; urgency=medium\n\n  * Version " + version
                        + ".\n\n -- T <t@example.org>  Mon, 30 Nov 2026 10:00:00 +0000\n");
        Files.writeString(debian.resolve("rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        debian.resolve("rules").toFile().setExecutable(true);
        if (testCommand != null) {
            Files.createDirectories(debian.resolve("tests"));
            Files.writeString(debian.resolve("tests/control"), "Test-Command: " + testCommand + "\nDepends: @\n");
        }
        if (makefile != null) {
            Files.writeString(debian.getParent().resolve("Makefile"), makefile);
        }
        Tools.run(dir, "dpkg-source", "-b", name + "-" + version).orFail("dpkg-source -b");
        return dir.resolve(name + "_" + version + ".dsc");
    }

    @Test
    void aRebuildPassesIsSkippedUnchangedAndAFailingTestIsARegression() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
            Qa qa = forge.qa();
            // The sources' archive has a series without a build environment: only the rebuilds are built.
            ppa.createArchive()
                    .name("snapshots")
                    .series(List.of("sid-snap"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("rebuilds")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(TestChroots.bookworm())
                    .call();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                Worker worker = startWorker(ppa, server);
                try {
                    ppa.include()
                            .archive("snapshots")
                            .series("sid-snap")
                            .files(List.of(
                                    source("1.0", "test -d /usr/share/doc/smoke"),
                                    // no autopkgtests: neutral; a build-time test suite that fails (dh_auto_test runs
                                    // 'make test'): no build
                                    source("quiet", "1.0", null, null),
                                    source(
                                            "brittle",
                                            "1.0",
                                            null,
                                            "all:\n\ttrue\ntest:\n\techo 'FAIL: test_parser (1 of 3)'; exit 1\n")))
                            .call();
                    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                    List<String> told = Collections.synchronizedList(new ArrayList<>());
                    hook.createContext("/hook", ex -> {
                        told.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                        ex.sendResponseHeaders(204, -1);
                        ex.close();
                    });
                    hook.start();
                    qa.rebuilds()
                            .create(new RebuildSetRequest(
                                    "nightly",
                                    "snapshots",
                                    null,
                                    List.of("smoke", "quiet", "brittle"),
                                    "rebuilds",
                                    null,
                                    null,
                                    "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                                    null));

                    RebuildRun one = run(qa);
                    Map<String, RebuildResult> byPkg = new HashMap<>();
                    one.results().forEach(r -> byPkg.put(r.pkg(), r));
                    assertThat(byPkg.get("quiet").verdict())
                            .as(byPkg.get("quiet").toString())
                            .isEqualTo("neutral");
                    assertThat(byPkg.get("brittle").verdict())
                            .as(byPkg.get("brittle").toString())
                            .isEqualTo("build-always-failed");
                    assertThat(byPkg.get("brittle").message()).contains("FAIL: test_parser (1 of 3)");
                    RebuildResult first = byPkg.get("smoke");
                    assertThat(first.verdict()).as(first.toString()).isEqualTo("passed");
                    assertThat(first.built()).isTrue();
                    assertThat(first.test()).isEqualTo("PASS");
                    assertThat(first.rebuiltVersion()).matches("1\\.0~rebuild\\d{8}\\.1");
                    assertThat(Tools.run(work, "dpkg", "--compare-versions", first.rebuiltVersion(), "lt", "1.0")
                                    .exit())
                            .isZero();
                    assertThat(ppa.list().archive("rebuilds").call())
                            .filteredOn(e -> e.source().equals("smoke"))
                            .singleElement()
                            .satisfies(e -> assertThat(e.binaries()).containsKey("all"));

                    RebuildResult again = result(run(qa), "smoke");
                    assertThat(again.verdict()).isEqualTo("skipped");
                    assertThat(again.message()).startsWith("nothing changed since run 1");

                    ppa.include()
                            .archive("snapshots")
                            .series("sid-snap")
                            .files(List.of(source("1.1", "echo broken; exit 1")))
                            .call();
                    RebuildRun three = run(qa);
                    RebuildResult broken = result(three, "smoke");
                    assertThat(broken.verdict()).as(broken.toString()).isEqualTo("regression");
                    assertThat(broken.test()).isEqualTo("FAIL");
                    assertThat(broken.retriedFrom()).isEqualTo("FAIL"); // retried once, failed again
                    assertThat(broken.lastGoodVersion()).isEqualTo(first.rebuiltVersion());
                    assertThat(broken.message())
                            .contains("autopkgtest exit 4")
                            .contains("moved underneath: source 1.0~rebuild");
                    assertThat(three.message()).contains("1 regression(s)").contains("newly failing: smoke");
                    assertThat(told)
                            .singleElement()
                            .satisfies(m -> assertThat(m)
                                    .contains("\"newlyFailing\":[\"smoke\"]")
                                    .contains("\"verdict\":\"regression\""));
                    assertThat(qa.rebuilds().atom("nightly", "http://x/"))
                            .contains("smoke " + broken.rebuiltVersion() + ": regression");
                    hook.stop(0);
                } finally {
                    worker.stop();
                }
            }
        }
    }

    /** A real Debian source from the mirror (hello 2.10-3: orig tarball with its signature, a test suite run by 'make check'). */
    @Test
    void aRealDebianSourceIsRebuiltWithItsTestSuite() throws Exception {
        Path dsc = RealSources.dsc(RealSources.defaultCache(), "hello=2.10-3");
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
            Qa qa = forge.qa();
            ppa.createArchive()
                    .name("snapshots")
                    .series(List.of("sid-snap"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("rebuilds")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(TestChroots.bookworm())
                    .call();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                Worker worker = startWorker(ppa, server);
                try {
                    ppa.include()
                            .archive("snapshots")
                            .series("sid-snap")
                            .files(List.of(dsc))
                            .call();
                    qa.rebuilds().create(RebuildSetRequest.of("real", "snapshots", List.of("hello"), "rebuilds"));
                    List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
                    RebuildResult r = qa.rebuilds()
                            .run("real", false, progress::add)
                            .results()
                            .get(0);
                    assertThat(r.built()).as(r.toString()).isTrue();
                    assertThat(r.rebuiltVersion()).matches("2\\.10-3~rebuild\\d{8}\\.1");
                    // hello's .dsc declares its autopkgtests (Testsuite: autopkgtest): they ran and passed, so the
                    // verdict is 'passed' (without tests it would be 'neutral').
                    assertThat(Files.readString(dsc)).contains("\nTestsuite: autopkgtest\n");
                    assertThat(r.test()).as(r.toString()).isEqualTo("PASS");
                    assertThat(r.verdict()).as(r.toString()).isEqualTo("passed");
                    // What the run said as it went, a line per step.
                    assertThat(progress)
                            .containsSubsequence(
                                    "run 1 of real: 1 package(s) from snapshots/sid-snap into rebuilds/bookworm",
                                    "[1/1] hello: fetching the source",
                                    "[1/1] hello: building " + r.rebuiltVersion()
                                            + " in rebuilds/bookworm (the build farm; 'ppa build list --archive rebuilds')",
                                    "[1/1] hello: built (build " + r.buildId() + ")",
                                    "[1/1] hello: running its autopkgtests")
                            .last()
                            .asString()
                            .startsWith("[1/1] hello: passed");
                    String log = builds.logs().read(r.buildId(), 0).text();
                    assertThat(log).contains("dh_auto_test").containsPattern("(?m)^# PASS: +\\d+");
                    assertThat(ppa.list().archive("rebuilds").call())
                            .singleElement()
                            .satisfies(e -> {
                                assertThat(e.version()).isEqualTo(r.rebuiltVersion());
                                assertThat(e.binaries().get("amd64"))
                                        .extracting(b -> b.name())
                                        .contains("hello");
                            });
                } finally {
                    worker.stop();
                }
            }
        }
    }

    /** The sources come from an apt repository (this server's own archive, as a Debian mirror would serve them). */
    @Test
    void sourcesFromASignedAptRepositoryAreCheckedThenRebuilt() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
            Qa qa = forge.qa();
            ppa.createArchive()
                    .name("mirror")
                    .series(List.of("sid-snap"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("other")
                    .series(List.of("sid-snap"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("rebuilds")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(TestChroots.bookworm())
                    .call();
            ppa.include()
                    .archive("mirror")
                    .series("sid-snap")
                    .files(List.of(source("1.0", "test -d /usr/share/doc/smoke")))
                    .call();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                Worker worker = startWorker(ppa, server);
                try {
                    String apt = "deb-src http://127.0.0.1:" + server.port() + "/mirror sid-snap main";
                    // Signed by the mirror's key: checked, fetched, rebuilt, tested.
                    qa.rebuilds()
                            .create(new RebuildSetRequest(
                                    "from-apt",
                                    apt,
                                    null,
                                    List.of("smoke"),
                                    "rebuilds",
                                    null,
                                    null,
                                    null,
                                    ppa.exportKey().archive("mirror").call()));
                    RebuildResult r =
                            qa.rebuilds().run("from-apt", false).results().get(0);
                    assertThat(r.verdict()).as(r.toString()).isEqualTo("passed");
                    assertThat(r.version()).isEqualTo("1.0");
                    // Checked against another key: refused before anything is unpacked.
                    qa.rebuilds()
                            .create(new RebuildSetRequest(
                                    "wrong-key",
                                    apt,
                                    null,
                                    List.of("smoke"),
                                    "rebuilds",
                                    null,
                                    null,
                                    null,
                                    ppa.exportKey().archive("other").call()));
                    RebuildResult refused =
                            qa.rebuilds().run("wrong-key", false).results().get(0);
                    assertThat(refused.verdict()).isEqualTo("error");
                    assertThat(refused.message())
                            .contains("InRelease of http://127.0.0.1:")
                            .contains("could not be rebuilt");
                    assertThat(refused.rebuiltVersion()).isNull();
                } finally {
                    worker.stop();
                }
            }
        }
    }

    /** A build worker speaking this server's API, as 'ppa serve' embeds one. */
    private Worker startWorker(Ppaforge ppa, PpaServer server) {
        Worker worker = new Worker(
                        "http://127.0.0.1:" + server.port(),
                        ppa.processToken().secret(),
                        "w1",
                        List.of("amd64"),
                        work.resolve("worker"))
                .pollSeconds(2);
        Thread t = new Thread(worker, "worker");
        t.setDaemon(true);
        t.start();
        return worker;
    }

    private static RebuildResult result(RebuildRun r, String pkg) {
        return r.results().stream().filter(x -> x.pkg().equals(pkg)).findFirst().orElseThrow();
    }

    private static RebuildRun run(Qa qa) throws Exception {
        RebuildRun r = qa.rebuilds().run("nightly", false);
        assertThat(r.state()).isEqualTo("done");
        return r;
    }
}
