package org.ppaforge.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.archive.testing.TinyDebs;

/** {@code ppa du}: each archive's pool bytes, superseded ones apart, build environments, and what nothing names. */
@Timeout(120)
class DiskUsageTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Path deb(String version, int payload) throws Exception {
        return TinyDebs.write(work, "tool", version, payload);
    }

    @Test
    void eachArchivesPoolBuildEnvironmentsAndWhatNothingNames() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            var ppa = forge.archive();
            for (String a : List.of("trunk", "release")) {
                ppa.createArchive()
                        .name(a)
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            Path v1 = deb("1.0", 100_000);
            Path v2 = deb("2.0", 200_000);
            ppa.include().archive("trunk").series("noble").files(List.of(v1)).call();
            ppa.include().archive("trunk").series("noble").files(List.of(v2)).call(); // 1.0 superseded
            ppa.include().archive("release").series("noble").files(List.of(v1)).call();
            Path chroot = Files.write(work.resolve("noble.tar.zst"), new byte[50_000]);
            forge.farm()
                    .createChroot()
                    .series("noble")
                    .architecture("amd64")
                    .tarball(chroot)
                    .call();
            // A file nothing names (an include that was rolled back, a collected publication).
            Path orphan = data.resolve("pool/sha256/ab/ab" + "0".repeat(62));
            Files.createDirectories(orphan.getParent());
            Files.write(orphan, new byte[7_000]);

            DiskUsage.Result r = DiskUsage.of(forge);
            long s1 = Files.size(v1);
            long s2 = Files.size(v2);
            assertThat(r.archives())
                    .containsExactly(
                            new StoreTx.PoolUsage("release", s1, s1), new StoreTx.PoolUsage("trunk", s2, s1 + s2));
            assertThat(r.unreferenced()).isEqualTo(7_000);
            assertThat(r.collectable()).isZero(); // all of it stored within the grace period
            assertThat(r.parts()).anySatisfy(p -> {
                assertThat(p.name()).isEqualTo("pool: build environments");
                assertThat(p.bytes()).isEqualTo(50_000);
            });
            assertThat(r.parts()).anySatisfy(p -> {
                assertThat(p.name()).isEqualTo("pool");
                assertThat(p.bytes()).isEqualTo(s1 + s2 + 50_000 + 7_000);
            });
            // Published trees link the pool's files: they count once, in the pool.
            assertThat(r.parts()).anySatisfy(p -> {
                assertThat(p.name()).isEqualTo("public");
                assertThat(p.bytes()).isLessThan(s1);
            });
        }
    }
}
