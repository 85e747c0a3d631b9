package org.ppaforge.archive.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.blob.FileBlobStore;
import org.ppaforge.archive.store.IndexRows.PoolEntry;

/** The pool manifest: appended in a process that wrote it last, read back whole by a new one, with the same result. */
class PoolLinksTest {
    @TempDir
    Path dir;

    private PoolEntry entry(FileBlobStore blobs, String source, String file) throws Exception {
        byte[] content = (source + "/" + file).getBytes(StandardCharsets.UTF_8);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path tmp = Files.write(dir.resolve("in-" + file), content);
        blobs.put(tmp, sha);
        return new PoolEntry("main", source, file, sha);
    }

    @Test
    void appendsChangesAndANewProcessReadsTheSameState() throws Exception {
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"));
        Path tree = dir.resolve("tree");
        Duration keep = Duration.ofHours(1);
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        PoolEntry a = entry(blobs, "alpha", "alpha_1.0-1_amd64.deb");
        PoolEntry b = entry(blobs, "beta", "beta_1.0-1_amd64.deb");
        PoolEntry c = entry(blobs, "libgamma", "libgamma_2.0-1_amd64.deb");

        assertThat(PoolLinks.sync(tree, List.of(a, b), blobs, keep, t0)).isEqualTo(new PoolLinks.Result(2, 0));
        long wholeSize = Files.size(tree.resolve(PoolLinks.MANIFEST));
        // In the same process: c is added, b stops being published but stays for the keep time.
        assertThat(PoolLinks.sync(tree, List.of(a, c), blobs, keep, t0.plusSeconds(10)))
                .isEqualTo(new PoolLinks.Result(1, 0));
        assertThat(tree.resolve("pool/main/libg/libgamma/libgamma_2.0-1_amd64.deb"))
                .hasContent("libgamma/libgamma_2.0-1_amd64.deb");
        assertThat(tree.resolve("pool/main/b/beta/beta_1.0-1_amd64.deb")).exists();
        String manifest = Files.readString(tree.resolve(PoolLinks.MANIFEST));
        assertThat(manifest.length()).isGreaterThan((int) wholeSize); // appended, not rewritten
        assertThat(manifest)
                .endsWith("pool/main/b/beta/beta_1.0-1_amd64.deb\t" + b.sha256() + "\t"
                        + t0.plusSeconds(10).getEpochSecond() + "\n");
        // Nothing changed: nothing appended.
        assertThat(PoolLinks.sync(tree, List.of(c, a), blobs, keep, t0.plusSeconds(20)))
                .isEqualTo(new PoolLinks.Result(0, 0));
        assertThat(Files.readString(tree.resolve(PoolLinks.MANIFEST))).isEqualTo(manifest);

        // A crash while appending leaves half a line: a new process ignores it.
        Files.writeString(
                tree.resolve(PoolLinks.MANIFEST),
                "pool/main/b/beta/beta_1.0-1_amd64.deb\t-",
                StandardOpenOption.APPEND);
        PoolLinks.forget(tree);
        // A new process after the keep time: b goes, and the manifest is written whole again.
        assertThat(PoolLinks.sync(tree, List.of(a, c), blobs, keep, t0.plusSeconds(3700)))
                .isEqualTo(new PoolLinks.Result(0, 1));
        assertThat(tree.resolve("pool/main/b/beta/beta_1.0-1_amd64.deb")).doesNotExist();
        assertThat(Files.readAllLines(tree.resolve(PoolLinks.MANIFEST)))
                .containsExactly(
                        "pool/main/a/alpha/alpha_1.0-1_amd64.deb\t" + a.sha256() + "\t0",
                        "pool/main/libg/libgamma/libgamma_2.0-1_amd64.deb\t" + c.sha256() + "\t0");

        // Expiry in the process that remembers the manifest: the forgotten line is appended.
        assertThat(PoolLinks.sync(tree, List.of(c), blobs, keep, t0.plusSeconds(3800)))
                .isEqualTo(new PoolLinks.Result(0, 0));
        assertThat(PoolLinks.sync(tree, List.of(c), blobs, keep, t0.plusSeconds(7500)))
                .isEqualTo(new PoolLinks.Result(0, 1));
        assertThat(tree.resolve("pool/main/a/alpha/alpha_1.0-1_amd64.deb")).doesNotExist();
        assertThat(Files.readString(tree.resolve(PoolLinks.MANIFEST)))
                .endsWith("pool/main/a/alpha/alpha_1.0-1_amd64.deb\t-\t0\n");
        PoolLinks.forget(tree);
        // Re-publishing a forgotten file in a new process links it again and appends its line, not the whole file.
        String before = Files.readString(tree.resolve(PoolLinks.MANIFEST));
        assertThat(PoolLinks.sync(tree, List.of(c, a), blobs, keep, t0.plusSeconds(7600)))
                .isEqualTo(new PoolLinks.Result(1, 0));
        assertThat(tree.resolve("pool/main/a/alpha/alpha_1.0-1_amd64.deb")).hasContent("alpha/alpha_1.0-1_amd64.deb");
        assertThat(Files.readString(tree.resolve(PoolLinks.MANIFEST)))
                .isEqualTo(before + "pool/main/a/alpha/alpha_1.0-1_amd64.deb\t" + a.sha256() + "\t0\n");
        // A new process with nothing changed writes nothing; one that stops publishing c marks it dead by a line.
        PoolLinks.forget(tree);
        String now = Files.readString(tree.resolve(PoolLinks.MANIFEST));
        assertThat(PoolLinks.sync(tree, List.of(a, c), blobs, keep, t0.plusSeconds(7700)))
                .isEqualTo(new PoolLinks.Result(0, 0));
        assertThat(Files.readString(tree.resolve(PoolLinks.MANIFEST))).isEqualTo(now);
        PoolLinks.forget(tree);
        assertThat(PoolLinks.sync(tree, List.of(a), blobs, keep, t0.plusSeconds(7800)))
                .isEqualTo(new PoolLinks.Result(0, 0));
        assertThat(Files.readString(tree.resolve(PoolLinks.MANIFEST)))
                .isEqualTo(now + "pool/main/libg/libgamma/libgamma_2.0-1_amd64.deb\t" + c.sha256() + "\t"
                        + t0.plusSeconds(7800).getEpochSecond() + "\n");
        assertThat(tree.resolve("pool/main/libg/libgamma/libgamma_2.0-1_amd64.deb"))
                .exists(); // kept for an hour
    }

    @Test
    void aManifestMostlyOfReplacedLinesIsWrittenWholeByANewProcess() throws Exception {
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"));
        Path tree = dir.resolve("tree");
        Duration keep = Duration.ZERO;
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        PoolEntry a = entry(blobs, "alpha", "alpha_1.0-1_amd64.deb");
        PoolEntry b = entry(blobs, "beta", "beta_1.0-1_amd64.deb");
        PoolLinks.sync(tree, List.of(a), blobs, keep, t0);
        int most = 0;
        boolean shrank = false;
        int before = 1;
        for (int i = 1; i <= 1400; i++) { // b comes and goes, a line each time, each time in a new process
            PoolLinks.forget(tree);
            PoolLinks.sync(tree, i % 2 == 1 ? List.of(a, b) : List.of(a), blobs, keep, t0.plusSeconds(i));
            int lines = Files.readAllLines(tree.resolve(PoolLinks.MANIFEST)).size();
            most = Math.max(most, lines);
            shrank |= lines < before;
            before = lines;
        }
        assertThat(shrank).isTrue();
        assertThat(most).isLessThan(1100); // bounded: twice the entries, plus at most about a thousand lines
        PoolLinks.forget(tree);
        PoolLinks.sync(tree, List.of(a), blobs, keep, t0.plusSeconds(2000));
        assertThat(tree.resolve("pool/main/b/beta/beta_1.0-1_amd64.deb")).doesNotExist();
        assertThat(tree.resolve("pool/main/a/alpha/alpha_1.0-1_amd64.deb")).exists();
    }
}
