package org.ppaforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.pipeline.testing.GitServer;

/**
 * A pipeline run end to end as far as it goes today, with real parts: a git remote on 127.0.0.1 (JGit's daemon), the
 * definition read from the commit, check commands in a testbed (the build farm's bookworm chroot under unshare), the
 * daily source package, an upload signed with the pipeline's key through the archive's upload checks, a promotion.
 */
class PipelineRunTest {

    /** How the archive is opened: the embedded default here; {@link PipelineRunOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    @TempDir
    Path data;

    @TempDir
    Path upstream;

    Ppaforge ppa;
    Builds builds;
    Pipelines pipelines;
    Git dev;
    GitServer daemon;
    String url;

    @BeforeEach
    void start() throws Exception {
        ppa = Ppaforge.open(settings(data));
        builds = Builds.open(ppa);
        pipelines = Pipelines.open(ppa, builds);
        for (String a : List.of("trunk", "milestone-proposed")) {
            ppa.createArchive()
                    .name(a)
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
        }
        builds.createChroot()
                .series("bookworm")
                .architecture("amd64")
                .tarball(TestChroots.bookworm())
                .call();
        dev = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call();
        Files.writeString(upstream.resolve("mytool"), "#!/bin/sh\necho mytool\n");
        upstream.resolve("mytool").toFile().setExecutable(true);
        Files.createDirectories(upstream.resolve("debian/source"));
        Files.writeString(upstream.resolve("debian/source/format"), "3.0 (quilt)\n");
        Files.writeString(
                upstream.resolve("debian/control"),
                "Source: mytool\nMaintainer: Dev <dev@example.org>\n\n"
                        + "Package: mytool\nArchitecture: all\nDescription: a tool\n a tool\n");
        Files.writeString(
                upstream.resolve("debian/changelog"),
                "mytool (1.2-1) unstable; urgency=medium\n\n  * Release.\n\n"
                        + " -- Dev <dev@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n");
        Files.writeString(upstream.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: trunk
                series: bookworm
                check:
                  commands:
                    - test -x mytool
                    - ./mytool > report.txt
                  artifacts: [report.txt]
                  timeout: 5m
                upload: true
                promote:
                  to: milestone-proposed
                """);
        commit("first");
        daemon = GitServer.serve(dev.getRepository());
        url = daemon.url();
    }

    private void commit(String message) throws Exception {
        dev.add().addFilepattern(".").call();
        dev.commit().setMessage(message).setSign(false).call();
    }

    @AfterEach
    void stop() {
        daemon.close();
        dev.close();
        pipelines.close();
        builds.close();
        ppa.close();
    }

    @Test
    void aCommitIsCheckedPackagedUploadedAndPromotedAndABrokenOneUploadsNothing() throws Exception {
        Pipeline p = pipeline("mytool", url);
        assertThatThrownBy(() -> pipelines
                        .create()
                        .name("mytool")
                        .git(url)
                        .branch("main")
                        .file(null)
                        .call())
                .hasMessageContaining("exists");
        assertThatThrownBy(() -> pipelines
                        .create()
                        .name("Bad Name")
                        .git(url)
                        .branch("main")
                        .file(null)
                        .call())
                .hasMessageContaining("invalid pipeline name");
        assertThatThrownBy(() -> pipelines
                        .create()
                        .name("x")
                        .git("/etc/passwd")
                        .branch("main")
                        .file(null)
                        .call())
                .hasMessageContaining("needs a git URL");

        // Before the pipeline's key may upload to trunk: the upload step fails and says how to allow it.
        Run refused = runOnce(p);
        assertThat(refused.state()).as(refused.toString()).isEqualTo(Run.FAILED);
        assertThat(refused.steps())
                .extracting(Run.Step::name, Run.Step::state)
                .containsExactly(
                        Tuple.tuple("fetch", "passed"),
                        Tuple.tuple("check", "passed"),
                        Tuple.tuple("source", "passed"),
                        Tuple.tuple("upload", "failed"),
                        Tuple.tuple("promote", "skipped"));
        assertThat(refused.message()).contains("ppa pipeline key mytool");

        ppa.addUploader()
                .archive("trunk")
                .key(pipelines.publicKey("mytool").getBytes(StandardCharsets.US_ASCII), "pipeline")
                .call();
        Run run = runOnce(p);
        assertThat(run.state()).as(run.toString()).isEqualTo(Run.PASSED);
        assertThat(run.commit()).isEqualTo(dev.getRepository().resolve("HEAD").getName());
        assertThat(run.archive()).isEqualTo("trunk");
        assertThat(pipelines.lastRunInto("trunk").orElseThrow().id()).isEqualTo(run.id());
        assertThat(run.version()).matches("1\\.2\\+git\\d{12}\\.\\d+\\.[0-9a-f]{7}-0ppa1");
        assertThat(Files.readString(pipelines.artifacts(run.id()).resolve("report.txt")))
                .isEqualTo("mytool\n");
        for (String archive : List.of("trunk", "milestone-proposed")) {
            assertThat(ppa.list().archive(archive).call())
                    .extracting(e -> e.source() + " " + e.version())
                    .containsExactly("mytool " + run.version());
        }
        assertThat(ppa.listUploads().archive("trunk").call().get(0).tokenName()).isEqualTo("pipeline:mytool");
        // The package's history points at the run that made it, and the run at what it published.
        assertThat(ppa.history().archive("trunk").source("mytool").call())
                .singleElement()
                .satisfies(e -> assertThat(e.origin()).isEqualTo("pipeline mytool run " + run.id()));
        assertThat(ppa.history().archive("milestone-proposed").source("mytool").call())
                .singleElement()
                .satisfies(e -> assertThat(e.origin())
                        .isEqualTo("copy from trunk/bookworm (pipeline mytool run " + run.id() + ")"));
        // The fetch is the run's first step, with the commit it found and a log of its own.
        assertThat(run.steps().get(0).message())
                .isEqualTo("main at " + run.commit().substring(0, 12) + ": first");
        assertThat(Files.readString(pipelines.logFile(run.id(), "fetch")))
                .isEqualTo("fetching main from " + url + "\nmain at "
                        + run.commit().substring(0, 12) + ": first\n");
        assertThat(run.steps().get(3).message()).isEqualTo("accepted into trunk/bookworm: mytool " + run.version());

        // A commit that breaks the check: the run fails there, its log tail says why, nothing is uploaded.
        Files.writeString(upstream.resolve("mytool"), "#!/bin/sh\nexit 3\n");
        commit("break it");
        Run broken = runOnce(p);
        assertThat(broken.state()).isEqualTo(Run.FAILED);
        assertThat(broken.steps())
                .extracting(Run.Step::state)
                .containsExactly("passed", "failed", "skipped", "skipped", "skipped");
        assertThat(broken.message()).contains("check: a command failed (exit 3)");
        assertThat(ppa.list().archive("trunk").call())
                .extracting(e -> e.version())
                .containsExactly(run.version());
    }

    @Test
    void withSkewCheckAPromotionWaitsUntilTheStagesAgreeOnEveryOtherSource() throws Exception {
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: trunk
                series: bookworm
                upload: true
                promote:
                  to: milestone-proposed
                  skew-check: true
                """);
        commit("gate the promotion");
        Pipeline p = pipeline("mytool", url);
        ppa.addUploader()
                .archive("trunk")
                .key(pipelines.publicKey("mytool").getBytes(StandardCharsets.US_ASCII), "pipeline")
                .call();
        // A hotfix went straight to milestone-proposed: the two stages disagree on 'other'.
        for (String[] at : new String[][] {{"1", "trunk"}, {"2", "milestone-proposed"}}) {
            Path work = Files.createDirectories(data.resolve("other-" + at[0]));
            SourcePackages.buildSourceUpload(work, "other", "1.0", at[0], "bookworm");
            ppa.include()
                    .archive(at[1])
                    .series("bookworm")
                    .files(List.of(work.resolve("other_1.0-" + at[0] + ".dsc")))
                    .call();
        }

        Run gated = runOnce(p);
        assertThat(gated.state()).as(gated.toString()).isEqualTo(Run.FAILED);
        assertThat(gated.steps()).extracting(Run.Step::state).containsExactly("passed", "passed", "passed", "failed");
        assertThat(gated.message())
                .contains("version skew between trunk and milestone-proposed in bookworm")
                .contains("other (trunk 1.0-1, milestone-proposed 1.0-2)")
                .contains("nothing copied");
        assertThat(ppa.list().archive("milestone-proposed").call())
                .extracting(e -> e.source())
                .containsExactly("other");

        // The hotfix is brought back to trunk; the next commit is promoted.
        ppa.copy()
                .sources(List.of("other"))
                .from("milestone-proposed")
                .to("trunk")
                .series("bookworm")
                .call();
        Files.writeString(upstream.resolve("README"), "more\n");
        commit("next");
        Run promoted = runOnce(p);
        assertThat(promoted.state()).as(promoted.toString()).isEqualTo(Run.PASSED);
        assertThat(ppa.list().archive("milestone-proposed").call())
                .extracting(e -> e.source() + " " + e.version())
                .containsExactlyInAnyOrder("other 1.0-2", "mytool " + promoted.version());
    }

    @Test
    void anUnreachableRemoteFailsTheFetchStepNamingTheUrlAndTheNextRunTriesAgain() throws Exception {
        String closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "git://127.0.0.1:" + s.getLocalPort() + "/gone.git";
        }
        Pipeline p = pipeline("gone", closed);
        Run run = runOnce(p);
        assertThat(run.state()).isEqualTo(Run.FAILED);
        assertThat(run.message()).contains("cannot fetch main from " + closed);
        assertThat(run.steps())
                .extracting(Run.Step::name, Run.Step::state)
                .containsExactly(Tuple.tuple("fetch", "failed"));
        assertThat(Files.readString(pipelines.logFile(run.id(), "fetch")))
                .startsWith("fetching main from " + closed + "\n")
                .contains("cannot fetch main from " + closed);
        assertThat(runOnce(p).steps())
                .extracting(Run.Step::name, Run.Step::state)
                .containsExactly(Tuple.tuple("fetch", "failed"));
    }

    @Test
    void aRunForTwoSeriesMakesAPackagePerSeriesThatSortsAsTheSeriesDoAndPromotesAllOrNone() throws Exception {
        for (String a : List.of("stable", "candidate")) {
            ppa.createArchive()
                    .name(a)
                    .series(List.of("trixie", "bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
        }
        ppa.createArchive()
                .name("old-only")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: stable
                upload: true
                promote:
                  to: candidate
                """);
        commit("every series of the archive");
        Pipeline p = pipeline("multi", url);
        ppa.addUploader()
                .archive("stable")
                .key(pipelines.publicKey("multi").getBytes(StandardCharsets.US_ASCII), "pipeline")
                .call();
        Run run = runOnce(p);
        assertThat(run.state()).as(run.toString()).isEqualTo(Run.PASSED);
        // The archive lists trixie first; the run goes oldest release first, one row per series and step.
        assertThat(run.steps())
                .extracting(Run.Step::name, Run.Step::series, Run.Step::state)
                .containsExactly(
                        Tuple.tuple("fetch", null, "passed"),
                        Tuple.tuple("source:bookworm", "bookworm", "passed"),
                        Tuple.tuple("source:trixie", "trixie", "passed"),
                        Tuple.tuple("upload:bookworm", "bookworm", "passed"),
                        Tuple.tuple("upload:trixie", "trixie", "passed"),
                        Tuple.tuple("promote", null, "passed"));
        List<String> versions = new ArrayList<>();
        for (String series : List.of("bookworm", "trixie")) {
            var published = ppa.list().archive("candidate").series(series).call();
            assertThat(published).hasSize(1);
            versions.add(published.get(0).version());
        }
        assertThat(versions.get(0)).matches("1\\.2\\+git\\d{12}\\.\\d+\\.[0-9a-f]{7}-0ppa1~deb12");
        assertThat(versions.get(1)).isEqualTo(versions.get(0).replace("~deb12", "~deb13"));
        assertThat(dpkgCompare(versions.get(0), "lt", versions.get(1))).isTrue();
        assertThat(run.steps().get(5).message())
                .isEqualTo("copied to candidate: mytool " + versions.get(0) + " in bookworm, mytool " + versions.get(1)
                        + " in trixie");

        // One series only, by hand: its own rows, and the promotion copies that series.
        Files.writeString(upstream.resolve("mytool"), "#!/bin/sh\necho mytool 2\n");
        commit("second");
        Run one = pipelines
                .start()
                .pipeline("multi")
                .trigger("manual")
                .series("trixie")
                .call();
        assertThat(one.onlySeries()).isEqualTo("trixie");
        one = pipelines.runner().runNext();
        assertThat(one.state()).as(one.toString()).isEqualTo(Run.PASSED);
        assertThat(one.steps()).extracting(Run.Step::name).containsExactly("fetch", "source", "upload", "promote");
        assertThat(ppa.list()
                        .archive("candidate")
                        .series("bookworm")
                        .call()
                        .get(0)
                        .version())
                .isEqualTo(versions.get(0));
        assertThat(ppa.list()
                        .archive("candidate")
                        .series("trixie")
                        .call()
                        .get(0)
                        .version())
                .isNotEqualTo(versions.get(1));
        assertThatThrownBy(() -> pipelines
                        .start()
                        .pipeline("multi")
                        .trigger("manual")
                        .series("Bad Series")
                        .call())
                .hasMessage("invalid series 'Bad Series'");

        // A promotion that cannot copy one series copies none: old-only has no trixie.
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: stable
                series: [bookworm, trixie]
                upload: true
                promote:
                  to: old-only
                """);
        commit("promote to an archive without trixie");
        Run partial = runOnce(p);
        assertThat(partial.state()).isEqualTo(Run.FAILED);
        assertThat(partial.steps().get(partial.steps().size() - 1).state()).isEqualTo("failed");
        assertThat(partial.message()).contains("trixie").contains("nothing copied, in any series");
        assertThat(ppa.list().archive("old-only").call()).isEmpty();

        // A series the archive lacks fails the run before anything is made, naming the archive's series.
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: stable
                series: [bookworm, sid]
                upload: true
                """);
        commit("a series the archive lacks");
        Run lacking = runOnce(p);
        assertThat(lacking.state()).isEqualTo(Run.FAILED);
        assertThat(lacking.message())
                .isEqualTo("series sid is not a series of archive stable (it has trixie, bookworm)");

        // Building in a series without a build environment: the run fails before anything is made, naming the command.
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: stable
                upload: true
                build:
                """);
        commit("build in trixie too");
        Run noChroot = runOnce(p);
        assertThat(noChroot.state()).isEqualTo(Run.FAILED);
        assertThat(noChroot.message())
                .isEqualTo("no build environment (amd64) for trixie: create it with 'ppa chroot create trixie'");
        assertThat(noChroot.steps()).extracting(Run.Step::state).containsOnly("passed", "skipped");
        assertThat(noChroot.steps().get(1).message()).isEqualTo(noChroot.message());
    }

    private static boolean dpkgCompare(String a, String op, String b) throws Exception {
        return new ProcessBuilder("dpkg", "--compare-versions", a, op, b)
                        .start()
                        .waitFor()
                == 0;
    }

    /** {@code source: {packaging-branch: B}}: the code from the commit, debian/ from the tip of branch B. */
    @Test
    void aPackagingBranchGivesTheDebianDirectory() throws Exception {
        // The packaging branch: debian/ with a changelog line only it has.
        dev.branchCreate().setName("packaging").call();
        dev.checkout().setName("packaging").call();
        Files.writeString(
                upstream.resolve("debian/changelog"),
                "mytool (1.2-1) unstable; urgency=medium\n\n  * Packaging kept on its own branch.\n\n"
                        + " -- Dev <dev@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n");
        commit("packaging");
        // main: the code without debian/, and a definition naming the packaging branch.
        dev.checkout().setName("main").call();
        dev.rm().addFilepattern("debian").call();
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: trunk
                series: bookworm
                source:
                  packaging-branch: packaging
                upload: true
                """);
        commit("the code only");
        assertThat(upstream.resolve("debian")).doesNotExist();
        Pipeline p = pipeline("mytool", url);
        ppa.addUploader()
                .archive("trunk")
                .key(pipelines.publicKey("mytool").getBytes(StandardCharsets.US_ASCII), "pipeline")
                .call();
        Run run = runOnce(p);
        assertThat(run.state()).as(run.toString()).isEqualTo(Run.PASSED);
        assertThat(run.commit()).isEqualTo(dev.getRepository().resolve("main").getName());
        var published =
                ppa.showSource().archive("trunk").source("mytool").call().get(0);
        assertThat(published.version()).isEqualTo(run.version());
        var debianTar = published.files().stream()
                .filter(f -> f.filename().contains(".debian.tar."))
                .findFirst()
                .orElseThrow();
        String changelog = org.ppaforge.debian.testing.Tools.run(
                        data,
                        "tar",
                        "-xOf",
                        ppa.blobs().localPath(debianTar.sha256()).toString(),
                        "debian/changelog")
                .orFail("tar")
                .out();
        assertThat(changelog)
                .startsWith("mytool (" + run.version() + ")")
                .contains("* Packaging kept on its own branch.");
        // The source step's log says what it made: the version and each file with its size.
        assertThat(Files.readString(pipelines.logFile(run.id(), "source")))
                .startsWith("made mytool " + run.version() + " (mytool_")
                .containsPattern("\\n  mytool_[^ ]+\\.orig\\.tar\\.[a-z]+: [0-9,]+ bytes")
                .contains(debianTar.filename() + ": " + String.format(java.util.Locale.ROOT, "%,d", debianTar.size())
                        + " bytes");
    }

    @Test
    void aRunAStoppedRunnerLeftRunningEndsAsInterruptedWhenARunnerStarts() throws Exception {
        Pipeline p = pipeline("mytool", url);
        Run left =
                pipelines.start().pipeline(p.name()).trigger("manual").ref(null).call();
        // A runner takes it and starts fetching, then its server dies (nothing more happens to it).
        assertThat(pipelines.store().startNext(pipelines.now()).id()).isEqualTo(left.id());
        pipelines
                .store()
                .step(
                        left.id(),
                        0,
                        new Run.Step("fetch", null, null, null, null, null, null),
                        "running",
                        null,
                        pipelines.now());
        Run queued =
                pipelines.start().pipeline(p.name()).trigger("manual").ref(null).call();

        assertThat(pipelines.runner().endInterrupted()).containsExactly(left.id());
        Run ended = pipelines.run(left.id());
        assertThat(ended.state()).isEqualTo(Run.FAILED);
        assertThat(ended.message()).startsWith("interrupted: the server running it stopped");
        assertThat(ended.finishedAt()).isNotNull();
        assertThat(ended.steps())
                .extracting(Run.Step::name, Run.Step::state)
                .containsExactly(Tuple.tuple("fetch", "failed"));
        assertThat(pipelines.run(queued.id()).state())
                .as("a queued run is not touched")
                .isEqualTo(Run.QUEUED);
        assertThat(pipelines.runner().endInterrupted()).isEmpty();
    }

    /** A pipeline of the branch main of {@code git}, with the definition file's default name. */
    Pipeline pipeline(String name, String git) throws java.io.IOException {
        return pipelines.create().name(name).git(git).branch("main").file(null).call();
    }

    Run runOnce(Pipeline p) throws Exception {
        Run queued =
                pipelines.start().pipeline(p.name()).trigger("manual").ref(null).call();
        assertThat(queued.state()).isEqualTo(Run.QUEUED);
        Run done = pipelines.runner().runNext();
        assertThat(done.id()).isEqualTo(queued.id());
        return done;
    }
}
