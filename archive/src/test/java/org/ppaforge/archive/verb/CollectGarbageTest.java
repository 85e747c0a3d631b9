package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.debian.checksum.Checksums;

/** {@code ppa gc}: superseded files go once their archive stops serving them; young, needed and kept files stay. */
@Timeout(120)
class CollectGarbageTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Path deb(String version) throws Exception {
        Path f = TinyDebs.write(work, "tool", version, 50_000);
        // An upload made long ago: a linked blob keeps this modification time; only its change time is new.
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        return f;
    }

    @Test
    void supersededFilesGoOnceNoArchiveServesThem() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data)) {
            for (String a : List.of("trunk", "release")) {
                ppa.createArchive()
                        .name(a)
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            Path v1 = deb("1.0");
            Path v2 = deb("2.0");
            String s1 = Checksums.of(v1).sha256();
            String s2 = Checksums.of(v2).sha256();
            ppa.include().archive("trunk").series("noble").files(List.of(v1)).call();
            ppa.include().archive("trunk").series("noble").files(List.of(v2)).call(); // 1.0 superseded now
            Path chroot = Files.write(work.resolve("chroot.tar.zst"), new byte[1000]);
            String chrootSha = Checksums.of(chroot).sha256();
            ppa.blobs().put(chroot, chrootSha);

            // Within the grace period (an include whose transaction has not committed looks like this) nothing goes,
            // although the uploaded files are a month old: a linked blob's age is when it was linked.
            assertThat(ppa.collectGarbage().call().files()).isZero();
            // Past the grace, trunk still serves 1.0 for a day (its keep-superseded time): it stays.
            assertThat(ppa.collectGarbage()
                            .grace(Duration.ZERO)
                            .alsoKeep(Set.of(chrootSha))
                            .call()
                            .files())
                    .isZero();
            // Without the farm's word the chroot tarball would go: the farm keeps what it needs.
            assertThat(ppa.collectGarbage()
                            .grace(Duration.ZERO)
                            .dryRun(true)
                            .call()
                            .deleted())
                    .containsExactly(chrootSha);

            ppa.configureArchive()
                    .archive("trunk")
                    .keepSuperseded(Duration.ZERO)
                    .call();
            CollectGarbage.Result dry = ppa.collectGarbage()
                    .grace(Duration.ZERO)
                    .alsoKeep(Set.of(chrootSha))
                    .dryRun(true)
                    .call();
            assertThat(dry.deleted()).containsExactly(s1);
            assertThat(ppa.blobs().contains(s1)).isTrue();
            CollectGarbage.Result r = ppa.collectGarbage()
                    .grace(Duration.ZERO)
                    .alsoKeep(Set.of(chrootSha))
                    .call();
            assertThat(r.deleted()).containsExactly(s1);
            assertThat(r.bytes()).isEqualTo(Files.size(v1));
            assertThat(ppa.blobs().contains(s1)).isFalse();
            assertThat(ppa.blobs().contains(s2)).isTrue();
            assertThat(ppa.blobs().contains(chrootSha)).isTrue();
            // The published version still copies; the collected one is refused, saying why, and nothing changes.
            ppa.copy()
                    .sources(List.of("tool"))
                    .from("trunk")
                    .to("release")
                    .series("noble")
                    .withBinaries(true)
                    .call();
            assertThatThrownBy(() -> ppa.copy()
                            .sources(List.of("tool=1.0"))
                            .from("trunk")
                            .to("release")
                            .series("noble")
                            .withBinaries(true)
                            .allowDowngrade(true)
                            .call())
                    .hasMessageContaining("files were collected");
            assertThat(ppa.list().archive("release").call())
                    .extracting(e -> e.version())
                    .containsExactly("2.0");
            // Included again, the file is back.
            ppa.include()
                    .archive("release")
                    .series("noble")
                    .files(List.of(v1))
                    .allowDowngrade(true)
                    .call();
            assertThat(ppa.blobs().contains(s1)).isTrue();
        }
    }
}
