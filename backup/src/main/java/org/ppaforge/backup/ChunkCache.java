package org.ppaforge.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The table chunks the last backup to a target sent, each with the blob that holds it, kept in the data directory's
 * {@code cache/} (never backed up): a chunk whose bytes are the same as last time takes its blob's name from here
 * instead of being hashed and compressed again, which was most of a backup after a small change (a 30 MB database
 * read again in full). The bytes are compared whole, so a hit is never wrong; the cache is kept per target (blob names
 * are keyed), and the blob must still be in the target. Losing the cache costs time only.
 */
final class ChunkCache {
    private final Path dir;

    /** The cache of {@code dataDir} for the target whose keys are {@code keys}. */
    ChunkCache(Path dataDir, Keys keys) {
        String target = keys.name(CreateBackup.sha256("ppaforge backup target".getBytes(StandardCharsets.US_ASCII)));
        this.dir = dataDir.resolve("cache").resolve("backup-chunks").resolve(target.substring(0, 16));
    }

    private Path file(String key) {
        return dir.resolve(HexFormat.of().formatHex(CreateBackup.sha256(key.getBytes(StandardCharsets.UTF_8))));
    }

    /** The blob name the same bytes had under this key last time, or null. */
    String get(String key, byte[] chunk) {
        try {
            byte[] cached = Files.readAllBytes(file(key));
            if (cached.length == 65 + chunk.length
                    && cached[64] == '\n'
                    && Arrays.equals(cached, 65, cached.length, chunk, 0, chunk.length)) {
                return new String(cached, 0, 64, StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            // not cached (or unreadable): hashed again
        }
        return null;
    }

    /** Remembers the chunk's bytes and its blob. */
    void put(String key, byte[] chunk, String blob) {
        try {
            Files.createDirectories(dir);
            Path f = file(key);
            Path tmp = f.resolveSibling(
                    f.getFileName() + ".tmp-" + Thread.currentThread().getId());
            try (var out = Files.newOutputStream(tmp)) {
                out.write(blob.getBytes(StandardCharsets.US_ASCII));
                out.write('\n');
                out.write(chunk);
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a cache: the next backup hashes this chunk again
        }
    }
}
