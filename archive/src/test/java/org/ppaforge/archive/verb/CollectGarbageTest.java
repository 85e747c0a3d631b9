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
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.debian.checksum.Checksums;

/** {@code ppa gc}: superseded files go once their archive stops serving them; young, needed and kept files stay. */
@Timeout(120)
class CollectGarbageTest {

    /** How the archive is opened: the embedded default here; {@link CollectGarbageOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

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
    void includesRacingACollectionLoseNothingWhileItsGarbageGoes() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(settings(data))) {
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.configureArchive()
                    .archive("trunk")
                    .keepSuperseded(Duration.ZERO)
                    .call();
            // Garbage: twenty packages, each superseded by a second version (their first files are needed by nobody).
            List<String> garbage = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path old = TinyDebs.write(Files.createDirectories(work.resolve("old" + i)), "old" + i, "1.0", 20_000);
                garbage.add(Checksums.of(old).sha256());
                ppa.include()
                        .archive("trunk")
                        .series("noble")
                        .files(List.of(old))
                        .call();
                Path next = TinyDebs.write(Files.createDirectories(work.resolve("next" + i)), "old" + i, "2.0", 100);
                ppa.include()
                        .archive("trunk")
                        .series("noble")
                        .files(List.of(next))
                        .call();
            }
            Thread.sleep(2_500); // older than the grace below

            // Forty includes, each storing its files before its transaction commits, while gc runs again and again
            // with a grace of two seconds: it must take the garbage and none of the files being included.
            List<String> included = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.atomic.AtomicReference<Throwable> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread includer = new Thread(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        Path deb = TinyDebs.write(
                                Files.createDirectories(work.resolve("new" + i)), "new" + i, "1.0", 30_000);
                        ppa.include()
                                .archive("trunk")
                                .series("noble")
                                .files(List.of(deb))
                                .call();
                        included.add(Checksums.of(deb).sha256());
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            includer.start();
            java.util.Set<String> collected = new java.util.HashSet<>();
            int rounds = 0;
            while (includer.isAlive() || rounds == 0) {
                collected.addAll(
                        ppa.collectGarbage().grace(Duration.ofSeconds(2)).call().deleted());
                rounds++;
            }
            includer.join();
            assertThat(failed.get()).isNull();
            assertThat(rounds).isGreaterThan(1);
            assertThat(collected).containsExactlyInAnyOrderElementsOf(garbage);
            assertThat(included).hasSize(40);
            for (String sha : included) {
                assertThat(ppa.blobs().contains(sha)).as(sha).isTrue();
            }
            // Once they are older than the grace, the next collections still keep them: they are published.
            Thread.sleep(2_500);
            assertThat(ppa.collectGarbage().grace(Duration.ofSeconds(2)).call().files())
                    .isZero();
        }
    }

    @Test
    void supersededFilesGoOnceNoArchiveServesThem() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(settings(data))) {
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
