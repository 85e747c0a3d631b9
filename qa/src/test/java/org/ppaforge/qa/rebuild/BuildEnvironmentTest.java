package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.Chroot;

/** The build environment's key moves with the chroot and with each archive builds take dependencies from, and only then. */
class BuildEnvironmentTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void theKeyMovesWhenTheChrootOrADependencyArchiveChanges() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa)) {
            for (String a : List.of("rebuilds", "extra")) {
                ppa.createArchive()
                        .name(a)
                        .series(List.of("bookworm"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(Files.writeString(work.resolve("a.tar.zst"), "a"))
                    .call();
            builds.setDependencies()
                    .archive("rebuilds")
                    .archives(List.of("extra"))
                    .call();
            Chroot c = builds.store().chroot("bookworm", "amd64").orElseThrow();
            String first = BuildEnvironment.key(ppa, builds, c, "rebuilds");
            assertThat(BuildEnvironment.key(ppa, builds, c, "rebuilds")).isEqualTo(first);
            ppa.include()
                    .archive("extra")
                    .series("bookworm")
                    .files(List.of(RealDebs.build(work, "libdep", "1.0", "amd64", "xz")))
                    .call();
            String second = BuildEnvironment.key(ppa, builds, c, "rebuilds");
            assertThat(second).isNotEqualTo(first).startsWith("chroot=" + c.sha256());
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(Files.writeString(work.resolve("b.tar.zst"), "b"))
                    .call();
            Chroot updated = builds.store().chroot("bookworm", "amd64").orElseThrow();
            assertThat(BuildEnvironment.key(ppa, builds, updated, "rebuilds")).isNotEqualTo(second);
        }
    }
}
