package org.ppaforge.archive.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Built chunks on disk, named by the key of what they hold, so a republish (in this
 * process or the next {@code ppa} call) reuses every chunk whose entries did not change.
 * A damaged file is treated as missing and rebuilt.
 */
final class ChunkCache {
    /**
     * Recently used chunks of this process (a server, a pipeline runner), least recently used
     * dropped past the budget ({@code ppaforge.publish.memory}, MB, default 256): a republish
     * in a running process then reads no chunk from disk.
     */
    private static final long BUDGET = Long.getLong("ppaforge.publish.memory", 256) << 20;

    private static final LinkedHashMap<String, Chunk> MEMORY = new LinkedHashMap<>(1024, 0.75f, true);
    private static long memoryBytes;

    private final Path dir;
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    ChunkCache(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** Keys are unique within one data directory (they name its rows), not across them. */
    private String memoryKey(String key) {
        return dir + "\0" + key;
    }

    /** Marks chunks as in use without reading them (an index reused whole). */
    void touch(List<String> keys) {
        used.addAll(keys);
    }

    private static long size(Chunk c) {
        return c.plain().length + c.gz().length + (c.xz() == null ? 0 : c.xz().bytes().length) + 64;
    }

    private static void remember(String key, Chunk c) {
        if (BUDGET <= 0) {
            return;
        }
        synchronized (MEMORY) {
            Chunk old = MEMORY.put(key, c);
            memoryBytes += size(c) - (old == null ? 0 : size(old));
            var it = MEMORY.entrySet().iterator();
            while (memoryBytes > BUDGET && it.hasNext()) {
                memoryBytes -= size(it.next().getValue());
                it.remove();
            }
        }
    }

    Chunk get(String key) {
        used.add(key);
        synchronized (MEMORY) {
            Chunk c = MEMORY.get(memoryKey(key));
            if (c != null) {
                return c;
            }
        }
        try {
            Chunk c = Chunk.decode(Files.readAllBytes(dir.resolve(key)));
            if (c != null) {
                remember(memoryKey(key), c);
            }
            return c;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    void put(String key, Chunk chunk) throws IOException {
        remember(memoryKey(key), chunk);
        putRaw(key, chunk.encode());
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
        AtomicFiles.write(dir.resolve(key), data);
    }

    /**
     * Records what {@code archive}'s whole publish used, then deletes every cached file that
     * no archive's last publish used (the cache is shared: a copy between archives reuses
     * the source archive's chunks). Returns how many files went.
     */
    int removeUnused(String archive) throws IOException {
        Path usedDir = dir.resolve("used");
        Files.createDirectories(usedDir);
        AtomicFiles.write(usedDir.resolve(archive), String.join("\n", used).getBytes(StandardCharsets.UTF_8));
        Set<String> keep = new HashSet<>(used);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(usedDir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".")) {
                    keep.addAll(Files.readAllLines(p));
                }
            }
        }
        int removed = 0;
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                // Files younger than an hour may belong to a publish of another archive running now.
                if (!name.equals("used")
                        && !keep.contains(name)
                        && Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }
}
