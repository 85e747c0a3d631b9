package org.ppaforge.forge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.sql.Databases;

/**
 * Moves an installation between its stores: the embedded default (SQLite files and the pool in a data directory) to
 * the shared ones (PostgreSQL and S3), or back. Every module's rows go over table by table ({@link TableCopy}), every
 * blob the source has, and the signing keys' secret parts (files on one side, rows on the other). A migration stopped
 * midway is run again and goes on. At the end both sides are compared: every table's row count, and every archive's
 * Packages and Sources as each side publishes them. The source is only read (and published).
 */
public final class Migrate {
    private ArchiveSettings from;
    private ArchiveSettings to;
    private Consumer<String> progress = line -> {};

    public Migrate from(ArchiveSettings source) {
        this.from = source;
        return this;
    }

    public Migrate to(ArchiveSettings target) {
        this.to = target;
        return this;
    }

    public Migrate progress(Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    /**
     * @param rows each table's rows on both sides after the copy (they are equal)
     * @param rowsCopied rows copied by this run (0 for tables copied by an earlier run)
     * @param blobsCopied blobs the target did not have
     * @param compared index files (archive/dists/...) compared byte for byte
     */
    public record Result(
            Map<String, Long> rows,
            long rowsCopied,
            long blobsCopied,
            long blobBytes,
            int keys,
            List<String> compared) {}

    public Result call() {
        if (from == null || to == null) {
            throw ForgeException.invalid("a migration needs where from and where to");
        }
        if (same(from, to)) {
            throw ForgeException.invalid("the source and the target are the same stores");
        }
        if (to.database() != null && (to.keyPassphrase() == null || to.keyPassphrase().length == 0)) {
            throw ForgeException.invalid("signing keys kept in a shared database are protected by a passphrase: set "
                    + "PPAFORGE_KEY_PASSPHRASE (the one the servers will use) before migrating");
        }
        try (Forge source = Forge.open(ForgeConfig.of(from.dataDir()).withArchive(from.withAutoPublish(false)));
                Forge target = Forge.open(ForgeConfig.of(to.dataDir()).withArchive(to.withAutoPublish(false)))) {
            source.openAll();
            target.openAll(); // every module's schema is there before rows arrive
            Ppaforge src = source.archive();
            Ppaforge dst = target.archive();
            long[] blobs = copyBlobs(src.blobs(), dst.blobs());
            Map<String, Long> rows = new LinkedHashMap<>();
            long copied = copyRows(src, dst, rows);
            int keys = copyKeys(src, dst) + copyPipelineKeys(source, target);
            List<String> compared = compare(src, dst);
            progress.accept("compared " + compared.size() + " index files: the same");
            return new Result(rows, copied, blobs[0], blobs[1], keys, compared);
        } catch (SQLException e) {
            throw new ForgeException(ForgeException.Kind.IO, "migration failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ForgeException(ForgeException.Kind.IO, "migration failed: " + e.getMessage(), e);
        }
    }

    private static boolean same(ArchiveSettings a, ArchiveSettings b) {
        return java.util.Objects.equals(a.database(), b.database())
                && java.util.Objects.equals(a.blobs(), b.blobs())
                && (a.database() != null
                        || a.dataDir().toAbsolutePath().equals(b.dataDir().toAbsolutePath()));
    }

    private long[] copyBlobs(BlobStore src, BlobStore dst) throws IOException {
        List<BlobStore.Stored> all = new ArrayList<>();
        src.forEach(all::add);
        long n = 0;
        long bytes = 0;
        int done = 0;
        for (BlobStore.Stored b : all) {
            if (!dst.contains(b.sha256())) {
                Path local = src.localPath(b.sha256());
                dst.put(local, b.sha256());
                n++;
                bytes += b.size();
            }
            if (++done % 500 == 0 || done == all.size()) {
                progress.accept("blobs " + done + "/" + all.size() + " (" + n + " copied)");
            }
        }
        return new long[] {n, bytes};
    }

    private long copyRows(Ppaforge src, Ppaforge dst, Map<String, Long> rows) throws SQLException {
        Databases s = src.databases();
        Databases d = dst.databases();
        long copied = 0;
        for (String file : TableCopy.FILES) {
            try (Connection from = TableCopy.connect(s, src.dataDirectory(), file);
                    Connection to = TableCopy.connect(d, dst.dataDirectory(), file)) {
                for (String table : TableCopy.TABLES.get(file)) {
                    long n = TableCopy.copy(from, to, table, d.shared());
                    copied += n;
                    long there = TableCopy.count(to, table);
                    long want = TableCopy.count(from, table);
                    if (there != want) {
                        throw new SQLException(
                                table + ": " + want + " rows in the source, " + there + " in the target");
                    }
                    rows.put(table, there);
                    progress.accept(table + ": " + there + " rows" + (n == 0 ? " (there already)" : ""));
                }
            }
        }
        return copied;
    }

    private int copyKeys(Ppaforge src, Ppaforge dst) {
        List<ArchiveKey> keys = new ArrayList<>();
        src.metadata().read(tx -> {
            for (Archive a : tx.archives()) {
                keys.addAll(tx.keys(a.id()));
            }
            return null;
        });
        for (ArchiveKey k : keys) {
            var read = src.secretKeys().read(k.fingerprint());
            // Into a shared database only protected: an embedded key without a passphrase is protected on the way.
            var ring = dst.databases().shared() ? OpenPgp.protect(read, dst.keyPassphrase()) : read;
            dst.metadata().write(tx -> {
                dst.secretKeys().write(tx, ring);
                return null;
            });
        }
        progress.accept("signing keys: " + keys.size());
        return keys.size();
    }

    /** The pipelines' signing keys, kept where the target's pipelines read them. */
    private int copyPipelineKeys(Forge source, Forge target) throws IOException {
        int n = 0;
        for (var p : source.pipelines().list()) {
            target.pipelines().keepKey(p.name(), source.pipelines().secretKey(p.name()));
            n++;
        }
        progress.accept("pipeline keys: " + n);
        return n;
    }

    /** Publishes every archive on both sides and compares their Packages and Sources, byte for byte. */
    private List<String> compare(Ppaforge src, Ppaforge dst) throws IOException {
        List<String> compared = new ArrayList<>();
        for (Archive a : src.metadata().read(tx -> tx.archives())) {
            src.publish().archive(a.name()).call();
            dst.publish().archive(a.name()).call();
            Path left = src.publishRoot().resolve(a.name()).resolve("dists");
            Path right = dst.publishRoot().resolve(a.name()).resolve("dists");
            List<Path> indices;
            try (var files = Files.walk(left)) {
                indices = files.filter(f -> {
                            String n = f.getFileName().toString();
                            return (n.equals("Packages") || n.equals("Sources"))
                                    && !f.toString().contains("/by-hash/");
                        })
                        .toList();
            }
            for (Path f : indices) {
                Path rel = left.relativize(f);
                Path other = right.resolve(rel);
                if (!Files.exists(other) || Files.mismatch(f, other) != -1) {
                    throw new ArchiveException(
                            ArchiveException.Kind.INVALID,
                            "after the migration " + a.name() + "/dists/" + rel + " differs between the source and the "
                                    + "target");
                }
                compared.add(a.name() + "/dists/" + rel);
            }
        }
        return compared;
    }
}
