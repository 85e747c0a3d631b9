package org.ppaforge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;

/**
 * Backs up a data directory: every database dumped by table from a consistent snapshot, then every file kept, each
 * chunk and file stored once by content (an object already in the target is not sent again, so every backup costs
 * what changed and is still whole), and the snapshot written last. Taken while {@code ppa serve} runs: the databases
 * first, then the files, so every file a row names was written before the row and is there. A backup killed at any
 * point leaves whole objects only; the next one sends what is missing.
 */
public final class CreateBackup {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Backups backups;
    private Path dataDir;
    private Consumer<Progress> progress = p -> {};
    private Instant now = Instant.now();
    private long packSize = Packs.PACK_SIZE;
    private Consumer<String> reached = point -> {};

    /** What a backup has done so far: objects looked at and sent, bytes read and sent. */
    public record Progress(String what, long filesDone, long files, long bytesRead, long objectsSent, long bytesSent) {}

    /** What one backup did. */
    public record Result(Snapshot snapshot, long files, long bytes, long objectsSent, long bytesSent) {}

    CreateBackup(Backups backups) {
        this.backups = backups;
    }

    public CreateBackup dataDirectory(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    public CreateBackup progress(Consumer<Progress> progress) {
        this.progress = progress;
        return this;
    }

    public CreateBackup now(Instant now) {
        this.now = now;
        return this;
    }

    /** Told of named points as the backup reaches them ("backup-pack-written"): a crash test kills the process there. */
    public CreateBackup reached(Consumer<String> reached) {
        this.reached = reached;
        return this;
    }

    /** Packs of about this many bytes (tests make one pack per blob). */
    CreateBackup packSize(long packSize) {
        this.packSize = packSize;
        return this;
    }

    public Result call() throws IOException {
        if (dataDir == null || !Files.isDirectory(dataDir)) {
            throw ForgeException.notFound("no data directory " + dataDir);
        }
        Keys keys = backups.keys(true);
        Target target = backups.target;
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        String id = Snapshot.ID_TIME.format(now) + "-" + HexFormat.of().formatHex(r);
        Locks.checkNoPrune(target);
        target.put("locks/" + id, Instant.now().toString().getBytes(StandardCharsets.US_ASCII));
        try {
            if (target instanceof DirectoryTarget d) {
                d.sweep();
            }
            Packs packs = Packs.load(target, keys).packSize(packSize).reached(reached);
            HashCache hashes = new HashCache(dataDir.resolve("cache").resolve("backup-hashes"));
            Sender sender = new Sender(keys, packs, hashes, new ChunkCache(dataDir, keys));
            List<Snapshot.FileEntry> files;
            List<Snapshot.TableEntry> tables;
            DataDirectory data = new DataDirectory(dataDir);
            // The databases' read transactions begin before any file is looked at: every file a row names was written
            // before the row committed, so it is there. The tables are then read by a second thread while this one
            // goes over the files.
            List<TableDump.Reader> readers = new ArrayList<>();
            ExecutorService dumper = Executors.newSingleThreadExecutor(r2 -> {
                Thread t = new Thread(r2, "backup-tables");
                t.setDaemon(true);
                return t;
            });
            try {
                for (Path db : data.databases()) {
                    readers.add(new TableDump.Reader(db, db.getFileName().toString()));
                }
                progress.accept(sender.progress("databases", 0, 0));
                Future<List<Snapshot.TableEntry>> dumped = dumper.submit(() -> {
                    List<Snapshot.TableEntry> all = new ArrayList<>();
                    for (TableDump.Reader reader : readers) {
                        all.addAll(reader.dump(sender::send));
                    }
                    return all;
                });
                files = backUpFiles(data, sender);
                tables = result(dumped);
            } finally {
                stop(dumper); // a failed backup writes nothing more once it has returned (its lock goes next)
                readers.forEach(TableDump.Reader::close);
            }
            packs.flush();
            Snapshot snapshot = new Snapshot(id, now, Snapshot.FORMAT, files, tables);
            byte[] sealed = keys.sealing().seal(Zlib.compress(Backups.JSON.writeValueAsBytes(snapshot)), "snapshot");
            target.sync(); // every object on the disk before the snapshot that names them
            target.put("snapshots/" + id, sealed); // last: the backup exists from here on
            target.sync();
            hashes.save();
            return new Result(snapshot, files.size(), snapshot.bytes(), sender.sent.get(), packs.bytesWritten);
        } finally {
            target.delete("locks/" + id);
        }
    }

    /**
     * Every file, by as many threads as there are processors (reading, hashing and sealing are each thread's own; a
     * pack is appended to under its lock), this one among them and the only one that reports progress.
     */
    private List<Snapshot.FileEntry> backUpFiles(DataDirectory data, Sender sender) throws IOException {
        List<Map.Entry<String, PosixFileAttributes>> paths =
                new ArrayList<>(data.files().entrySet());
        Snapshot.FileEntry[] files = new Snapshot.FileEntry[paths.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        class Work {
            void run(boolean reports) throws IOException {
                for (int i; (i = next.getAndIncrement()) < files.length; ) {
                    String rel = paths.get(i).getKey();
                    PosixFileAttributes a = paths.get(i).getValue();
                    try {
                        String object = a.size() == 0 ? null : sender.send(rel, dataDir.resolve(rel), a);
                        files[i] = new Snapshot.FileEntry(
                                rel,
                                a.size(),
                                PosixFilePermissions.toString(a.permissions()),
                                a.lastModifiedTime().toInstant(),
                                object);
                    } catch (NoSuchFileException gone) {
                        // gone since the walk (a finished upload left the queue)
                    }
                    int n = done.incrementAndGet();
                    if (reports) {
                        progress.accept(sender.progress(rel, n, files.length));
                    }
                }
            }
        }
        Work work = new Work();
        int helpers = Runtime.getRuntime().availableProcessors() - 1;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, helpers), r -> {
            Thread t = new Thread(r, "backup-files");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> helping = new ArrayList<>();
            for (int h = 0; h < helpers; h++) {
                helping.add(pool.submit(() -> {
                    work.run(false);
                    return null;
                }));
            }
            try {
                work.run(true);
            } finally {
                next.set(files.length); // on a failure here, the helpers stop after the file at hand
                for (Future<Void> f : helping) {
                    result(f);
                }
            }
        } finally {
            stop(pool);
        }
        return Arrays.stream(files).filter(f -> f != null).toList();
    }

    /** Stops a backup's threads and waits for them: the one at work finishes the object at hand. */
    static void stop(ExecutorService threads) throws IOException {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IOException("a backup thread did not stop within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** What a task returned, or what it threw. */
    static <T> T result(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Stores the blobs the target lacks (called by the file thread and the tables' thread). */
    private static final class Sender {
        private final Keys keys;
        private final Packs packs;
        private final HashCache hashes;
        private final ChunkCache chunks;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong bytesRead = new AtomicLong();

        Sender(Keys keys, Packs packs, HashCache hashes, ChunkCache chunks) {
            this.chunks = chunks;
            this.keys = keys;
            this.packs = packs;
            this.hashes = hashes;
        }

        Progress progress(String what, long done, long total) {
            return new Progress(what, done, total, bytesRead.get(), sent.get(), packs.bytesWritten);
        }

        /** A table chunk: named from the cache when its bytes are as last time and the target has it, else hashed. */
        String send(String key, byte[] chunk) throws IOException {
            bytesRead.addAndGet(chunk.length);
            String cached = chunks.get(key, chunk);
            if (cached != null && packs.has(cached)) {
                return cached;
            }
            String name = keys.name(sha256(chunk));
            if (packs.add(name, chunk, true)) {
                sent.incrementAndGet();
            }
            chunks.put(key, chunk, name);
            return name;
        }

        /**
         * A file: its hash from the cache when it looks as it did, else read; when the target lacks it, a small file
         * is sealed from the bytes just read (or read once more), a large one streamed into a pack of its own from a
         * second read that must hash the same.
         */
        String send(String rel, Path file, BasicFileAttributes attributes) throws IOException {
            byte[] hash = hashes.get(rel, attributes);
            byte[] content = null;
            if (hash == null) {
                if (attributes.size() < Packs.OWN_PACK) {
                    content = Files.readAllBytes(file);
                    hash = sha256(content);
                } else {
                    try (InputStream in = Files.newInputStream(file)) {
                        hash = digest(in);
                    }
                }
                bytesRead.addAndGet(attributes.size());
            }
            hashes.put(rel, attributes, hash);
            String name = keys.name(hash);
            if (packs.has(name)) {
                return name;
            }
            if (attributes.size() < Packs.OWN_PACK) {
                if (content == null) {
                    content = Files.readAllBytes(file);
                    if (!MessageDigest.isEqual(sha256(content), hash)) {
                        throw new IOException(
                                file.getFileName() + " changed while it was backed up: run the backup again");
                    }
                }
                if (packs.add(name, content, false)) {
                    sent.incrementAndGet();
                }
            } else {
                MessageDigest again = sha256();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), again)) {
                    packs.addOwnPack(name, new CheckedAtEnd(in, again, hash, file));
                }
                sent.incrementAndGet();
            }
            return name;
        }
    }

    /** A stream that, at its end, checks the bytes it gave hash as expected (the file did not change meanwhile). */
    private static final class CheckedAtEnd extends java.io.FilterInputStream {
        private final MessageDigest md;
        private final byte[] expected;
        private final Path file;
        private boolean checked;

        CheckedAtEnd(InputStream in, MessageDigest md, byte[] expected, Path file) {
            super(in);
            this.md = md;
            this.expected = expected;
            this.file = file;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0 && !checked && !MessageDigest.isEqual(md.digest(), expected)) {
                throw new IOException(file.getFileName() + " changed while it was backed up: run the backup again");
            }
            checked |= n < 0;
            return n;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    static byte[] digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }
}
