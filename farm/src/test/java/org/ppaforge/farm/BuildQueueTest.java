package org.ppaforge.farm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.store.BuildStore;

/**
 * The build queue and its rules, with the archive core for real (SQLite, pool, Include) and the results a worker would
 * return made with dpkg-deb: what gets built where, in which order, and what a result may and may not publish.
 */
class BuildQueueTest {

    /** How the archive is opened: the embedded default here; {@link BuildQueueOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    @TempDir
    Path data;

    @TempDir
    Path work;

    Ppaforge ppa;
    Builds builds;
    final Instant[] now = {Instant.parse("2026-12-01T10:00:00Z")};

    @BeforeEach
    void open() throws Exception {
        ppa = Ppaforge.open(settings(data).withClock(new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        }));
        builds = Builds.open(ppa);
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64", "arm64"))
                .call();
        Path tarball = Files.writeString(work.resolve("fake.tar.zst"), "not really a chroot");
        builds.createChroot()
                .series("noble")
                .architecture("amd64")
                .tarball(tarball)
                .call();
    }

    @AfterEach
    void close() {
        builds.close();
        ppa.close();
    }

    void upload(String archive, String name, String version) throws IOException {
        Path dir = Files.createDirectories(work.resolve(archive + "-" + name + "-" + version));
        String[] v = version.split("-");
        Path changes = SourcePackages.buildSourceUpload(dir, name, v[0], v[1], "noble");
        ppa.include().archive(archive).series("noble").files(List.of(changes)).call();
    }

    private Build lease(String worker) throws InterruptedException {
        return builds.lease()
                .worker(worker)
                .architectures(List.of("amd64"))
                .call()
                .map(LeaseBuild.Lease::build)
                .orElse(null);
    }

    /** What sbuild leaves: the .debs and a .changes listing them (made here with dpkg-deb and checksums). */
    private Path results(Build b, String version, String... debSpecs) throws IOException {
        Path dir = Files.createDirectories(work.resolve("results-" + b.id() + "-" + System.nanoTime()));
        List<Path> files = new ArrayList<>();
        for (String spec : debSpecs) { // name:arch, or name:arch:version (a binary version other than the source's)
            String[] s = spec.split(":", 3);
            Path deb = RealDebs.build(
                    Files.createDirectories(work.resolve("debs")),
                    s[0],
                    s.length > 2 ? s[2] : version,
                    s[1],
                    "gzip",
                    s.length > 2 ? b.source() + " (" + version + ")" : b.source(),
                    "");
            files.add(Files.copy(deb, dir.resolve(deb.getFileName()), StandardCopyOption.REPLACE_EXISTING));
        }
        StringBuilder sha = new StringBuilder();
        StringBuilder md5 = new StringBuilder();
        for (Path f : files) {
            Checksums c = Checksums.of(f);
            sha.append(' ')
                    .append(c.sha256())
                    .append(' ')
                    .append(c.size())
                    .append(' ')
                    .append(f.getFileName())
                    .append('\n');
            md5.append(' ')
                    .append(c.md5())
                    .append(' ')
                    .append(c.size())
                    .append(" misc optional ")
                    .append(f.getFileName())
                    .append('\n');
        }
        Files.writeString(dir.resolve(b.source() + "_" + version + "_" + b.architecture() + ".changes"), """
                Format: 1.8
                Date: Tue, 01 Dec 2026 10:00:00 +0000
                Source: %s
                Architecture: %s
                Version: %s
                Distribution: noble
                Maintainer: Test <test@example.org>
                Changes:
                 built
                Checksums-Sha256:
                %sFiles:
                %s""".formatted(
                        b.source(), b.architecture() + (b.archAll() ? " all" : ""), version, sha, md5));
        return dir;
    }

    @Test
    void theLogsOfBuildsThatEndedLongAgoAreDeletedAndTheBuildsStay() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build old = lease("w1");
        builds.logs().append(old.id(), "compiling...\n");
        builds.complete()
                .build(old.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.FAILED)
                .message("make: *** [all] Error 2")
                .call();
        assertThat(builds.logs().read(old.id(), 0).text()).contains("compiling...");
        now[0] = now[0].plus(Duration.ofDays(200));
        upload("trunk", "other", "1.0-1");
        Build recent = lease("w1");
        builds.logs().append(recent.id(), "still here\n");
        builds.complete()
                .build(recent.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.FAILED)
                .message("failed")
                .call();
        upload("trunk", "running", "1.0-1");
        Build running = lease("w1");
        builds.logs().append(running.id(), "a build that has not ended keeps its log\n");
        now[0] = now[0].plus(Duration.ofDays(200)); // the first ended 400 days ago, the second 200

        ExpireBuildLogs.Result dry =
                builds.expireLogs().keep(Duration.ofDays(365)).dryRun(true).call();
        assertThat(dry.builds()).containsExactly(old.id());
        assertThat(dry.bytes()).isPositive();
        assertThat(builds.logs().read(old.id(), 0).text()).contains("compiling...");
        assertThat(builds.expireLogs().keep(Duration.ofDays(365)).call().builds())
                .containsExactly(old.id());
        assertThatThrownBy(() -> builds.logs().read(old.id(), 0))
                .hasMessageContaining("has no log")
                .hasMessageContaining("old logs are deleted by 'ppa gc'");
        assertThat(builds.store().get(old.id())).isPresent(); // the build stays in the history
        assertThat(builds.logs().read(recent.id(), 0).text()).contains("still here");
        assertThat(builds.logs().read(running.id(), 0).text()).contains("has not ended");
        assertThat(builds.expireLogs().keep(Duration.ofDays(100)).call().builds())
                .containsExactly(recent.id());
        assertThatThrownBy(() -> builds.expireLogs().keep(Duration.ZERO)).hasMessageContaining("1d or more");
    }

    @Test
    void aSourceGetsABuildPerArchitectureAndAllOnceAndWaitsForItsChroot() throws Exception {
        upload("trunk", "tool", "1.0-1");
        List<Build> all = builds.list().archive("trunk").call();
        assertThat(all)
                .extracting(Build::architecture, Build::archAll, Build::state)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("amd64", true, BuildState.WAITING),
                        Tuple.tuple("arm64", false, BuildState.CHROOT_WAIT));
        // Queueing again (another change, a server restart) creates nothing twice.
        assertThat(builds.queue().archive("trunk").call().queued()).isEmpty();
        // An arm64 chroot releases the waiting build.
        builds.createChroot()
                .series("noble")
                .architecture("arm64")
                .tarball(Files.writeString(work.resolve("arm.tar.zst"), "x"))
                .call();
        assertThat(builds.list().archive("trunk").state(BuildState.WAITING).call())
                .hasSize(2);
        assertThat(QueueBuilds.architectures("any", List.of("amd64", "arm64"))).containsOnlyKeys("amd64", "arm64");
        assertThat(QueueBuilds.architectures("all", List.of("amd64", "arm64")))
                .containsExactly(Map.entry("amd64", true));
        assertThat(QueueBuilds.architectures("arm64 all", List.of("amd64", "arm64")))
                .containsExactly(Map.entry("arm64", true));
        assertThat(QueueBuilds.architectures("i386", List.of("amd64", "arm64"))).isEmpty();
        // An Architecture: all source picks an architecture only to build its all packages: with them there (a copy
        // with binaries), that architecture has nothing left to build.
        assertThat(QueueBuilds.archSpecific("all", "amd64")).isFalse();
        assertThat(QueueBuilds.archSpecific("any all", "amd64")).isTrue();
        assertThat(QueueBuilds.archSpecific("linux-amd64 all", "amd64")).isTrue();
    }

    @Test
    void builtResultsArePublishedAndWrongOnesRefusedWithNothingPublished() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build b = lease("w1");
        assertThat(b.state()).isEqualTo(BuildState.BUILDING);
        assertThat(b.archAll()).isTrue();
        // Another version's binaries: refused, nothing published.
        Build wrong = builds.complete()
                .build(b.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(results(b, "1.0-2", "tool:amd64"))
                .call();
        assertThat(wrong.state()).isEqualTo(BuildState.FAILED_TO_UPLOAD);
        assertThat(wrong.message()).contains("the results are of tool 1.0-2, not of tool 1.0-1");
        assertThat(ppa.list().archive("trunk").call().get(0).binaries()).isEmpty();

        // Another architecture's binaries: refused.
        assertThat(builds.retry().id(b.id()).call().state()).isEqualTo(BuildState.WAITING);
        Build leased = lease("w1");
        Build otherArch = builds.complete()
                .build(leased.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(results(leased, "1.0-1", "tool:arm64"))
                .call();
        assertThat(otherArch.state()).isEqualTo(BuildState.FAILED_TO_UPLOAD);
        assertThat(otherArch.message())
                .contains("tool_1.0-1_arm64.deb is for architecture 'arm64'; this build makes all and amd64");
        assertThat(ppa.list().archive("trunk").call().get(0).binaries()).isEmpty();
        // A package the source does not declare, built "from" it (coreutils from tool): refused, nothing published
        // (fails
        // on the code before: only the Source field was checked, and coreutils 99.0 was published).
        builds.retry().id(b.id()).call();
        leased = lease("w1");
        Build foreign = builds.complete()
                .build(leased.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(results(leased, "1.0-1", "tool:amd64", "coreutils:amd64:99.0"))
                .call();
        assertThat(foreign.state()).isEqualTo(BuildState.FAILED_TO_UPLOAD);
        assertThat(foreign.message())
                .contains("coreutils_99.0_amd64.deb is package 'coreutils', which tool 1.0-1 does not declare")
                .contains("Binary: tool, tool-doc");
        // A declared package at another version than the build's: refused.
        builds.retry().id(b.id()).call();
        leased = lease("w1");
        Build otherVersion = builds.complete()
                .build(leased.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(results(leased, "1.0-1", "tool:amd64:9.9-1"))
                .call();
        assertThat(otherVersion.state()).isEqualTo(BuildState.FAILED_TO_UPLOAD);
        assertThat(otherVersion.message()).contains("has version 9.9-1; this build makes 1.0-1");
        assertThat(ppa.list().archive("trunk").call().get(0).binaries()).isEmpty();
        // This build's own, with the automatic -dbgsym package of a declared one: published.
        builds.retry().id(b.id()).call();
        leased = lease("w1");
        Build built = builds.complete()
                .build(leased.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(results(leased, "1.0-1", "tool:amd64", "tool-dbgsym:amd64"))
                .call();
        assertThat(built.state()).isEqualTo(BuildState.BUILT);
        assertThat(ppa.list().archive("trunk").call().get(0).binaries().get("amd64"))
                .extracting(l -> l.name())
                .containsExactlyInAnyOrder("tool", "tool-dbgsym");
    }

    /**
     * A log is read in pages of at most 1 MiB, cut between characters, live and once compressed, so one request never
     * holds a whole 64 MiB log (four such reads answered 500 out of memory on the old code, which read it whole).
     */
    @Test
    void logsAreReadInPagesNeverWhole() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build b = lease("w1");
        StringBuilder text = new StringBuilder();
        while (text.length() < 2_600_000) {
            text.append("line ").append(text.length()).append(" naïve “quotes” ✓\n");
        }
        builds.logs().append(b.id(), text.toString());
        for (boolean finished : new boolean[] {false, true}) {
            if (finished) {
                builds.complete()
                        .build(b.id())
                        .worker("w1")
                        .outcome(CompleteBuild.Outcome.FAILED)
                        .message("x")
                        .call();
            }
            StringBuilder read = new StringBuilder();
            long offset = 0;
            int pages = 0;
            BuildLogs.Chunk c;
            do {
                c = builds.logs().read(b.id(), offset);
                assertThat(c.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(BuildLogs.PAGE);
                read.append(c.text());
                offset = c.next();
                pages++;
            } while (!c.text().isEmpty() && !c.complete());
            assertThat(read.toString()).as("finished " + finished).contains(text.toString());
            assertThat(pages).isGreaterThanOrEqualTo(3);
            assertThat(builds.logs().end(b.id(), 1000).text())
                    .contains(finished ? "ppaforge: failed-to-build: x" : text.substring(text.length() - 100));
        }
    }

    @Test
    void anUnlistedFileOrAWorkerThatDoesNotHoldTheBuildIsRefused() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build b = lease("w1");
        Path dir = results(b, "1.0-1", "tool:amd64", "tool-doc:all");
        Files.writeString(dir.resolve("evil.sh"), "#!/bin/sh\n");
        assertThatThrownBy(() -> builds.complete()
                        .build(b.id())
                        .worker("w2")
                        .outcome(CompleteBuild.Outcome.BUILT)
                        .results(dir)
                        .call())
                .isInstanceOf(ForgeException.class)
                .hasMessageContaining("build " + b.id() + " is not held by worker 'w2'")
                .extracting(e -> ((ForgeException) e).kind())
                .isEqualTo(ForgeException.Kind.REFUSED);
        Build done = builds.complete()
                .build(b.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(dir)
                .call();
        assertThat(done.state()).isEqualTo(BuildState.FAILED_TO_UPLOAD);
        assertThat(done.message()).contains("evil.sh, which the .changes does not list");
        Files.delete(dir.resolve("evil.sh"));
        builds.retry().id(b.id()).call();
        Build again = lease("w1");
        Build built = builds.complete()
                .build(again.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.BUILT)
                .results(dir)
                .call();
        assertThat(built.state()).isEqualTo(BuildState.BUILT);
        assertThat(ppa.list().archive("trunk").call().get(0).binaries()).containsOnlyKeys("all", "amd64");
        assertThat(builds.logs().read(b.id(), 0).text()).contains("ppaforge: built: published 2 binaries");
        assertThat(builds.logs().read(b.id(), 0).complete()).isTrue();
    }

    @Test
    void aNewerVersionSupersedesWaitingBuildsAndStopsRunningOnes() throws Exception {
        builds.createChroot()
                .series("noble")
                .architecture("arm64")
                .tarball(Files.writeString(work.resolve("arm.tar.zst"), "x"))
                .call();
        upload("trunk", "tool", "1.0-1");
        Build running = lease("w1");
        upload("trunk", "tool", "1.1-1");
        List<Build> all = builds.list().archive("trunk").source("tool").call();
        assertThat(all)
                .filteredOn(b -> b.version().equals("1.0-1") && b.architecture().equals("arm64"))
                .singleElement()
                .extracting(Build::state)
                .isEqualTo(BuildState.SUPERSEDED);
        assertThat(builds.heartbeat().build(running.id()).worker("w1").call().cancel())
                .isTrue();
        Build done = builds.complete()
                .build(running.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.FAILED)
                .call();
        assertThat(done.state()).isEqualTo(BuildState.SUPERSEDED);
        assertThat(builds.list().archive("trunk").state(BuildState.WAITING).call())
                .extracting(Build::version)
                .containsOnly("1.1-1")
                .hasSize(2);
    }

    @Test
    void aDependencyWaitIsRetriedOnceWhatItWaitsForIsPublished() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build b = lease("w1");
        Build waiting = builds.complete()
                .build(b.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.DEPENDENCY_WAIT)
                .unmet("libfoo-dev (>= 1.2), bar | baz")
                .call();
        assertThat(waiting.state()).isEqualTo(BuildState.DEPENDENCY_WAIT);
        assertThat(waiting.unmet()).isEqualTo("libfoo-dev (>= 1.2), bar | baz");
        // Too old, and only one of the two: still waiting.
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(
                        RealDebs.build(work, "libfoo-dev", "1.1", "amd64", "gzip"),
                        RealDebs.build(work, "baz", "1.0", "all", "gzip")))
                .call();
        assertThat(builds.show().id(b.id()).call().state()).isEqualTo(BuildState.DEPENDENCY_WAIT);
        // The arm64 one of another architecture does not count either.
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(RealDebs.build(work, "libfoo-dev", "1.3", "arm64", "gzip", "libfoo-other", "")))
                .call();
        assertThat(builds.show().id(b.id()).call().state()).isEqualTo(BuildState.DEPENDENCY_WAIT);
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(RealDebs.build(work, "libfoo-dev", "1.2", "amd64", "gzip")))
                .call();
        assertThat(builds.show().id(b.id()).call().state()).isEqualTo(BuildState.WAITING);
    }

    @Test
    void aLeaseThatRunsOutGoesToAnotherWorker() throws Exception {
        upload("trunk", "tool", "1.0-1");
        builds.close(); // a shorter lease: the farm is opened with it
        builds = Builds.open(ppa, problem -> {}, Duration.ofSeconds(30));
        Build b = lease("w1");
        now[0] = now[0].plusSeconds(20);
        builds.heartbeat().build(b.id()).worker("w1").call(); // renewed until +50 s
        now[0] = now[0].plusSeconds(29);
        assertThat(lease("w2")).isNull();
        now[0] = now[0].plusSeconds(2);
        Build taken = lease("w2");
        assertThat(taken.id()).isEqualTo(b.id());
        assertThat(taken.worker()).isEqualTo("w2");
        assertThat(taken.attempts()).isEqualTo(2);
        assertThatThrownBy(() -> builds.heartbeat().build(b.id()).worker("w1").call())
                .hasMessageContaining("not held by worker 'w1'");
        assertThat(builds.logs().read(b.id(), 0).text()).contains("worker 'w1' stopped answering");
    }

    @Test
    void theQueueOrdersByScoreThenGivesEachArchiveItsTurn() throws Exception {
        ppa.createArchive()
                .name("big")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.createArchive()
                .name("small")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.createArchive()
                .name("secret")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.configureArchive().archive("secret").privateArchive(true).call();
        for (int i = 0; i < 4; i++) {
            upload("big", "pkg" + i, "1.0-1");
        }
        upload("small", "one", "1.0-1");
        upload("secret", "hidden", "1.0-1");
        // An emergency upload (its .changes said so; the upload log keeps it) goes ahead of its archive's others.
        ppa.metadata().write(tx -> {
            tx.insertUpload(
                    tx.archive("big").orElseThrow().id(),
                    new UploadRecord(
                            0,
                            "big",
                            "rush_1.0-1_source.changes",
                            "rush",
                            "1.0-1",
                            "noble",
                            null,
                            "pat",
                            "accepted",
                            null,
                            now[0],
                            "emergency"));
            return null;
        });
        upload("big", "rush", "1.0-1");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Build b = lease("w" + i);
            order.add(b.archive() + ":" + b.source() + ":" + b.score());
        }
        // The private archive's first (a higher score), then the emergency; then, at the same score, the oldest, and
        // small's one next, as big has builds running. (Urgency unknown counts as medium, +10.)
        assertThat(order)
                .containsExactly(
                        "secret:hidden:12510", "big:rush:2520", "small:one:2510", "big:pkg0:2510", "big:pkg1:2510");
    }

    @Test
    void cancelAndRetry() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build b =
                builds.list().archive("trunk").state(BuildState.WAITING).call().get(0);
        assertThat(builds.cancel().id(b.id()).call().state()).isEqualTo(BuildState.CANCELLED);
        assertThatThrownBy(() -> builds.cancel().id(b.id()).call()).hasMessageContaining("too late to cancel");
        assertThat(builds.retry().id(b.id()).call().state()).isEqualTo(BuildState.WAITING);
        assertThatThrownBy(() -> builds.retry().id(b.id()).call()).hasMessageContaining("only a build that failed");
        assertThatThrownBy(() -> builds.show().id(999).call()).hasMessage("there is no build 999");
        Build running = lease("w1");
        assertThat(builds.cancel().id(running.id()).call().cancelRequested()).isTrue();
        Build done = builds.complete()
                .build(running.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.FAILED)
                .call();
        assertThat(done.state()).isEqualTo(BuildState.CANCELLED);
    }

    @Test
    void archiveDependenciesBecomeRepositoriesAndRetryDependencyWaits() throws Exception {
        ppa.createArchive()
                .name("backports")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        byte[] key = ppa.exportKey().archive("backports").call().getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> builds.setDependencies()
                        .archive("trunk")
                        .archives(List.of("nope"))
                        .call())
                .hasMessage("archive 'nope' does not exist");
        assertThatThrownBy(() -> builds.setDependencies()
                        .archive("trunk")
                        .archives(List.of("trunk"))
                        .call())
                .hasMessageContaining("always builds against itself first");
        assertThatThrownBy(() -> builds.setDependencies()
                        .archive("trunk")
                        .externals(List.of(new SetDependencies.External("deb ftp://mirror bookworm main", key)))
                        .call())
                .hasMessageContaining("with an http or https URL");
        assertThatThrownBy(() -> builds.setDependencies()
                        .archive("trunk")
                        .externals(List.of(new SetDependencies.External(
                                "deb http://deb.debian.org/debian bookworm", "not a key".getBytes())))
                        .call())
                .hasMessageContaining("is not an OpenPGP public key");
        builds.setDependencies()
                .archive("trunk")
                .archives(List.of("backports"))
                .externals(List.of(
                        new SetDependencies.External("deb http://deb.debian.org/debian bookworm main contrib", key)))
                .call();
        upload("trunk", "tool", "1.0-1");
        LeaseBuild.Lease lease = builds.lease()
                .worker("w1")
                .architectures(List.of("amd64"))
                .call()
                .orElseThrow();
        assertThat(lease.repositories())
                .extracting(
                        LeaseBuild.Repository::archive,
                        LeaseBuild.Repository::url,
                        LeaseBuild.Repository::suite,
                        LeaseBuild.Repository::components)
                .containsExactly(
                        Tuple.tuple("trunk", null, "noble", "main"),
                        Tuple.tuple("backports", null, "noble", "main"),
                        Tuple.tuple(null, "http://deb.debian.org/debian", "bookworm", "main contrib"));
        assertThat(lease.repositories().get(2).key()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Build b = lease.build();
        builds.complete()
                .build(b.id())
                .worker("w1")
                .outcome(CompleteBuild.Outcome.DEPENDENCY_WAIT)
                .unmet("libbp-dev")
                .call();
        // Published in the dependency archive: the wait ends.
        ppa.include()
                .archive("backports")
                .series("noble")
                .files(List.of(RealDebs.build(work, "libbp-dev", "2.0", "amd64", "gzip")))
                .call();
        assertThat(builds.show().id(b.id()).call().state()).isEqualTo(BuildState.WAITING);
        // '' removes: only the externals stay.
        assertThat(builds.setDependencies().archive("trunk").archives(List.of()).call())
                .extracting(d -> d.kind())
                .containsExactly("external");
    }

    @Test
    void externalDependenciesFollowTheBuildsSeries() throws Exception {
        ppa.createArchive()
                .name("multi")
                .series(List.of("bookworm", "trixie"))
                .architectures(List.of("amd64"))
                .call();
        byte[] key = ppa.exportKey().archive("multi").call().getBytes(StandardCharsets.US_ASCII);
        builds.setDependencies()
                .archive("multi")
                .externals(List.of(new SetDependencies.External("deb http://deb.debian.org/debian {series} main", key)))
                .call();
        // trixie's own line replaces the line for every series in trixie's builds only; setting it keeps that line.
        builds.setDependencies()
                .archive("multi")
                .series("trixie")
                .externals(
                        List.of(new SetDependencies.External("http://mirror.example/debian trixie main contrib", key)))
                .call();
        assertThat(builds.dependencies().archive("multi").call())
                .extracting(d -> d.value(), d -> d.series())
                .containsExactly(
                        Tuple.tuple("http://deb.debian.org/debian {series} main", null),
                        Tuple.tuple("http://mirror.example/debian trixie main contrib", "trixie"));
        assertThatThrownBy(() -> builds.setDependencies()
                        .archive("multi")
                        .series("sid")
                        .externals(List.of())
                        .call())
                .hasMessage("no series sid in multi");
        assertThatThrownBy(() -> builds.setDependencies()
                        .archive("multi")
                        .externals(List.of(new SetDependencies.External("deb http://x/ {series;rm} main", key)))
                        .call())
                .hasMessageContaining("invalid suite or component '{series;rm}'");
        for (String series : List.of("bookworm", "trixie")) {
            builds.createChroot()
                    .series(series)
                    .architecture("amd64")
                    .tarball(Files.writeString(work.resolve(series + ".tar.zst"), series))
                    .call();
            Path dir = Files.createDirectories(work.resolve("multi-" + series));
            Path changes = SourcePackages.buildSourceUpload(dir, "tool-" + series, "1.0", "1", series);
            ppa.include()
                    .archive("multi")
                    .series(series)
                    .files(List.of(changes))
                    .call();
        }
        for (int i = 0; i < 2; i++) {
            LeaseBuild.Lease lease = builds.lease()
                    .worker("w1")
                    .architectures(List.of("amd64"))
                    .call()
                    .orElseThrow();
            String series = lease.build().series();
            assertThat(lease.repositories())
                    .extracting(
                            LeaseBuild.Repository::archive,
                            LeaseBuild.Repository::url,
                            LeaseBuild.Repository::suite,
                            LeaseBuild.Repository::components)
                    .containsExactly(
                            Tuple.tuple("multi", null, series, "main"),
                            series.equals("bookworm")
                                    ? Tuple.tuple(null, "http://deb.debian.org/debian", "bookworm", "main")
                                    : Tuple.tuple(null, "http://mirror.example/debian", "trixie", "main contrib"));
        }
        // Removing trixie's own lines: trixie builds use the line for every series again.
        builds.setDependencies()
                .archive("multi")
                .series("trixie")
                .externals(List.of())
                .call();
        assertThat(BuildStore.ArchiveDependency.externalsFor(builds.store().dependencies("multi"), "trixie"))
                .extracting(d -> d.value())
                .containsExactly("http://deb.debian.org/debian trixie main");
    }

    @Test
    void buildsLeftUploadingByAStoppedServerAreBuiltOrQueuedAgain() throws Exception {
        upload("trunk", "tool", "1.0-1");
        upload("trunk", "other", "1.0-1");
        Build first = lease("w1");
        Build second = lease("w1");
        for (Build b : List.of(first, second)) {
            assertThat(builds.store()
                            .transition(b.id(), List.of(BuildState.BUILDING), BuildState.UPLOADING, now[0], null, null))
                    .isTrue();
        }
        // The first one's results made it into the archive before the stop.
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(results(first, "1.0-1", first.source() + ":amd64")
                        .resolve(first.source() + "_1.0-1_amd64.changes")))
                .call();
        RecoverBuilds.Result r = builds.recover().call();
        assertThat(r.built()).extracting(Build::id).containsExactly(first.id());
        assertThat(r.requeued()).extracting(Build::id).containsExactly(second.id());
        assertThat(builds.show().id(first.id()).call().state()).isEqualTo(BuildState.BUILT);
        assertThat(builds.show().id(second.id()).call().state()).isEqualTo(BuildState.WAITING);
    }
}
