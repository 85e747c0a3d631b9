package org.ppaforge.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.debian.FormatException;
import org.ppaforge.pipeline.tree.ConfinedTree;

/**
 * The source step against repositories an attacker wrote: every shape of symlink that the findings used (the packaging
 * directory or the changelog as a link to a host directory, a link in the packaging branch, relative targets climbing
 * out with '..', absolute targets) is refused naming the link, and nothing is written outside the work directory. Each
 * case wrote into the "host" directory on the code before (the packaging branch's files landed in it, or the changelog
 * entry created a file there).
 */
@Timeout(60)
class HostileRepositoryTest {
    @TempDir
    Path repoDir;

    @TempDir
    Path work;

    @TempDir
    Path host; // stands for /etc/cron.d and the like

    @BeforeEach
    void victim() throws Exception {
        Files.writeString(host.resolve("existing"), "the host's own file\n");
    }

    private RevCommit commit(Git git, String message) throws Exception {
        PersonIdent who = new PersonIdent(
                "Dev",
                "dev@example.org",
                Date.from(Instant.parse("2026-11-25T10:00:00Z")),
                TimeZone.getTimeZone("UTC"));
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call(); // removals too
        return git.commit()
                .setMessage(message)
                .setAuthor(who)
                .setCommitter(who)
                .setSign(false)
                .call();
    }

    private void packaging() throws Exception {
        Files.createDirectories(repoDir.resolve("debian/source"));
        Files.writeString(repoDir.resolve("debian/source/format"), "3.0 (quilt)\n");
        Files.writeString(
                repoDir.resolve("debian/control"),
                "Source: evil\nMaintainer: E <e@example.org>\n\nPackage: evil\n"
                        + "Architecture: all\nDescription: evil\n evil.\n");
        Files.writeString(
                repoDir.resolve("debian/changelog"),
                "evil (1.0-1) unstable; urgency=medium\n\n  * x.\n\n"
                        + " -- E <e@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n");
        Files.writeString(repoDir.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        Files.writeString(repoDir.resolve("debian/cron-job"), "* * * * * root touch /tmp/pwned\n");
    }

    private Git repo() throws Exception {
        Git git = Git.init()
                .setDirectory(repoDir.toFile())
                .setInitialBranch("main")
                .call();
        Files.writeString(repoDir.resolve("README"), "upstream\n");
        return git;
    }

    private void hostUntouched() throws Exception {
        try (var list = Files.list(host)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("existing");
        }
        assertThat(Files.readString(host.resolve("existing"))).isEqualTo("the host's own file\n");
    }

    private static void deleteTree(Path p) throws Exception {
        FileTrees.delete(p);
    }

    @Test
    void theDebianDirectoryAsALinkToAHostDirectoryWithPackagingFromAnotherBranch() throws Exception {
        try (Git git = repo()) {
            packaging();
            RevCommit pack = commit(git, "packaging");
            deleteTree(repoDir.resolve("debian"));
            Files.createSymbolicLink(repoDir.resolve("debian"), host);
            RevCommit upstream = commit(git, "upstream with debian -> host");
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(upstream)
                            .packaging(pack)
                            .make(work.resolve("a")))
                    .isInstanceOf(ConfinedTree.Refused.class)
                    .hasMessageContaining("the symlink 'debian' points to '" + host + "', outside the tree");
            hostUntouched();
            // The same link pointing inside the tree (to a directory of the commit's own) is refused too: the packaging
            // would be written through it.
            Files.delete(repoDir.resolve("debian"));
            Files.createDirectories(repoDir.resolve("pkg"));
            Files.writeString(repoDir.resolve("pkg/x"), "x\n");
            Files.createSymbolicLink(repoDir.resolve("debian"), Path.of("pkg"));
            RevCommit inside = commit(git, "debian -> pkg");
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(inside)
                            .packaging(pack)
                            .make(work.resolve("b")))
                    .isInstanceOf(ConfinedTree.Refused.class)
                    .hasMessageContaining("has a 'debian' that is not a directory of its own");
        }
    }

    @Test
    void aChangelogLinkClimbingOutWithDotDotCreatesNothing() throws Exception {
        try (Git git = repo()) {
            packaging();
            Files.delete(repoDir.resolve("debian/changelog"));
            String climb = "../".repeat(work.resolve("c/evil-1.0/debian").getNameCount())
                    + host.toString().substring(1) + "/planted";
            Files.createSymbolicLink(repoDir.resolve("debian/changelog"), Path.of(climb));
            RevCommit c = commit(git, "changelog -> ../../..");
            // The packaging branch holds the real changelog; the commit's link is what the step would write through.
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(c)
                            .make(work.resolve("c")))
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("'debian/changelog' is a symlink");
            hostUntouched();
        }
    }

    @Test
    void aLinkInThePackagingBranchAndAbsoluteOrClimbingLinksAnywhereAreRefusedNamingThem() throws Exception {
        try (Git git = repo()) {
            Files.writeString(repoDir.resolve("main.c"), "int main(void) { return 0; }\n");
            RevCommit upstream = commit(git, "upstream");
            packaging();
            Files.delete(repoDir.resolve("debian/rules"));
            Files.createSymbolicLink(repoDir.resolve("debian/rules"), Path.of("/etc/shadow"));
            RevCommit pack = commit(git, "packaging with rules -> /etc/shadow");
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(upstream)
                            .packaging(pack)
                            .make(work.resolve("d")))
                    .isInstanceOf(ConfinedTree.Refused.class)
                    .hasMessageContaining("the symlink 'debian/rules' points to '/etc/shadow'");

            Files.delete(repoDir.resolve("debian/rules"));
            Files.writeString(repoDir.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
            Files.createDirectories(repoDir.resolve("doc"));
            Files.createSymbolicLink(repoDir.resolve("doc/keys"), Path.of("../../../../var/lib/ppaforge/keys"));
            RevCommit climbing = commit(git, "doc/keys climbing out");
            assertThatThrownBy(() -> new SourcePackageMaker(git.getRepository())
                            .commit(climbing)
                            .make(work.resolve("e")))
                    .isInstanceOf(ConfinedTree.Refused.class)
                    .hasMessageContaining(
                            "the symlink 'doc/keys' points to '../../../../var/lib/ppaforge/keys', outside the tree");
            hostUntouched();
        }
    }

    @Test
    void linksThatStayInsideTheTreeAreKeptAsLinks() throws Exception {
        try (Git git = repo()) {
            packaging();
            Files.delete(repoDir.resolve("debian/cron-job"));
            Files.createDirectories(repoDir.resolve("bin"));
            Files.writeString(repoDir.resolve("bin/tool"), "#!/bin/sh\n");
            Files.createSymbolicLink(repoDir.resolve("bin/tool-alias"), Path.of("tool"));
            Files.createSymbolicLink(repoDir.resolve("README.md"), Path.of("bin/../README"));
            RevCommit c = commit(git, "inner links");
            SourcePackageMaker.Result r =
                    new SourcePackageMaker(git.getRepository()).commit(c).make(work.resolve("f"));
            assertThat(Files.readSymbolicLink(r.tree().resolve("bin/tool-alias")))
                    .isEqualTo(Path.of("tool"));
            assertThat(r.dsc()).exists();
        }
    }
}
