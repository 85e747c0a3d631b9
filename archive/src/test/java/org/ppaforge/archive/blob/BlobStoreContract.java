package org.ppaforge.archive.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.store.BlobStore;

/** What every blob store does, run against the directory pool and against S3 (s3proxy). */
@Timeout(300)
abstract class BlobStoreContract {
    @TempDir
    Path work;

    abstract BlobStore store() throws Exception;

    static String sha256(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    Path file(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(work.resolve(name), b);
    }

    @Test
    void aBlobGoesInOnceAndComesBackByteForByte() throws Exception {
        BlobStore s = store();
        s.check();
        Path f = file("small", 10_000, 1);
        String sha = sha256(f);
        assertThat(s.contains(sha)).isFalse();
        s.put(f, sha);
        s.put(f, sha); // again: a no-op
        assertThat(s.contains(sha)).isTrue();
        try (InputStream in = s.open(sha)) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(f));
        }
        assertThat(Files.readAllBytes(s.localPath(sha))).isEqualTo(Files.readAllBytes(f));
        List<BlobStore.Stored> all = new ArrayList<>();
        s.forEach(all::add);
        assertThat(all).singleElement().satisfies(b -> {
            assertThat(b.sha256()).isEqualTo(sha);
            assertThat(b.size()).isEqualTo(10_000);
            assertThat(b.storedAt()).isNotNull();
        });
        s.delete(sha);
        assertThat(s.contains(sha)).isFalse();
        assertThatThrownBy(() -> s.open(sha))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(sha);
        assertThat(s.localPath(sha)).doesNotExist();
        s.delete(sha); // a missing blob: a no-op
    }

    /** Larger than one S3 part: a multipart upload there, read back whole and through the local copy. */
    @Test
    void aFileLargerThanOnePartGoesInWhole() throws Exception {
        BlobStore s = store();
        Path f = file("large", (int) (S3BlobStore.PART_SIZE * 2 + 12345), 2);
        String sha = sha256(f);
        s.put(f, sha);
        Path copy = work.resolve("back");
        try (InputStream in = s.open(sha)) {
            Files.copy(in, copy);
        }
        assertThat(sha256(copy)).isEqualTo(sha);
        assertThat(sha256(s.localPath(sha))).isEqualTo(sha);
    }

    @Test
    void namesThatAreNotSha256AreRefused() throws Exception {
        BlobStore s = store();
        Path f = file("x", 10, 3);
        for (String bad : List.of("../../etc/passwd", "ABCDEF", "0".repeat(63) + "/", "")) {
            assertThatThrownBy(() -> s.put(f, bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.open(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void manyWritersOfTheSameAndOfDifferentBlobs() throws Exception {
        BlobStore s = store();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.add(file("f" + i, 1000 + i, i % 5)); // five distinct contents of different lengths
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (Path f : files) {
                puts.add(pool.submit(() -> {
                    s.put(f, sha256(f));
                    return null;
                }));
            }
            for (Future<?> p : puts) {
                p.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<BlobStore.Stored> all = new ArrayList<>();
        s.forEach(all::add);
        assertThat(all).hasSize(20);
        for (Path f : files) {
            try (InputStream in = s.open(sha256(f))) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(f));
            }
        }
    }
}
