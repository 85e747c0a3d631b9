package org.ppaforge.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;

/**
 * Restores a backup into a new data directory: every file (its permissions and time kept), then every database, made
 * empty by the modules' own migrations ({@link #schema}) and filled with the backup's rows. The directory must be new
 * or empty: a restore never mixes with a live installation.
 */
public final class RestoreBackup {
    private final Backups backups;
    private String id;
    private Path to;
    private SchemaMaker schema;
    private Consumer<String> progress = s -> {};

    /** Makes the empty databases of a data directory (the forge opening every module once does). */
    public interface SchemaMaker {
        void make(Path dataDir) throws IOException;
    }

    public record Result(Snapshot snapshot, int files, long bytes, long rows) {}

    RestoreBackup(Backups backups) {
        this.backups = backups;
    }

    /** The backup (default: the newest). */
    public RestoreBackup backup(String id) {
        this.id = id;
        return this;
    }

    public RestoreBackup to(Path to) {
        this.to = to;
        return this;
    }

    public RestoreBackup schema(SchemaMaker schema) {
        this.schema = schema;
        return this;
    }

    public RestoreBackup progress(Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    public Result call() throws IOException {
        if (Files.exists(to)) {
            try (var s = Files.list(to)) {
                if (s.findAny().isPresent()) {
                    throw ForgeException.refused(to + " is not empty: restore into a new directory");
                }
            }
        }
        Keys keys = backups.keys(false);
        Snapshot snap = backups.get(id);
        Files.createDirectories(to);
        Path root = to.toAbsolutePath().normalize();
        Packs packs = Packs.load(backups.target, keys);
        List<String> missing = packs.missing(new HashSet<>(snap.objects()));
        if (!missing.isEmpty()) {
            throw ForgeException.invalid("backup " + snap.id() + " needs " + missing.size()
                    + " blobs the target lacks ('ppa backup verify' names them): restore another backup");
        }
        for (Snapshot.FileEntry f : snap.files()) {
            Path p = root.resolve(f.path()).normalize();
            if (!p.startsWith(root) || p.equals(root) || DataDirectory.excluded(f.path())) {
                throw ForgeException.invalid("the backup names a file outside what a backup keeps: " + f.path());
            }
        }
        Map<String, List<Snapshot.TableEntry>> byDb = new LinkedHashMap<>();
        snap.tables()
                .forEach(t -> byDb.computeIfAbsent(t.database(), k -> new ArrayList<>())
                        .add(t));
        for (String db : byDb.keySet()) {
            if (!db.matches("[a-z0-9_-]+\\.db")) {
                throw ForgeException.invalid("the backup names a database " + db);
            }
        }
        if (schema == null) {
            throw new IllegalStateException("a restore needs the schema maker");
        }
        // The empty databases first (the modules' migrations make only them), then the rows by a second thread
        // while this one writes the files.
        schema.make(root);
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "restore-tables");
            t.setDaemon(true);
            return t;
        });
        long rows;
        try {
            Future<Long> loaded = loader.submit(() -> {
                long n = 0;
                for (var e : byDb.entrySet()) {
                    TableDump.load(root.resolve(e.getKey()), e.getValue(), packs::read);
                    n += e.getValue().stream()
                            .mapToLong(Snapshot.TableEntry::rows)
                            .sum();
                }
                return n;
            });
            restoreFiles(snap, root, packs);
            progress.accept("databases");
            rows = CreateBackup.result(loaded);
        } finally {
            CreateBackup.stop(loader);
        }
        return new Result(snap, snap.files().size(), snap.bytes(), rows);
    }

    private void restoreFiles(Snapshot snap, Path root, Packs packs) throws IOException {
        Set<Path> made = new HashSet<>();
        int n = 0;
        for (Snapshot.FileEntry f : snap.files()) {
            Path p = root.resolve(f.path()).normalize();
            if (made.add(p.getParent())) {
                Files.createDirectories(p.getParent());
            }
            try (OutputStream out = Files.newOutputStream(p)) {
                if (f.object() != null) {
                    packs.read(f.object(), out);
                }
            }
            try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(f.mode()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // a mode the file system cannot keep: the default stays
            }
            Files.setLastModifiedTime(p, FileTime.from(f.modified()));
            progress.accept("file " + ++n + " of " + snap.files().size() + ": " + f.path());
        }
    }
}
