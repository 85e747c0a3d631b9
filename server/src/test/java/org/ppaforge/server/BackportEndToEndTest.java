package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.SetDependencies;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.testbed.Testbed;
import org.ppaforge.qa.rebuild.BackportPlan;
import org.ppaforge.qa.rebuild.CreateBackport;

/**
 * A backport with its build-dependency, with real parts: bookworm's macutils needs debhelper (>= 13.5.2), which
 * bullseye lacks. {@code --with-build-deps} backports bookworm's debhelper and macutils into a bullseye archive in one
 * plan; sbuild (a worker over the API, on a bullseye chroot) builds debhelper, and macutils once debhelper is published,
 * with no step by hand; then apt installs macutils in a bullseye testbed from the archive and its program runs.
 */
@Timeout(2400)
class BackportEndToEndTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private static final String BOOKWORM = "deb-src http://deb.debian.org/debian bookworm main";

    private String origin;
    private String backport;
    private String debhelperBackport;

    @Test
    void aBackportAndItsBuildDependencyAreBuiltInOrderAndTheProgramRuns() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
            ppa.createArchive()
                    .name("backports")
                    .series(List.of("bullseye"))
                    .architectures(List.of("amd64"))
                    .call();
            builds.setDependencies()
                    .archive("backports")
                    .externals(List.of(new SetDependencies.External(
                            "deb http://deb.debian.org/debian bullseye main",
                            Files.readAllBytes(Path.of("/usr/share/keyrings/debian-archive-keyring.gpg")))))
                    .call();
            Path chroot = TestChroots.of("bullseye");
            builds.createChroot()
                    .series("bullseye")
                    .architecture("amd64")
                    .tarball(chroot)
                    .call();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String base = "http://127.0.0.1:" + server.port();
                forge.serving(base);
                Worker worker = new Worker(
                                base, ppa.processToken().secret(), "w1", List.of("amd64"), work.resolve("worker"))
                        .pollSeconds(2);
                Thread t = new Thread(worker, "worker");
                t.setDaemon(true);
                t.start();
                try {
                    byte[] raw =
                            Files.readAllBytes(Path.of("/usr/share/keyrings/debian-archive-bookworm-automatic.gpg"));
                    String key = OpenPgp.armor(
                            OpenPgp.readPublicRings(raw, "bookworm").toArray(new PGPPublicKeyRing[0]));
                    CreateBackport.Result r = forge.qa()
                            .rebuilds()
                            .backport()
                            .source("macutils")
                            .from(BOOKWORM)
                            .fromKey(key)
                            .to("backports")
                            .series("bullseye")
                            .withBuildDeps(true)
                            .call();
                    assertThat(r.plan()).extracting(BackportPlan.Step::source).containsExactly("debhelper", "macutils");
                    origin = r.version(); // bookworm's, read from the mirror today (2.0b3-17 when written)
                    backport = r.backportVersion();
                    debhelperBackport = r.plan().get(0).backportVersion();
                    assertThat(backport).isEqualTo(origin + "~bpo11+1");

                    // Both build by themselves: macutils waits for debhelper's backport when it needs it.
                    Instant deadline = Instant.now().plus(Duration.ofMinutes(35));
                    List<Build> all;
                    while (true) {
                        all = builds.list().archive("backports").call();
                        if (all.size() == 2 && all.stream().allMatch(b -> b.state() == BuildState.BUILT)) {
                            break;
                        }
                        assertThat(all)
                                .as("builds")
                                .noneMatch(b -> b.state() == BuildState.FAILED_TO_BUILD
                                        || b.state() == BuildState.FAILED_TO_UPLOAD);
                        assertThat(Instant.now())
                                .as("both built in time: " + all)
                                .isBefore(deadline);
                        Thread.sleep(3000);
                    }
                    assertThat(all).extracting(Build::plan).containsOnly("backport of macutils " + backport);
                    // The builds page shows the plan's builds as a group.
                    String page = java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/+builds"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
                    assertThat(page).contains("Plan: backport of macutils " + backport);
                } finally {
                    worker.stop();
                }
                // Both published, with their binaries, at the plan's versions.
                assertThat(ppa.list().archive("backports").call())
                        .allSatisfy(e -> assertThat(e.binaries()).isNotEmpty())
                        .extracting(e -> e.source() + " " + e.version())
                        .containsExactlyInAnyOrder("debhelper " + debhelperBackport, "macutils " + backport);

                // apt installs it in a bullseye testbed, from the archive (its key), and the program runs. bullseye's
                // apt
                // (2.2) reads no key written into a .sources file: the stanza names a keyring file instead.
                Path src = Files.createDirectories(work.resolve("src"));
                var sourcesVerb = ppa.aptSources()
                        .archive("backports")
                        .url(base)
                        .series("bullseye")
                        .withSources(false)
                        .keyFile("/usr/share/keyrings/backports.gpg");
                Files.write(src.resolve("backports.gpg"), sourcesVerb.binaryKeyring());
                Files.writeString(src.resolve("backports.sources"), sourcesVerb.call());
                Testbed testbed = Testbed.of(chroot, Checksums.of(chroot).sha256(), work.resolve("testbeds"));
                StringBuilder log = new StringBuilder();
                Testbed.Result installed = testbed.run(
                        src,
                        "cp backports.gpg /usr/share/keyrings/backports.gpg\n"
                                + "cp backports.sources /etc/apt/sources.list.d/backports.sources\n"
                                + "apt-get update -q\n"
                                + "DEBIAN_FRONTEND=noninteractive apt-get install -y -q macutils\n"
                                + "dpkg-query -W macutils debhelper\n"
                                + "echo 'backported' > note.txt\n"
                                + "binhex -d note.txt | head -1\n",
                        Map.of(),
                        Duration.ofMinutes(10),
                        line -> log.append(line).append('\n'),
                        dir -> {});
                assertThat(installed.passed()).as(log.toString()).isTrue();
                assertThat(log.toString())
                        .contains("macutils\t" + backport)
                        .contains("(This file must be converted; you knew that already.)");
                assertThat(Tools.run(work, "dpkg", "--compare-versions", backport, "lt", origin)
                                .exit())
                        .isZero();
            }
        }
    }
}
