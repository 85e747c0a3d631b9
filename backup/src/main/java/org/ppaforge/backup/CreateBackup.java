package org.ppaforge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
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
            Set<String> present = target.list("data/");
            HashCache hashes = new HashCache(dataDir.resolve("cache").resolve("backup-hashes"));
            Sender sender = new Sender(keys, target, present, hashes);
            DataDirectory data = new DataDirectory(dataDir);
            // The databases first: every file a row names was written before the row committed.
            List<Snapshot.TableEntry> tables = new ArrayList<>();
            for (Path db : data.databases()) {
                progress.accept(sender.progress("database " + db.getFileName(), 0, 0));
                tables.addAll(TableDump.dump(db, db.getFileName().toString(), sender::send));
            }
            List<String> paths = data.files();
            List<Snapshot.FileEntry> files = new ArrayList<>();
            long done = 0;
            for (String rel : paths) {
                Path f = dataDir.resolve(rel);
                PosixFileAttributes a;
                try {
                    a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // gone since the walk (a finished upload left the queue)
                }
                String object = a.size() == 0 ? null : sender.send(rel, f, a);
                files.add(new Snapshot.FileEntry(
                        rel,
                        a.size(),
                        PosixFilePermissions.toString(a.permissions()),
                        a.lastModifiedTime().toInstant(),
                        object));
                progress.accept(sender.progress(rel, ++done, paths.size()));
            }
            Snapshot snapshot = new Snapshot(id, now, Snapshot.FORMAT, files, tables);
            byte[] sealed = keys.sealing().seal(Backups.JSON.writeValueAsBytes(snapshot), "snapshot");
            target.sync(); // every object on the disk before the snapshot that names them
            target.put("snapshots/" + id, sealed); // last: the backup exists from here on
            target.sync();
            hashes.save();
            return new Result(snapshot, files.size(), snapshot.bytes(), sender.sent, sender.bytesSent);
        } finally {
            target.delete("locks/" + id);
        }
    }

    /** Stores objects the target lacks. */
    private static final class Sender {
        private final Keys keys;
        private final Target target;
        private final Set<String> present;
        private final HashCache hashes;
        long sent;
        long bytesSent;
        long bytesRead;

        Sender(Keys keys, Target target, Set<String> present, HashCache hashes) {
            this.keys = keys;
            this.target = target;
            this.present = present;
            this.hashes = hashes;
        }

        Progress progress(String what, long done, long total) {
            return new Progress(what, done, total, bytesRead, sent, bytesSent);
        }

        String send(byte[] chunk) throws IOException {
            String name = keys.name(sha256(chunk));
            bytesRead += chunk.length;
            if (present.add(name)) {
                byte[] sealed = keys.sealing().seal(chunk, "data");
                target.put("data/" + name, sealed);
                sent++;
                bytesSent += sealed.length;
            }
            return name;
        }

        /** A file: hashed, then (when the target lacks it) sealed from a second read that must hash the same. */
        String send(String rel, Path file, BasicFileAttributes attributes) throws IOException {
            byte[] hash = hashes.get(rel, attributes);
            if (hash == null) {
                try (InputStream in = Files.newInputStream(file)) {
                    hash = digest(in);
                }
                bytesRead += attributes.size();
            }
            hashes.put(rel, attributes, hash);
            String name = keys.name(hash);
            if (present.contains(name)) {
                return name;
            }
            byte[] expected = hash;
            MessageDigest again = sha256();
            target.write("data/" + name, out -> {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), again)) {
                    keys.sealing().seal(in, out, "data");
                }
                if (!MessageDigest.isEqual(again.digest(), expected)) {
                    throw new IOException(file.getFileName() + " changed while it was backed up: run the backup again");
                }
            });
            present.add(name);
            sent++;
            bytesSent += target.size("data/" + name);
            return name;
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
