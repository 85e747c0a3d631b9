package org.ppaforge.archive.publish;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Built chunks on disk, named by the key of what they hold, so a republish (in this
 * process or the next {@code ppa} call) reuses every chunk whose entries did not change.
 * A damaged file is treated as missing and rebuilt.
 */
final class ChunkCache {
    private final Path dir;
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    ChunkCache(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Chunk get(String key) {
        used.add(key);
        try {
            return Chunk.decode(Files.readAllBytes(dir.resolve(key)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    void put(String key, Chunk chunk) throws IOException {
        used.add(key);
        Path tmp = dir.resolve(key + ".tmp-" + Thread.currentThread().getId());
        Files.write(tmp, chunk.encode());
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    byte[] getRaw(String key) {
        used.add(key);
        try {
            return Files.readAllBytes(dir.resolve(key));
        } catch (IOException e) {
            return null;
        }
    }

    void putRaw(String key, byte[] data) throws IOException {
        used.add(key);
        Path tmp = dir.resolve(key + ".tmp-" + Thread.currentThread().getId());
        Files.write(tmp, data);
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes every cached file this publish did not use; returns how many. */
    int removeUnused() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!used.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }
}
