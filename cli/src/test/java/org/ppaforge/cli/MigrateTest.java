package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.common.testing.TestPostgres;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * {@code ppa migrate} as a real process, a round trip: an embedded installation (archives, a source and binaries, its
 * build rows, tokens, a passphrase-protected key) to PostgreSQL + S3 and back into a new data directory gives the same
 * Packages and Sources; a second run finds everything there and copies nothing.
 */
@Timeout(600)
class MigrateTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private PpaProcesses.Result ppa(Path data, String... args) throws Exception {
        ProcessBuilder pb = PpaProcesses.ppa(data, args);
        pb.environment().remove("PPAFORGE_TOKEN");
        pb.environment().remove("PPAFORGE_DATABASE");
        pb.environment().remove("PPAFORGE_BLOBS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new PpaProcesses.Result(p.exitValue(), out, err);
    }

    @Test
    void embeddedToSharedAndBackGivesTheSameTrees() throws Exception {
        String passphrase = "migrated keys";
        env.putAll(TestS3.server().environment());
        env.put("PPAFORGE_KEY_PASSPHRASE", passphrase);
        env.put("HOME", dir.toString());
        Path first = dir.resolve("first");
        // The embedded default as most run it: keys without a passphrase (migrate protects them on the way in).
        try (Forge f = Forge.open(ForgeConfig.of(first).withArchive(ArchiveSettings.of(first)))) {
            var ppa = f.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("release")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            Path work = Files.createDirectories(dir.resolve("work"));
            for (int i = 0; i < 5; i++) {
                ppa.include()
                        .archive("trunk")
                        .series("noble")
                        .files(List.of(TinyDebs.write(work, "tool" + i, "1:2.0~rc" + i + "+dfsg-1", 1000 + i)))
                        .call();
            }
            ppa.include()
                    .archive("trunk")
                    .series("noble")
                    .files(List.of(SourcePackages.buildSourceUpload(work, "hello", "2.10", "3", "noble")))
                    .call();
            f.farm().queue().archive("trunk").call(); // the source's builds: rows of the build store
            ppa.copy()
                    .from("trunk")
                    .to("release")
                    .sources(List.of("tool1"))
                    .withBinaries(true)
                    .call();
            ppa.createToken().name("uploader").role("uploader").archive("trunk").call();
            f.pipelines()
                    .create()
                    .name("nightly")
                    .git("https://git.example/tool.git")
                    .call();
        }
        String pipelineKey;
        try (Forge f = Forge.open(ForgeConfig.of(first).withArchive(ArchiveSettings.of(first)))) {
            pipelineKey = f.pipelines().publicKey("nightly");
        }
        String database = TestPostgres.freshDatabase();
        String bucket = TestS3.freshBucket();

        var there = ppa(first, "migrate", "--to-database", database, "--to-blobs", bucket, "--json");
        assertThat(there.exit()).as(there.err()).isZero();
        assertThat(there.out()).contains("\"rowsCopied\"").contains("trunk/dists/noble/main/source/Sources");
        assertThat(there.out())
                .containsPattern("\"build\" : 1\\b")
                .containsPattern("\"source_publication\" : 7\\b")
                .containsPattern("\"keys\" : 3\\b"); // two archives' keys and the pipeline's

        var again = ppa(first, "migrate", "--to-database", database, "--to-blobs", bucket);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("(0 rows copied now), 0 pool files");

        Path back = dir.resolve("back");
        var home = ppa(
                dir.resolve("unused"),
                "migrate",
                "--database",
                database,
                "--blobs",
                bucket,
                "--to-data-dir",
                back.toString());
        assertThat(home.exit()).as(home.err()).isZero();

        List<Path> indices = new ArrayList<>();
        try (Stream<Path> s = Files.walk(first.resolve("public"))) {
            s.filter(p -> p.getFileName().toString().matches("Packages|Sources"))
                    .filter(p -> !p.toString().contains("by-hash"))
                    .forEach(indices::add);
        }
        assertThat(indices).hasSizeGreaterThanOrEqualTo(4);
        for (Path f : indices) {
            Path other = back.resolve("public").resolve(first.resolve("public").relativize(f));
            assertThat(other).as(other.toString()).exists();
            assertThat(Files.mismatch(f, other)).as(f + " vs " + other).isEqualTo(-1);
        }
        assertThat(Files.readString(back.resolve("public/trunk/dists/noble/main/source/Sources")))
                .contains("Package: hello");
        assertThat(back.resolve("ppaforge.db")).exists();
        // The pipeline's key came back (its public part as before), and in the shared database keys were protected.
        try (Forge f = Forge.open(ForgeConfig.of(back)
                .withArchive(ArchiveSettings.of(back).withKeyPassphrase(passphrase.toCharArray())))) {
            assertThat(f.pipelines().publicKey("nightly")).isEqualTo(pipelineKey);
            var ring = f.pipelines().secretKey("nightly");
            assertThat(ring.getSecretKey().getKeyEncryptionAlgorithm()).isNotZero();
        }
        assertThat(back.resolve("pool")).exists();
        // The new embedded installation works on its own: it lists what came over.
        var list = ppa(back, "list", "trunk");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("tool4").contains("1:2.0~rc4+dfsg-1").contains("hello");
    }
}
