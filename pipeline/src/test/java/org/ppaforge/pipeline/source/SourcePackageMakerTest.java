package org.ppaforge.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.testing.Tools;

/**
 * The source step on a real git repository made with JGit: the daily version from the recipe variables, the orig
 * tarball from the commit, dpkg-source's own .dsc; checked with dpkg (version order) and dpkg-source -x.
 */
class SourcePackageMakerTest {
    @TempDir
    Path repoDir;

    @TempDir
    Path work;

    private RevCommit commit(Git git, String message, String when) throws Exception {
        PersonIdent who =
                new PersonIdent("Dev", "dev@example.org", Date.from(Instant.parse(when)), TimeZone.getTimeZone("UTC"));
        git.add().addFilepattern(".").call();
        return git.commit()
                .setMessage(message)
                .setAuthor(who)
                .setCommitter(who)
                .setSign(false)
                .call();
    }

    private Git project() throws Exception {
        Git git = Git.init()
                .setDirectory(repoDir.toFile())
                .setInitialBranch("main")
                .call();
        Files.writeString(repoDir.resolve("mytool"), "#!/bin/sh\necho mytool\n");
        repoDir.resolve("mytool").toFile().setExecutable(true);
        Files.createDirectories(repoDir.resolve("debian/source"));
        Files.writeString(repoDir.resolve("debian/source/format"), "3.0 (quilt)\n");
        Files.writeString(repoDir.resolve("debian/control"), """
                Source: mytool
                Maintainer: Dev <dev@example.org>
                Standards-Version: 4.6.2

                Package: mytool
                Architecture: all
                Description: a tool
                 A tool.
                """);
        Files.writeString(repoDir.resolve("debian/changelog"), """
                mytool (1.2-1) unstable; urgency=medium

                  * Release 1.2.

                 -- Dev <dev@example.org>  Tue, 24 Nov 2026 10:00:00 +0000
                """);
        Files.writeString(repoDir.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        commit(git, "first", "2026-11-25T10:00:00Z");
        git.tag().setName("v1.2").setAnnotated(false).call();
        return git;
    }

    private static boolean dpkgSays(String a, String op, String b) {
        return Tools.run(Path.of("."), "dpkg", "--compare-versions", a, op, b).exit() == 0;
    }

    @Test
    void aDailySourcePackageFromACommitSortsBetweenTheLastSnapshotAndTheNextRelease() throws Exception {
        try (Git git = project()) {
            Files.writeString(repoDir.resolve("mytool"), "#!/bin/sh\necho mytool, better\n");
            RevCommit second = commit(git, "second", "2026-11-26T08:30:00Z");
            SourcePackageMaker.Result r = new SourcePackageMaker(git.getRepository())
                    .commit(second)
                    .distribution("bookworm")
                    .now(Instant.parse("2026-11-26T09:00:00Z"))
                    .make(work.resolve("one"));
            String expected = "1.2+git202611260830.2." + second.abbreviate(7).name() + "-0ppa1";
            assertThat(r.version().toString()).isEqualTo(expected);
            assertThat(r.variables())
                    .containsEntry("revno", "2")
                    .containsEntry("latest-tag", "v1.2")
                    .containsEntry("revdate", "20261126");
            assertThat(dpkgSays(expected, "gt", "1.2-1")).isTrue();
            assertThat(dpkgSays(expected, "lt", "1.3-1")).isTrue();
            // A commit in the same minute sorts after it, whatever the two hashes ({revno}).
            Files.writeString(repoDir.resolve("mytool"), "#!/bin/sh\necho mytool, better still\n");
            RevCommit sameMinute = commit(git, "same minute", "2026-11-26T08:30:40Z");
            String next = new SourcePackageMaker(git.getRepository())
                    .commit(sameMinute)
                    .distribution("bookworm")
                    .now(Instant.parse("2026-11-26T09:00:00Z"))
                    .make(work.resolve("same-minute"))
                    .version()
                    .toString();
            assertThat(next).startsWith("1.2+git202611260830.3.");
            assertThat(dpkgSays(next, "gt", expected)).isTrue();
            // dpkg-source unpacks it, with the new changelog entry first and the commit's content.
            Path x = work.resolve("x");
            Tools.run(work, "dpkg-source", "-x", r.dsc().toString(), x.toString())
                    .orFail("dpkg-source -x");
            assertThat(Files.readString(x.resolve("debian/changelog")))
                    .startsWith("mytool (" + expected + ") bookworm; urgency=medium")
                    .contains("Automated build of " + second.abbreviate(12).name());
            assertThat(Files.readString(x.resolve("mytool"))).contains("better");
            assertThat(x.resolve("mytool").toFile().canExecute()).isTrue();
            // The orig tarball is the same bytes when made again from the same commit (reproducible).
            SourcePackageMaker.Result again = new SourcePackageMaker(git.getRepository())
                    .commit(second)
                    .distribution("bookworm")
                    .now(Instant.parse("2026-11-27T09:00:00Z"))
                    .make(work.resolve("two"));
            String orig = "mytool_1.2+git202611260830.2." + second.abbreviate(7).name() + ".orig.tar.gz";
            assertThat(Files.readAllBytes(work.resolve("two").resolve(orig)))
                    .isEqualTo(Files.readAllBytes(work.resolve("one").resolve(orig)));
            // A later commit sorts after it.
            Files.writeString(repoDir.resolve("README"), "more\n");
            RevCommit third = commit(git, "third", "2026-11-26T11:00:00Z");
            SourcePackageMaker.Result later = new SourcePackageMaker(git.getRepository())
                    .commit(third)
                    .distribution("bookworm")
                    .make(work.resolve("three"));
            assertThat(dpkgSays(later.version().toString(), "gt", expected)).isTrue();
        }
    }

    @Test
    void aBadTemplateOrChangelogFailsWithTheReason() throws Exception {
        try (Git git = project()) {
            RevCommit head = git.log().setMaxCount(1).call().iterator().next();
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(head)
                            .template("{debupstream} {revno}-1")
                            .make(work.resolve("a")))
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining(
                            "the version template '{debupstream} {revno}-1' gives '1.2 1-1', which is not a valid "
                                    + "Debian version");
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(head)
                            .template("{debupstream}+git{revno}")
                            .make(work.resolve("b")))
                    .hasMessageContaining("without a Debian revision, but the package is not native");
            Files.writeString(repoDir.resolve("debian/changelog"), "this is not a changelog\n");
            RevCommit broken = commit(git, "break", "2026-11-27T10:00:00Z");
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(broken)
                            .make(work.resolve("c")))
                    .hasMessageContaining("debian/changelog:1: not a changelog entry header");
            assertThat(List.of(work.resolve("a"), work.resolve("c")).stream()
                            .filter(Files::exists)
                            .flatMap(p -> p.toFile().list() == null
                                    ? Stream.empty()
                                    : Arrays.stream(p.toFile().list()))
                            .filter(n -> n.endsWith(".dsc")))
                    .isEmpty();
        }
    }
}
