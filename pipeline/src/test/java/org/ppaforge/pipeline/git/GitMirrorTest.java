package org.ppaforge.pipeline.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching a pipeline's branch from a real git server on 127.0.0.1 (JGit's git:// daemon), as a poll would. */
class GitMirrorTest {
    @TempDir
    Path upstream;

    @TempDir
    Path cache;

    @Test
    void aMirrorFetchesTheBranchAndSeesItMoveAndAnUnreachableRemoteIsNamed() throws Exception {
        try (Git dev = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call()) {
            Files.writeString(upstream.resolve("README"), "one\n");
            dev.add().addFilepattern(".").call();
            RevCommit first = dev.commit().setMessage("one").setSign(false).call();
            dev.tag().setName("v1.0").setAnnotated(false).call();
            Repository served = dev.getRepository();
            Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
            daemon.getService("git-upload-pack").setEnabled(true);
            daemon.setRepositoryResolver((req, name) -> {
                if (!name.equals("project.git")) {
                    throw new RepositoryNotFoundException(name);
                }
                served.incrementOpen();
                return served;
            });
            daemon.start();
            try {
                String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/project.git";
                GitMirror mirror = new GitMirror(cache);
                try (GitMirror.Fetched f = mirror.fetch(url, "main")) {
                    assertThat(f.commit().getId()).isEqualTo(first.getId());
                    assertThat(f.repository().isBare()).isTrue();
                    assertThat(f.repository().resolve("refs/tags/v1.0")).isEqualTo(first.getId());
                }
                Files.writeString(upstream.resolve("README"), "two\n");
                dev.add().addFilepattern(".").call();
                RevCommit second = dev.commit().setMessage("two").setSign(false).call();
                try (GitMirror.Fetched f = mirror.fetch(url, "main")) {
                    assertThat(f.commit().getId()).isEqualTo(second.getId());
                }
                assertThatThrownBy(() -> mirror.fetch(url, "nope"))
                        .hasMessageContaining("cannot fetch nope from " + url);
                assertThatThrownBy(() -> mirror.fetch(url, "../etc"))
                        .hasMessageContaining("invalid branch name '../etc'");
            } finally {
                daemon.stop();
            }
            String closed = "git://127.0.0.1:1/project.git";
            assertThatThrownBy(() -> new GitMirror(cache).fetch(closed, "main"))
                    .hasMessageContaining("cannot fetch main from " + closed);
        }
    }
}
