package org.ppaforge.archive.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.debian.pool.PoolPath;

/**
 * Keeps a published tree's {@code pool/} in step with what the archive publishes: files
 * are hard links into the content-addressed store (copies where links are impossible),
 * made once and remembered in a manifest, so a republish touches only what changed.
 * Files no longer published stay for the keep time (clients holding an older index still
 * download them), then go.
 */
final class PoolLinks {
    static final String MANIFEST = ".pool-manifest";

    record Result(int linked, int removed) {
    }

    private record Entry(String sha256, long deadSince) {
    }

    /** What this process last wrote to a tree's manifest, valid while the file is unchanged (its time and size). */
    private record Remembered(java.nio.file.attribute.FileTime written, long size, Map<String, Entry> entries) {
    }

    private static final Map<Path, Remembered> REMEMBERED = new java.util.concurrent.ConcurrentHashMap<>();

    private PoolLinks() {
    }

    static Result sync(Path tree, List<IndexRows.PoolEntry> needed, BlobStore blobs, Duration keep, Instant now) throws IOException {
        Path manifest = tree.resolve(MANIFEST);
        Path state = tree.resolve(MANIFEST + ".state");
        Remembered mem = REMEMBERED.get(manifest.toAbsolutePath());
        boolean memValid = mem != null && Files.exists(manifest) && Files.getLastModifiedTime(manifest).equals(mem.written())
                && Files.size(manifest) == mem.size();
        // Fast path: the same entries as last time and nothing waiting to expire: nothing to do.
        java.security.MessageDigest d = IndexBuilder.sha256();
        for (IndexRows.PoolEntry e : memValid ? List.<IndexRows.PoolEntry>of() : needed) {
            d.update((e.component() + '/' + e.source() + '/' + e.filename() + ' ' + e.sha256() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        String digest = java.util.HexFormat.of().formatHex(d.digest());
        if (!memValid && Files.exists(state) && Files.exists(manifest)) {
            String[] st = Files.readString(state).strip().split(" ");
            if (st.length == 2 && st[0].equals(digest) && (st[1].equals("0") || now.getEpochSecond() < Long.parseLong(st[1]))) {
                return new Result(0, 0);
            }
        }
        Map<String, Entry> old = memValid ? mem.entries() : new LinkedHashMap<>();
        boolean trusted = Files.exists(manifest);
        if (trusted && !memValid) {
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    old.put(f[0], new Entry(f[1], Long.parseLong(f[2])));
                }
            }
        }
        Map<String, Entry> next = new LinkedHashMap<>();
        Map<String, List<Object[]>> toPlace = new LinkedHashMap<>(); // directory -> [target, sha256, replace]
        Map<String, String> dirs = new java.util.HashMap<>();
        for (IndexRows.PoolEntry e : needed) {
            // Names were checked when they entered the archive: only the directory is worked out (once per source).
            String path = dirs.computeIfAbsent(e.component() + "/" + e.source(), k -> PoolPath.directory(e.component(), e.source()))
                    + "/" + e.filename();
            if (next.containsKey(path)) {
                continue;
            }
            Entry before = old.get(path);
            if (before == null || !before.sha256().equals(e.sha256()) || !trusted) {
                Path target = tree.resolve(path);
                toPlace.computeIfAbsent(target.getParent().toString(), k -> new ArrayList<>())
                        .add(new Object[] {target, e.sha256(), before != null && !before.sha256().equals(e.sha256())});
            }
            next.put(path, new Entry(e.sha256(), 0));
        }
        // A new archive links thousands of files into thousands of directories: system-call bound, so in parallel.
        java.util.concurrent.atomic.AtomicInteger placed = new java.util.concurrent.atomic.AtomicInteger();
        try {
            new ArrayList<>(toPlace.entrySet()).parallelStream().forEach(dir -> {
                try {
                    Files.createDirectories(Path.of(dir.getKey()));
                    for (Object[] t : dir.getValue()) {
                        if (place((Path) t[0], (String) t[1], blobs, (Boolean) t[2])) {
                            placed.incrementAndGet();
                        }
                    }
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        } catch (java.io.UncheckedIOException ex) {
            throw ex.getCause();
        }
        int linked = placed.get();
        int removed = 0;
        long nowSec = now.getEpochSecond();
        for (var o : old.entrySet()) {
            if (next.containsKey(o.getKey())) {
                continue;
            }
            long deadSince = o.getValue().deadSince() == 0 ? nowSec : o.getValue().deadSince();
            if (nowSec - deadSince >= keep.toSeconds()) {
                Files.deleteIfExists(tree.resolve(o.getKey()));
                removed++;
            } else {
                next.put(o.getKey(), new Entry(o.getValue().sha256(), deadSince));
            }
        }
        long nextExpiry = 0;
        for (Entry en : next.values()) {
            if (en.deadSince() != 0) {
                long exp = en.deadSince() + keep.toSeconds();
                nextExpiry = nextExpiry == 0 ? exp : Math.min(nextExpiry, exp);
            }
        }
        StringBuilder sb = new StringBuilder(next.size() * 120);
        next.forEach((p, en) -> sb.append(p).append('\t').append(en.sha256()).append('\t').append(en.deadSince()).append('\n'));
        AtomicFiles.write(manifest, sb.toString().getBytes(StandardCharsets.UTF_8));
        REMEMBERED.put(manifest.toAbsolutePath(), new Remembered(Files.getLastModifiedTime(manifest), Files.size(manifest), next));
        if (memValid) {
            Files.deleteIfExists(state); // its digest was not worked out: the next process reads the manifest
        } else {
            AtomicFiles.write(state, (digest + " " + nextExpiry + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return new Result(linked, removed);
    }

    /** Links the blob at {@code target}; true when a file was placed. */
    private static boolean place(Path target, String sha256, BlobStore blobs, boolean replace) throws IOException {
        Path blob = blobs.localPath(sha256);
        if (!replace && blob != null) {
            try {
                Files.createLink(target, blob); // the common case: one system call, no temporary name
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false; // placed before (a manifest lost or rebuilt)
            } catch (NoSuchFileException e) {
                if (!Files.exists(blob)) {
                    throw new NoSuchFileException(blob + " (pool content " + sha256 + " is missing from the store)");
                }
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                // another file system, or no links: fall through to a copy
            }
        }
        if (!replace && Files.exists(target)) {
            return false;
        }
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName() + "-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        try {
            if (blob == null) {
                throw new UnsupportedOperationException("the store keeps no local files");
            }
            Files.createLink(tmp, blob);
        } catch (IOException | UnsupportedOperationException e) {
            try (var in = blobs.open(sha256)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}
