package org.ppaforge.archive.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.debian.pool.PoolPath;

/**
 * Keeps a published tree's {@code pool/} in step with what the archive publishes: files
 * are hard links into the content-addressed store (copies where links are impossible),
 * made once and remembered in a manifest, so a republish touches only what changed.
 * Files no longer published stay for the keep time (clients holding an older index still
 * download them), then go.
 *
 * <p>The manifest ({@code .pool-manifest}) has a line {@code path TAB sha256 TAB deadSince}
 * per file ({@code deadSince} 0 while published); a later line for a path replaces an
 * earlier one, and {@code path TAB - TAB 0} forgets it. A process that wrote the manifest
 * last keeps it in memory and only appends the lines that changed (a republish after one
 * include of a 20,000-file archive was spending most of its time rewriting 2 MB), and
 * rewrites it whole when the appended part has grown as large as the rest.
 */
final class PoolLinks {
    static final String MANIFEST = ".pool-manifest";
    private static final String FORGET = "-";

    record Result(int linked, int removed) {}

    private record Entry(String sha256, long deadSince) {}

    /**
     * What this process last wrote to a tree's manifest, valid while the file is unchanged (its time and size):
     * every path with its entry, the pool entries published then with their paths, and how many lines the file holds
     * (replaced ones included).
     */
    private static final class Remembered {
        FileTime written;
        long size;
        long lines;
        final Map<String, Entry> entries;
        final Map<IndexRows.PoolEntry, String> published;

        Remembered(Map<String, Entry> entries, Map<IndexRows.PoolEntry, String> published) {
            this.entries = entries;
            this.published = published;
        }
    }

    private static final Map<Path, Remembered> REMEMBERED = new ConcurrentHashMap<>();

    private PoolLinks() {}

    /** Drops what this process remembers of a tree, as a new process would start (for tests). */
    static void forget(Path tree) {
        REMEMBERED.remove(tree.resolve(MANIFEST).toAbsolutePath());
    }

    /**
     * The files of the tree's pool as this process last wrote them (path in the tree, such as {@code pool/main/h/...},
     * to SHA-256; files kept after they stopped being published included), or null when it does not know them (no
     * publish here yet, or another process wrote the manifest since). Asked under the tree's lock.
     */
    static Map<String, String> files(Path tree) throws IOException {
        Path manifest = tree.resolve(MANIFEST);
        Remembered mem = REMEMBERED.get(manifest.toAbsolutePath());
        if (mem == null
                || !Files.exists(manifest)
                || !Files.getLastModifiedTime(manifest).equals(mem.written)
                || Files.size(manifest) != mem.size) {
            return null;
        }
        Map<String, String> out = new HashMap<>(mem.entries.size() * 2);
        mem.entries.forEach((path, e) -> out.put(path, e.sha256()));
        return out;
    }

    static Result sync(Path tree, List<IndexRows.PoolEntry> needed, BlobStore blobs, Duration keep, Instant now)
            throws IOException {
        Path manifest = tree.resolve(MANIFEST);
        Path key = manifest.toAbsolutePath();
        Remembered mem = REMEMBERED.remove(key); // put back only when the manifest on disk says what it says
        boolean memValid = mem != null
                && Files.exists(manifest)
                && Files.getLastModifiedTime(manifest).equals(mem.written)
                && Files.size(manifest) == mem.size;
        return memValid
                ? incremental(tree, manifest, mem, needed, blobs, keep, now)
                : whole(tree, manifest, needed, blobs, keep, now);
    }

    /** A republish in the process that wrote the manifest last: works out and appends only what changed. */
    private static Result incremental(
            Path tree,
            Path manifest,
            Remembered mem,
            List<IndexRows.PoolEntry> needed,
            BlobStore blobs,
            Duration keep,
            Instant now)
            throws IOException {
        long nowSec = now.getEpochSecond();
        Set<IndexRows.PoolEntry> current = new HashSet<>(needed);
        Map<String, Entry> changed = new LinkedHashMap<>();
        Map<String, List<Object[]>> toPlace = new LinkedHashMap<>();
        Map<String, String> dirs = new HashMap<>();
        for (IndexRows.PoolEntry e : needed) {
            if (mem.published.containsKey(e)) {
                continue;
            }
            String path = path(e, dirs);
            mem.published.put(e, path);
            Entry before = mem.entries.get(path);
            if (before != null && before.sha256().equals(e.sha256()) && before.deadSince() == 0) {
                continue;
            }
            if (before == null || !before.sha256().equals(e.sha256())) {
                plan(toPlace, tree.resolve(path), e.sha256(), before != null);
            }
            changed.put(path, new Entry(e.sha256(), 0));
        }
        List<String> gone = new ArrayList<>();
        for (var it = mem.published.entrySet().iterator(); it.hasNext(); ) {
            var p = it.next();
            if (!current.contains(p.getKey())) {
                it.remove();
                gone.add(p.getValue());
            }
        }
        if (!gone.isEmpty()) {
            Set<String> live = new HashSet<>(mem.published.values()); // another record may still publish the same file
            for (String path : gone) {
                Entry en = mem.entries.get(path);
                if (en != null && en.deadSince() == 0 && !live.contains(path)) {
                    changed.put(path, new Entry(en.sha256(), nowSec));
                }
            }
        }
        int linked = place(toPlace, blobs);
        mem.entries.putAll(changed);
        int removed = 0;
        for (var it = mem.entries.entrySet().iterator(); it.hasNext(); ) {
            var o = it.next();
            long deadSince = o.getValue().deadSince();
            if (deadSince != 0 && nowSec - deadSince >= keep.toSeconds()) {
                Files.deleteIfExists(tree.resolve(o.getKey()));
                it.remove();
                changed.put(o.getKey(), null);
                removed++;
            }
        }
        save(manifest, mem, changed);
        remember(manifest, mem);
        return new Result(linked, removed);
    }

    /**
     * A first publish in this process (or after another process wrote the tree): reads the manifest, then appends what
     * changed as {@link #incremental} does (adding one package to a 20,000-file pool in a new process had rewritten the
     * whole 2 MB manifest), or writes it whole when it is new, ends in a line cut short, or is mostly replaced lines.
     */
    private static Result whole(
            Path tree, Path manifest, List<IndexRows.PoolEntry> needed, BlobStore blobs, Duration keep, Instant now)
            throws IOException {
        Files.deleteIfExists(tree.resolve(MANIFEST + ".state")); // kept by earlier versions
        boolean trusted = Files.exists(manifest);
        Manifest old = trusted ? read(manifest) : new Manifest(new LinkedHashMap<>(), 0, false);
        Map<String, Entry> next = new LinkedHashMap<>(old.entries().size() + needed.size());
        Map<IndexRows.PoolEntry, String> published = new HashMap<>(needed.size() * 2);
        Map<String, List<Object[]>> toPlace = new LinkedHashMap<>(); // directory -> [target, sha256, replace]
        Map<String, String> dirs = new HashMap<>();
        for (IndexRows.PoolEntry e : needed) {
            String path = path(e, dirs);
            published.put(e, path);
            if (next.containsKey(path)) {
                continue;
            }
            Entry before = old.entries().get(path);
            if (before == null || !before.sha256().equals(e.sha256()) || !trusted) {
                plan(
                        toPlace,
                        tree.resolve(path),
                        e.sha256(),
                        before != null && !before.sha256().equals(e.sha256()));
            }
            next.put(path, new Entry(e.sha256(), 0));
        }
        int linked = place(toPlace, blobs);
        int removed = 0;
        long nowSec = now.getEpochSecond();
        Map<String, Entry> changed = new LinkedHashMap<>();
        for (var o : old.entries().entrySet()) {
            if (next.containsKey(o.getKey())) {
                continue;
            }
            long deadSince =
                    o.getValue().deadSince() == 0 ? nowSec : o.getValue().deadSince();
            if (nowSec - deadSince >= keep.toSeconds()) {
                Files.deleteIfExists(tree.resolve(o.getKey()));
                changed.put(o.getKey(), null);
                removed++;
            } else {
                next.put(o.getKey(), new Entry(o.getValue().sha256(), deadSince));
            }
        }
        for (var n : next.entrySet()) {
            if (!n.getValue().equals(old.entries().get(n.getKey()))) {
                changed.put(n.getKey(), n.getValue());
            }
        }
        Remembered mem = new Remembered(next, published);
        if (!trusted || !old.endsWhole()) {
            writeWhole(manifest, mem);
        } else {
            mem.lines = old.lines();
            save(manifest, mem, changed);
        }
        remember(manifest, mem);
        return new Result(linked, removed);
    }

    /** A manifest as read: its entries, how many lines held them, and whether its last line is whole. */
    private record Manifest(Map<String, Entry> entries, long lines, boolean endsWhole) {}

    /** The manifest's entries: later lines replace earlier ones; a last line cut short (a crash while appending) is ignored. */
    private static Manifest read(Path manifest) throws IOException {
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        Map<String, Entry> entries = new LinkedHashMap<>(Math.max(16, text.length() / 60));
        int end = text.lastIndexOf('\n') + 1;
        long lines = 0;
        for (int at = 0; at < end; ) {
            int nl = text.indexOf('\n', at);
            int t1 = text.indexOf('\t', at);
            int t2 = t1 < 0 || t1 > nl ? -1 : text.indexOf('\t', t1 + 1);
            int t3 = t2 < 0 ? -1 : text.indexOf('\t', t2 + 1);
            if (t2 > 0 && t2 < nl && (t3 < 0 || t3 > nl)) {
                String path = text.substring(at, t1);
                String sha = text.substring(t1 + 1, t2);
                lines++;
                if (sha.equals(FORGET)) {
                    entries.remove(path);
                } else {
                    try {
                        entries.put(path, new Entry(sha, Long.parseLong(text, t2 + 1, nl, 10)));
                    } catch (NumberFormatException e) {
                        // not a line this class wrote: skipped
                    }
                }
            }
            at = nl + 1;
        }
        return new Manifest(entries, lines, end == text.length());
    }

    /**
     * Appends the changed lines (a null entry: the path is forgotten), or writes the manifest whole once the lines it
     * would hold outnumber twice its entries, plus 1,024.
     */
    private static void save(Path manifest, Remembered mem, Map<String, Entry> changed) throws IOException {
        if (changed.isEmpty()) {
            return;
        }
        if (mem.lines + changed.size() > 2L * mem.entries.size() + 1024) {
            writeWhole(manifest, mem);
        } else {
            append(manifest, changed);
            mem.lines += changed.size();
        }
    }

    private static void append(Path manifest, Map<String, Entry> changed) throws IOException {
        StringBuilder sb = new StringBuilder(changed.size() * 120);
        changed.forEach((p, en) -> line(sb, p, en));
        try (FileChannel ch = FileChannel.open(manifest, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private static void writeWhole(Path manifest, Remembered mem) throws IOException {
        StringBuilder sb = new StringBuilder(mem.entries.size() * 120);
        mem.entries.forEach((p, en) -> line(sb, p, en));
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(manifest, bytes);
        mem.lines = mem.entries.size();
    }

    private static void line(StringBuilder sb, String path, Entry en) {
        sb.append(path)
                .append('\t')
                .append(en == null ? FORGET : en.sha256())
                .append('\t')
                .append(en == null ? 0 : en.deadSince())
                .append('\n');
    }

    private static void remember(Path manifest, Remembered mem) throws IOException {
        mem.written = Files.getLastModifiedTime(manifest);
        mem.size = Files.size(manifest);
        REMEMBERED.put(manifest.toAbsolutePath(), mem);
    }

    /** Names were checked when they entered the archive: only the directory is worked out (once per source). */
    private static String path(IndexRows.PoolEntry e, Map<String, String> dirs) {
        return dirs.computeIfAbsent(
                        e.component() + "/" + e.source(), k -> PoolPath.directory(e.component(), e.source()))
                + "/" + e.filename();
    }

    private static void plan(Map<String, List<Object[]>> toPlace, Path target, String sha256, boolean replace) {
        toPlace.computeIfAbsent(target.getParent().toString(), k -> new ArrayList<>())
                .add(new Object[] {target, sha256, replace});
    }

    /** Places the planned files; returns how many were placed. */
    private static int place(Map<String, List<Object[]>> toPlace, BlobStore blobs) throws IOException {
        // A new archive links thousands of files into thousands of directories: system-call bound, so in parallel.
        AtomicInteger placed = new AtomicInteger();
        try {
            (toPlace.size() > 8 ? new ArrayList<>(toPlace.entrySet()).parallelStream() : toPlace.entrySet().stream())
                    .forEach(dir -> {
                        try {
                            Files.createDirectories(Path.of(dir.getKey()));
                            for (Object[] t : dir.getValue()) {
                                if (place((Path) t[0], (String) t[1], blobs, (Boolean) t[2])) {
                                    placed.incrementAndGet();
                                }
                            }
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    });
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        return placed.get();
    }

    /** Links the blob at {@code target}; true when a file was placed. */
    private static boolean place(Path target, String sha256, BlobStore blobs, boolean replace) throws IOException {
        Path blob = blobs.localPath(sha256);
        if (!replace && blob != null) {
            try {
                Files.createLink(target, blob); // the common case: one system call, no temporary name
                return true;
            } catch (FileAlreadyExistsException e) {
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
        Path tmp = target.resolveSibling(
                ".tmp-" + target.getFileName() + "-" + ProcessHandle.current().pid());
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
