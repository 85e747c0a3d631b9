package org.ppaforge.archive.store.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.model.PublishSettings;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.sqlite.Migrations;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.Checksums;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded metadata store: one SQLite file in WAL mode. Writes run in
 * {@code BEGIN IMMEDIATE} transactions, so a second writer (another {@code ppa} process)
 * waits up to the busy timeout instead of failing half-way; a crash rolls back to the
 * last commit.
 */
public final class SqliteMetadataStore implements MetadataStore {
    /** The archive's schema migrations, in order; append, never edit a released one. */
    private static final List<String> MIGRATIONS = List.of(
            "V1__archives_and_publications.sql",
            "V2__publishing_and_keys.sql",
            "V3__lookup_indexes.sql",
            "V4__tokens.sql",
            "V5__private_archives.sql",
            "V6__uploaders.sql",
            "V7__upload_log.sql",
            "V8__publish_state.sql",
            "V9__worker_tokens.sql",
            "V10__upload_urgency.sql",
            "V11__reader_tokens.sql",
            "V12__contents_bytes.sql");

    private final Path file;
    private final int busyTimeoutMillis;
    private final Connection writer;
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    /** Writes take this lock; a read (its own WAL snapshot, on a connection of its own) never waits for a write. */
    private final Object writeLock = new Object();

    /**
     * Reading connections, opened as needed up to {@link #MAX_READERS}: reads in different threads run at once
     * (a republish's snapshot of a large archive does not hold up the server's other reads). Guarded by itself.
     */
    private final ArrayDeque<Reader> idleReaders = new ArrayDeque<>();

    private int openedReaders;
    private boolean closed;
    static final int MAX_READERS = 4;
    /** The reading connection this thread's read is using: a read inside a read shares it (and its snapshot). */
    private final ThreadLocal<Reader> reading = new ThreadLocal<>();

    /** A reading connection and its prepared statements, used by one thread at a time. */
    private static final class Reader {
        final Connection connection;
        final Map<String, PreparedStatement> statements = new HashMap<>();

        Reader(Connection connection) {
            this.connection = connection;
        }

        void close() throws SQLException {
            for (PreparedStatement p : statements.values()) {
                p.close();
            }
            connection.close();
        }
    }

    public SqliteMetadataStore(Path file) {
        this(file, 60_000);
    }

    public SqliteMetadataStore(Path file, int busyTimeoutMillis) {
        this.file = file;
        this.busyTimeoutMillis = busyTimeoutMillis;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = open(SQLiteConfig.TransactionMode.IMMEDIATE);
            writer.setAutoCommit(false);
            Migrations.apply(writer, SqliteMetadataStore.class, MIGRATIONS, "schema_version");
            writer.commit();
            // Between writes the connection holds no transaction (sqlite-jdbc begins the next one at once when
            // auto-commit is off): a long-running process must not keep other processes from writing.
            writer.setAutoCommit(true);
        } catch (SQLException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new ArchiveException(
                    ArchiveException.Kind.INVALID, "cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    private Connection open(SQLiteConfig.TransactionMode mode) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMillis);
        config.enforceForeignKeys(true);
        config.setTransactionMode(mode);
        config.setCacheSize(-65536); // 64 MB: a 20,000-package transaction stays in memory until commit
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public Path file() {
        return file;
    }

    @Override
    public <T> T read(Function<StoreTx, T> work) {
        Reader outer = reading.get();
        if (outer != null) {
            return work.apply(new Tx(outer.connection, outer.statements)); // inside a read: the same snapshot
        }
        Reader r = takeReader();
        reading.set(r);
        try {
            r.connection.setAutoCommit(false);
            try {
                return work.apply(new Tx(r.connection, r.statements));
            } finally {
                r.connection.rollback();
                r.connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } catch (Sql e) {
            throw translate(e.cause);
        } finally {
            reading.remove();
            giveBack(r);
        }
    }

    private Reader takeReader() {
        synchronized (idleReaders) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the metadata store " + file + " is closed");
                }
                Reader r = idleReaders.pollFirst();
                if (r != null) {
                    return r;
                }
                if (openedReaders < MAX_READERS) {
                    try {
                        r = new Reader(open(SQLiteConfig.TransactionMode.DEFERRED));
                    } catch (SQLException e) {
                        throw translate(e);
                    }
                    openedReaders++;
                    return r;
                }
                try {
                    idleReaders.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a reading connection to " + file, e);
                }
            }
        }
    }

    private void giveBack(Reader r) {
        synchronized (idleReaders) {
            if (closed) {
                closeQuietly(r);
            } else {
                idleReaders.addFirst(r); // the warmest connection (page cache, statements) next
                idleReaders.notify();
            }
        }
    }

    private static void closeQuietly(Reader r) {
        try {
            r.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }

    @Override
    public <T> T write(Function<StoreTx, T> work) {
        if (reading.get() != null) { // the read could not see it, and would hold its snapshot through the write
            throw new IllegalStateException("a write may not start inside a read");
        }
        synchronized (writeLock) {
            return writeLocked(work);
        }
    }

    private <T> T writeLocked(Function<StoreTx, T> work) {
        try {
            writer.setAutoCommit(false); // BEGIN IMMEDIATE: waits (busy timeout) while another process writes
            try {
                Tx tx = new Tx(writer, writerStatements);
                T result = work.apply(tx);
                tx.flush();
                writer.commit();
                return result;
            } catch (RuntimeException | Error e) {
                for (PreparedStatement p : writerStatements.values()) {
                    p.clearBatch();
                }
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } catch (Sql e) {
            throw translate(e.cause);
        }
    }

    private ArchiveException translate(SQLException e) {
        if (e instanceof SQLiteException s
                && (s.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                        || s.getResultCode() == SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT
                        || s.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED)) {
            return new ArchiveException(
                    ArchiveException.Kind.BUSY,
                    "the metadata store " + file + " is busy: another ppa process " + "held it for more than "
                            + busyTimeoutMillis / 1000 + " s; try again",
                    e);
        }
        return new ArchiveException(ArchiveException.Kind.INVALID, "metadata store " + file + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            synchronized (idleReaders) {
                closed = true; // readers in use are closed when their read ends
                for (Reader r : idleReaders) {
                    closeQuietly(r);
                }
                idleReaders.clear();
            }
            try {
                for (PreparedStatement p : writerStatements.values()) {
                    p.close();
                }
                writer.close();
            } catch (SQLException e) {
                throw translate(e);
            }
        }
    }

    /** Carries an SQLException through the verbs' lambdas. */
    private static final class Sql extends RuntimeException {
        final SQLException cause;

        Sql(SQLException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    @FunctionalInterface
    private interface Rows<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final class Tx implements StoreTx {
        private static final String SOURCE_COLUMNS =
                "sp.id, sp.archive_id, sp.series, sp.component, sp.source_id, sp.name, "
                        + "sp.version, sp.status, sp.origin, sp.created_at, sp.created_by, sp.superseded_at, sp.deleted_at, sp.deleted_by, "
                        + "sp.deleted_reason, s.dsc_sha256 IS NOT NULL FROM source_publication sp JOIN source_package s ON s.id = sp.source_id";
        private static final String BINARY_COLUMNS =
                "bp.id, bp.source_publication_id, bp.binary_id, b.name, b.version, "
                        + "b.architecture, b.filename, b.sha256, bp.status FROM binary_publication bp JOIN binary_package b ON b.id = bp.binary_id";

        private final Connection c;
        private final Map<String, PreparedStatement> statements;
        // Writers hold SQLite's write lock for the whole transaction, so ids can be assigned
        // here: that spares sqlite-jdbc's extra last_insert_rowid() query per insert.
        private final Map<String, long[]> nextIds = new HashMap<>();
        // Inserts are queued as JDBC batches (one native call per batch instead of per row) and
        // flushed before any other statement and before commit, so reads see every write.
        // (sql -> table), executed parents first so foreign keys hold at every statement.
        private final Map<String, String> pending = new HashMap<>();
        private int pendingRows;
        private static final List<String> PARENTS_FIRST = List.of(
                "archive", "source_package", "binary_package", "source_publication", "binary_publication", "api_token");

        Tx(Connection c, Map<String, PreparedStatement> statements) {
            this.c = c;
            this.statements = statements;
        }

        private PreparedStatement prepare(String sql) {
            PreparedStatement p = statements.get(sql);
            if (p == null) {
                try {
                    p = c.prepareStatement(sql);
                } catch (SQLException e) {
                    throw new Sql(e);
                }
                statements.put(sql, p);
            }
            return p;
        }

        private PreparedStatement bind(String sql, Object... args) throws SQLException {
            PreparedStatement p = prepare(sql);
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p;
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            try {
                for (String table : PARENTS_FIRST) {
                    for (var e : pending.entrySet()) {
                        if (e.getValue().equals(table)) {
                            statements.get(e.getKey()).executeBatch();
                        }
                    }
                }
                pending.clear();
                pendingRows = 0;
            } catch (SQLException e) {
                throw new Sql(e);
            }
        }

        private <T> List<T> query(String sql, Rows<T> mapper, Object... args) {
            flush();
            try (ResultSet rs = bind(sql, args).executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            } catch (SQLException e) {
                throw new Sql(e);
            }
        }

        private int update(String sql, Object... args) {
            flush();
            try {
                return bind(sql, args).executeUpdate();
            } catch (SQLException e) {
                throw new Sql(e);
            }
        }

        /** Inserts a row into {@code table} with the next id; {@code sql} lists {@code id} as its first column. */
        private long insert(String table, String sql, Object... args) {
            long[] next = nextIds.get(table);
            if (next == null) {
                next = new long[] {
                    query("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table, rs -> rs.getLong(1))
                            .get(0)
                };
                nextIds.put(table, next);
            }
            long id = next[0]++;
            try {
                PreparedStatement p = prepare(sql);
                p.setLong(1, id);
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 2, args[i]);
                }
                p.addBatch();
                pending.put(sql, table);
                if (++pendingRows >= 5000) {
                    flush();
                }
            } catch (SQLException e) {
                throw new Sql(e);
            }
            return id;
        }

        private static List<String> split(String s) {
            return s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
        }

        private static Instant instant(String s) {
            return s == null ? null : Instant.parse(s);
        }

        private static Archive archive(ResultSet rs) throws SQLException {
            return new Archive(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    split(rs.getString(4)),
                    split(rs.getString(5)),
                    split(rs.getString(6)),
                    instant(rs.getString(7)));
        }

        private static SourcePublication source(ResultSet rs) throws SQLException {
            return new SourcePublication(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getLong(5),
                    rs.getString(6),
                    Version.parse(rs.getString(7)),
                    Status.ofSql(rs.getString(8)),
                    rs.getString(9),
                    instant(rs.getString(10)),
                    rs.getString(11),
                    instant(rs.getString(12)),
                    instant(rs.getString(13)),
                    rs.getString(14),
                    rs.getString(15),
                    rs.getBoolean(16));
        }

        private static BinaryPublication binary(ResultSet rs) throws SQLException {
            return new BinaryPublication(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getString(4),
                    Version.parse(rs.getString(5)),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    Status.ofSql(rs.getString(9)));
        }

        @Override
        public Archive createArchive(
                String name,
                String description,
                List<String> series,
                List<String> components,
                List<String> architectures,
                Instant now) {
            long id = insert(
                    "archive",
                    "INSERT INTO archive (id, name, description, series, components, architectures, created_at) "
                            + "VALUES (?,?,?,?,?,?,?)",
                    name,
                    description,
                    String.join(",", series),
                    String.join(",", components),
                    String.join(",", architectures),
                    now.toString());
            return new Archive(id, name, description, series, components, architectures, now);
        }

        @Override
        public Optional<Archive> archive(String name) {
            return query(
                            "SELECT id, name, description, series, components, architectures, created_at FROM archive WHERE name = ?",
                            Tx::archive,
                            name)
                    .stream()
                    .findFirst();
        }

        @Override
        public List<Archive> archives() {
            return query(
                    "SELECT id, name, description, series, components, architectures, created_at FROM archive ORDER BY name",
                    Tx::archive);
        }

        @Override
        public List<SourcePublication> sources(long archiveId, String series, boolean publishedOnly) {
            String sql = "SELECT " + SOURCE_COLUMNS + " WHERE sp.archive_id = ?"
                    + (series == null ? "" : " AND sp.series = ?")
                    + (publishedOnly ? " AND sp.status = 'published'" : "") + " ORDER BY sp.name, sp.series, sp.id";
            return series == null ? query(sql, Tx::source, archiveId) : query(sql, Tx::source, archiveId, series);
        }

        @Override
        public List<String[]> publishedVersions(long archiveId, String series) {
            String sql =
                    "SELECT series, name, version FROM source_publication WHERE archive_id = ? AND status = 'published'"
                            + (series == null ? "" : " AND series = ?");
            Rows<String[]> row = rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
            return series == null ? query(sql, row, archiveId) : query(sql, row, archiveId, series);
        }

        @Override
        public List<SourcePublication> history(long archiveId, String name) {
            return query(
                    "SELECT " + SOURCE_COLUMNS + " WHERE sp.archive_id = ? AND sp.name = ? ORDER BY sp.id",
                    Tx::source,
                    archiveId,
                    name);
        }

        @Override
        public List<BinaryPublication> publishedBinaries(long archiveId, String series) {
            String sql = "SELECT " + BINARY_COLUMNS + " WHERE bp.archive_id = ? AND bp.status = 'published'"
                    + (series == null ? "" : " AND bp.series = ?") + " ORDER BY b.name, b.architecture";
            return series == null ? query(sql, Tx::binary, archiveId) : query(sql, Tx::binary, archiveId, series);
        }

        @Override
        public List<BinaryPublication> binariesOf(long sourcePublicationId) {
            return query(
                    "SELECT " + BINARY_COLUMNS + " WHERE bp.source_publication_id = ? ORDER BY b.name, b.architecture",
                    Tx::binary,
                    sourcePublicationId);
        }

        @Override
        public Map<String, String> poolNames(long archiveId) {
            Map<String, String> names = new HashMap<>();
            for (String[] row : query(
                    "SELECT DISTINCT b.filename, b.sha256 FROM binary_publication bp JOIN binary_package b "
                            + "ON b.id = bp.binary_id WHERE bp.archive_id = ? UNION SELECT DISTINCT f.filename, f.sha256 FROM "
                            + "source_publication sp JOIN source_file f ON f.source_id = sp.source_id WHERE sp.archive_id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)},
                    archiveId,
                    archiveId)) {
                names.put(row[0], row[1]);
            }
            return names;
        }

        @Override
        public Map<String, String> poolNames(long archiveId, Collection<String> filenames) {
            Map<String, String> names = new HashMap<>();
            for (List<String> part : chunks(filenames, 400)) {
                List<Object> args = new ArrayList<>();
                args.add(archiveId);
                args.addAll(part);
                args.add(archiveId);
                args.addAll(part);
                for (String[] row : query(
                        "SELECT DISTINCT b.filename, b.sha256 FROM binary_publication bp JOIN binary_package b "
                                + "ON b.id = bp.binary_id WHERE bp.archive_id = ? AND b.filename IN ("
                                + marks(part.size()) + ") UNION "
                                + "SELECT DISTINCT f.filename, f.sha256 FROM source_publication sp JOIN source_file f ON f.source_id = sp.source_id "
                                + "WHERE sp.archive_id = ? AND f.filename IN (" + marks(part.size()) + ")",
                        rs -> new String[] {rs.getString(1), rs.getString(2)},
                        args.toArray())) {
                    names.put(row[0], row[1]);
                }
            }
            return names;
        }

        @Override
        public List<SourcePublication> publishedSources(long archiveId, String series, Collection<String> names) {
            List<SourcePublication> out = new ArrayList<>();
            for (List<String> part : chunks(names, 400)) {
                out.addAll(query(
                        "SELECT " + SOURCE_COLUMNS
                                + " WHERE sp.archive_id = ? AND sp.series = ? AND sp.status = 'published' "
                                + "AND sp.name IN (" + marks(part.size()) + ")",
                        Tx::source,
                        args(archiveId, series, part)));
            }
            return out;
        }

        @Override
        public List<BinaryPublication> publishedBinaries(long archiveId, String series, Collection<String> names) {
            List<BinaryPublication> out = new ArrayList<>();
            for (List<String> part : chunks(names, 400)) {
                out.addAll(query(
                        "SELECT " + BINARY_COLUMNS
                                + " WHERE bp.archive_id = ? AND bp.series = ? AND bp.status = 'published' "
                                + "AND bp.name IN (" + marks(part.size()) + ")",
                        Tx::binary,
                        args(archiveId, series, part)));
            }
            return out;
        }

        /** Query arguments: the leading ones, then the values of an IN list. */
        private static Object[] args(Object a, Object b, List<?> values) {
            Object[] out = new Object[values.size() + 2];
            out[0] = a;
            out[1] = b;
            for (int i = 0; i < values.size(); i++) {
                out[2 + i] = values.get(i);
            }
            return out;
        }

        @Override
        public List<PoolFile> sourceFiles(long sourceId) {
            return query(
                    "SELECT filename, sha256 FROM source_file WHERE source_id = ? ORDER BY filename",
                    rs -> new PoolFile(rs.getString(1), rs.getString(2)),
                    sourceId);
        }

        @Override
        public void putPoolFiles(Collection<Checksums> files) {
            flush();
            try {
                PreparedStatement p =
                        prepare("INSERT OR IGNORE INTO pool_file (sha256, size, md5, sha1, sha512) VALUES (?,?,?,?,?)");
                for (Checksums f : files) {
                    p.setString(1, f.sha256());
                    p.setLong(2, f.size());
                    p.setString(3, f.md5());
                    p.setString(4, f.sha1());
                    p.setString(5, f.sha512());
                    p.addBatch();
                }
                p.executeBatch();
            } catch (SQLException e) {
                throw new Sql(e);
            }
        }

        @Override
        public Map<String, Long> findSourcePackages(Collection<String> names) {
            Map<String, Long> found = new HashMap<>();
            for (List<String> chunk : chunks(names, 500)) {
                for (Object[] row : query(
                        "SELECT name, version, dsc_sha256, id FROM source_package WHERE name IN (" + marks(chunk.size())
                                + ") ORDER BY id",
                        rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)},
                        chunk.toArray())) {
                    found.put(StoreTx.sourceKey((String) row[0], (String) row[1], (String) row[2]), (Long) row[3]);
                }
            }
            return found;
        }

        @Override
        public Optional<Long> findSourcePackage(String name, String version, String dscSha256) {
            String sql = "SELECT id FROM source_package WHERE name = ? AND version = ? AND "
                    + (dscSha256 == null ? "dsc_sha256 IS NULL" : "dsc_sha256 = ?") + " ORDER BY id DESC LIMIT 1";
            List<Long> ids = dscSha256 == null
                    ? query(sql, rs -> rs.getLong(1), name, version)
                    : query(sql, rs -> rs.getLong(1), name, version, dscSha256);
            return ids.stream().findFirst();
        }

        @Override
        public long insertSourcePackage(
                String name, String version, String dscSha256, String stanza, List<PoolFile> files, Instant now) {
            long id = insert(
                    "source_package",
                    "INSERT INTO source_package (id, name, version, dsc_sha256, stanza, created_at) "
                            + "VALUES (?,?,?,?,?,?)",
                    name,
                    version,
                    dscSha256,
                    stanza,
                    now.toString());
            insertSourceFiles(id, files);
            return id;
        }

        private void insertSourceFiles(long id, List<PoolFile> files) {
            for (PoolFile f : files) {
                update(
                        "INSERT INTO source_file (source_id, filename, sha256) VALUES (?,?,?)",
                        id,
                        f.filename(),
                        f.sha256());
            }
        }

        @Override
        public void attachDsc(long sourceId, String dscSha256, String stanza, List<PoolFile> files) {
            update("UPDATE source_package SET dsc_sha256 = ?, stanza = ? WHERE id = ?", dscSha256, stanza, sourceId);
            insertSourceFiles(sourceId, files);
        }

        @Override
        public Map<String, Long> findBinaryPackages(Collection<String> sha256s) {
            Map<String, Long> found = new HashMap<>();
            for (List<String> chunk : chunks(sha256s, 500)) {
                for (Object[] row : query(
                        "SELECT sha256, id FROM binary_package WHERE sha256 IN (" + marks(chunk.size()) + ")",
                        rs -> new Object[] {rs.getString(1), rs.getLong(2)},
                        chunk.toArray())) {
                    found.put((String) row[0], (Long) row[1]);
                }
            }
            return found;
        }

        @Override
        public Optional<Long> findBinaryPackage(String sha256) {
            return query("SELECT id FROM binary_package WHERE sha256 = ?", rs -> rs.getLong(1), sha256).stream()
                    .findFirst();
        }

        @Override
        public long insertBinaryPackage(
                String name,
                String version,
                String architecture,
                String filename,
                String sha256,
                String control,
                String contents) {
            return insert(
                    "binary_package",
                    "INSERT INTO binary_package (id, name, version, architecture, filename, sha256, "
                            + "control, contents, contents_bytes) VALUES (?,?,?,?,?,?,?,?,?)",
                    name,
                    version,
                    architecture,
                    filename,
                    sha256,
                    control,
                    contents,
                    (long) contents.getBytes(StandardCharsets.UTF_8).length);
        }

        @Override
        public long contentsBytes(long archiveId, String series) {
            return query(
                            "SELECT COALESCE(SUM(b.contents_bytes), 0) FROM binary_publication bp JOIN binary_package b ON b.id = "
                                    + "bp.binary_id WHERE bp.archive_id = ? AND bp.series = ? AND bp.status = 'published'",
                            rs -> rs.getLong(1),
                            archiveId,
                            series)
                    .get(0);
        }

        @Override
        public long publishSource(
                long archiveId,
                String series,
                String component,
                long sourceId,
                String name,
                String version,
                String origin,
                String by,
                Instant now,
                Long replaces) {
            if (replaces != null) {
                update(
                        "UPDATE source_publication SET status = 'superseded', superseded_at = ? WHERE id = ? AND status = 'published'",
                        now.toString(),
                        replaces);
            }
            long id = insert(
                    "source_publication",
                    "INSERT INTO source_publication (id, archive_id, series, component, source_id, name, "
                            + "version, status, origin, created_at, created_by) VALUES (?,?,?,?,?,?,?,'published',?,?,?)",
                    archiveId,
                    series,
                    component,
                    sourceId,
                    name,
                    version,
                    origin,
                    now.toString(),
                    by);
            if (replaces != null) {
                update("UPDATE source_publication SET superseded_by = ? WHERE id = ?", id, replaces);
            }
            return id;
        }

        @Override
        public long publishBinary(
                long sourcePublicationId,
                long binaryId,
                long archiveId,
                String series,
                String name,
                String architecture,
                Instant now) {
            return insert(
                    "binary_publication",
                    "INSERT INTO binary_publication (id, source_publication_id, binary_id, archive_id, "
                            + "series, name, architecture, status, created_at) VALUES (?,?,?,?,?,?,?,'published',?)",
                    sourcePublicationId,
                    binaryId,
                    archiveId,
                    series,
                    name,
                    architecture,
                    now.toString());
        }

        @Override
        public void supersedeBinary(long binaryPublicationId, Instant now) {
            update(
                    "UPDATE binary_publication SET status = 'superseded', ended_at = ? WHERE id = ? AND status = 'published'",
                    now.toString(),
                    binaryPublicationId);
        }

        @Override
        public void deleteSource(long publicationId, String by, String reason, Instant now) {
            update(
                    "UPDATE source_publication SET status = 'deleted', deleted_at = ?, deleted_by = ?, deleted_reason = ? "
                            + "WHERE id = ? AND status = 'published'",
                    now.toString(),
                    by,
                    reason,
                    publicationId);
            update(
                    "UPDATE binary_publication SET status = 'deleted', ended_at = ? WHERE source_publication_id = ? "
                            + "AND status = 'published'",
                    now.toString(),
                    publicationId);
        }

        @Override
        public PublishSettings publishSettings(long archiveId) {
            return query(
                            "SELECT origin, label, not_automatic, but_automatic_upgrades, valid_for_seconds, keep_superseded_seconds, "
                                    + "private FROM archive WHERE id = ?",
                            rs -> new PublishSettings(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getBoolean(3),
                                    rs.getBoolean(4),
                                    rs.getObject(5) == null ? null : Duration.ofSeconds(rs.getLong(5)),
                                    Duration.ofSeconds(rs.getLong(6)),
                                    rs.getBoolean(7)),
                            archiveId)
                    .get(0);
        }

        @Override
        public long changedSeq(long archiveId) {
            return query("SELECT changed_seq FROM archive WHERE id = ?", rs -> rs.getLong(1), archiveId)
                    .get(0);
        }

        @Override
        public void markPublished(long archiveId, long seq) {
            update("UPDATE archive SET published_seq = MAX(published_seq, ?) WHERE id = ?", seq, archiveId);
        }

        @Override
        public List<String> unpublishedArchives() {
            return query(
                    "SELECT name FROM archive WHERE changed_seq > published_seq ORDER BY name", rs -> rs.getString(1));
        }

        @Override
        public void setPublishSettings(long archiveId, PublishSettings p) {
            update(
                    "UPDATE archive SET origin = ?, label = ?, not_automatic = ?, but_automatic_upgrades = ?, valid_for_seconds = ?, "
                            + "keep_superseded_seconds = ?, private = ? WHERE id = ?",
                    p.origin(),
                    p.label(),
                    p.notAutomatic() ? 1 : 0,
                    p.butAutomaticUpgrades() ? 1 : 0,
                    p.validFor() == null ? null : p.validFor().toSeconds(),
                    p.keepSuperseded().toSeconds(),
                    p.privateArchive() ? 1 : 0,
                    archiveId);
        }

        @Override
        public Map<String, List<IndexRows.Binary>> indexBinaries(long archiveId) {
            Map<String, List<IndexRows.Binary>> out = new HashMap<>();
            for (IndexRows.BinaryChange c : binaryRows(
                    "WHERE bp.archive_id = ? AND bp.status = 'published' "
                            + "ORDER BY bp.series, sp.component, b.name, b.architecture, b.id",
                    archiveId)) {
                out.computeIfAbsent(c.series(), k -> new ArrayList<>()).add(c.binary());
            }
            return out;
        }

        @Override
        public long maxBinaryPublicationId() {
            return query("SELECT COALESCE(MAX(id), 0) FROM binary_publication", rs -> rs.getLong(1))
                    .get(0);
        }

        @Override
        public long publishedBinaryCount(long archiveId) {
            return query(
                            "SELECT COUNT(*) FROM binary_publication WHERE archive_id = ? AND status = 'published'",
                            rs -> rs.getLong(1),
                            archiveId)
                    .get(0);
        }

        @Override
        public List<IndexRows.BinaryChange> binaryChanges(long archiveId, long afterId, Instant endedSince) {
            return binaryRows(
                    "WHERE bp.archive_id = ? AND (bp.id > ? OR (bp.ended_at IS NOT NULL "
                            + "AND julianday(bp.ended_at) >= julianday(?)))",
                    archiveId,
                    afterId,
                    endedSince.toString());
        }

        /**
         * Binary publication rows as one text column each: sqlite-jdbc pays a native call per column read,
         * which dominated a 20,000-row read (0.4 s for 9 columns); none of the values can hold 0x1f.
         */
        private List<IndexRows.BinaryChange> binaryRows(String where, Object... args) {
            Map<String, String> interned = new HashMap<>();
            List<IndexRows.BinaryChange> out = new ArrayList<>();
            for (String row : query(
                    "SELECT bp.series || char(31) || bp.status || char(31) || b.id || char(31) || b.name "
                            + "|| char(31) || b.architecture || char(31) || sp.component || char(31) || sp.name || char(31) || b.filename "
                            + "|| char(31) || b.sha256 || char(31) || bp.id "
                            + "FROM binary_publication bp JOIN binary_package b ON b.id = bp.binary_id "
                            + "JOIN source_publication sp ON sp.id = bp.source_publication_id " + where,
                    rs -> rs.getString(1),
                    args)) {
                String[] f = new String[10];
                for (int i = 0, from = 0; i < 10; i++) {
                    int to = i == 9 ? row.length() : row.indexOf('\u001f', from);
                    f[i] = row.substring(from, to);
                    from = to + 1;
                }
                IndexRows.Binary b = new IndexRows.Binary(
                        Long.parseLong(f[2]),
                        f[3],
                        interned.computeIfAbsent(f[4], k -> k),
                        interned.computeIfAbsent(f[5], k -> k),
                        f[6],
                        f[7],
                        f[8],
                        Long.parseLong(f[9]));
                out.add(new IndexRows.BinaryChange(
                        interned.computeIfAbsent(f[0], k -> k), "published".equals(f[1]), b));
            }
            return out;
        }

        @Override
        public Map<Long, IndexRows.BinaryDetail> binaryDetails(Collection<Long> binaryIds) {
            Map<Long, IndexRows.BinaryDetail> out = new HashMap<>();
            for (List<Long> part : chunks(binaryIds, 500)) {
                for (Object[] row : query(
                        "SELECT b.id, b.control, b.contents, f.size, f.md5, f.sha1, f.sha256 FROM binary_package b "
                                + "JOIN pool_file f ON f.sha256 = b.sha256 WHERE b.id IN (" + marks(part.size()) + ")",
                        rs -> new Object[] {
                            rs.getLong(1),
                            new IndexRows.BinaryDetail(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7))
                        },
                        part.toArray())) {
                    out.put((Long) row[0], (IndexRows.BinaryDetail) row[1]);
                }
            }
            return out;
        }

        @Override
        public List<IndexRows.Source> indexSources(long archiveId, String series) {
            return query(
                    "SELECT s.id, sp.name, sp.component FROM source_publication sp JOIN source_package s ON s.id = sp.source_id "
                            + "WHERE sp.archive_id = ? AND sp.series = ? AND sp.status = 'published' AND s.dsc_sha256 IS NOT NULL "
                            + "ORDER BY sp.component, sp.name",
                    rs -> new IndexRows.Source(rs.getLong(1), rs.getString(2), rs.getString(3)),
                    archiveId,
                    series);
        }

        @Override
        public Map<Long, IndexRows.SourceDetail> sourceDetails(Collection<Long> sourceIds) {
            Map<Long, String[]> heads = new HashMap<>();
            Map<Long, List<IndexRows.File>> files = new HashMap<>();
            for (List<Long> part : chunks(sourceIds, 500)) {
                String in = " IN (" + marks(part.size()) + ")";
                for (Object[] r : query(
                        "SELECT id, stanza, dsc_sha256 FROM source_package WHERE id" + in,
                        rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)},
                        part.toArray())) {
                    heads.put((Long) r[0], new String[] {(String) r[1], (String) r[2]});
                }
                for (Object[] r : query(
                        "SELECT sf.source_id, sf.filename, f.size, f.md5, f.sha1, f.sha256, f.sha512 FROM source_file sf "
                                + "JOIN pool_file f ON f.sha256 = sf.sha256 WHERE sf.source_id" + in
                                + " ORDER BY sf.source_id, sf.filename",
                        rs -> new Object[] {
                            rs.getLong(1),
                            new IndexRows.File(
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7))
                        },
                        part.toArray())) {
                    files.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((IndexRows.File) r[1]);
                }
            }
            Map<Long, IndexRows.SourceDetail> out = new HashMap<>();
            heads.forEach((id, h) -> {
                List<IndexRows.File> fs = files.getOrDefault(id, List.of());
                String dscName = fs.stream()
                        .filter(f -> f.sha256().equals(h[1]) && f.filename().endsWith(".dsc"))
                        .map(IndexRows.File::filename)
                        .findFirst()
                        .orElse(null);
                out.put(id, new IndexRows.SourceDetail(h[0], dscName, fs));
            });
            return out;
        }

        @Override
        public List<IndexRows.PoolEntry> sourcePoolEntries(long archiveId) {
            return new ArrayList<>(query(
                    "SELECT DISTINCT sp.component, sp.name, sf.filename, sf.sha256 FROM source_publication sp "
                            + "JOIN source_file sf ON sf.source_id = sp.source_id WHERE sp.archive_id = ? AND sp.status = 'published'",
                    rs -> new IndexRows.PoolEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                    archiveId));
        }

        @Override
        public List<ArchiveKey> keys(long archiveId) {
            return query(
                    "SELECT fingerprint, archive_id, algorithm, user_id, public_key, status, created_at, retired_at, certified_by "
                            + "FROM archive_key WHERE archive_id = ? ORDER BY created_at, fingerprint",
                    rs -> new ArchiveKey(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            "active".equals(rs.getString(6)),
                            instant(rs.getString(7)),
                            instant(rs.getString(8)),
                            rs.getString(9)),
                    archiveId);
        }

        @Override
        public void insertKey(ArchiveKey k) {
            update(
                    "INSERT INTO archive_key (fingerprint, archive_id, algorithm, user_id, public_key, status, created_at, retired_at, "
                            + "certified_by) VALUES (?,?,?,?,?,?,?,?,?)",
                    k.fingerprint(),
                    k.archiveId(),
                    k.algorithm(),
                    k.userId(),
                    k.publicKey(),
                    k.active() ? "active" : "retired",
                    k.createdAt().toString(),
                    k.retiredAt() == null ? null : k.retiredAt().toString(),
                    k.certifiedBy());
        }

        @Override
        public void retireKey(long archiveId, String fingerprint, Instant now) {
            update(
                    "UPDATE archive_key SET status = 'retired', retired_at = ? WHERE archive_id = ? AND fingerprint = ?",
                    now.toString(),
                    archiveId,
                    fingerprint);
        }

        private static final String TOKEN_COLUMNS =
                "t.id, t.name, t.role, a.name, t.created_at, t.revoked_at FROM api_token t "
                        + "LEFT JOIN archive a ON a.id = t.archive_id";

        private static ApiToken token(ResultSet rs) throws SQLException {
            return new ApiToken(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    instant(rs.getString(5)),
                    instant(rs.getString(6)));
        }

        @Override
        public ApiToken insertToken(String name, String role, Long archiveId, String sha256, Instant now) {
            long id = insert(
                    "api_token",
                    "INSERT INTO api_token (id, name, role, archive_id, sha256, created_at) VALUES (?,?,?,?,?,?)",
                    name,
                    role,
                    archiveId,
                    sha256,
                    now.toString());
            return query("SELECT " + TOKEN_COLUMNS + " WHERE t.id = ?", Tx::token, id)
                    .get(0);
        }

        @Override
        public List<ApiToken> tokens() {
            return query("SELECT " + TOKEN_COLUMNS + " ORDER BY t.name", Tx::token);
        }

        @Override
        public Optional<ApiToken> tokenBySha256(String sha256) {
            return query("SELECT " + TOKEN_COLUMNS + " WHERE t.sha256 = ?", Tx::token, sha256).stream()
                    .findFirst();
        }

        @Override
        public boolean revokeToken(String name, Instant now) {
            return update(
                            "UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                            now.toString(),
                            name)
                    == 1;
        }

        @Override
        public List<Uploader> uploaders(long archiveId) {
            return query(
                    "SELECT a.name, u.fingerprint, u.user_ids, u.public_key, u.added_at FROM archive_uploader u "
                            + "JOIN archive a ON a.id = u.archive_id WHERE u.archive_id = ? ORDER BY u.added_at, u.fingerprint",
                    rs -> new Uploader(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            instant(rs.getString(5))),
                    archiveId);
        }

        @Override
        public void insertUploader(long archiveId, String fingerprint, String userIds, String publicKey, Instant now) {
            update(
                    "INSERT INTO archive_uploader (archive_id, fingerprint, user_ids, public_key, added_at) VALUES (?,?,?,?,?)",
                    archiveId,
                    fingerprint,
                    userIds,
                    publicKey,
                    now.toString());
        }

        @Override
        public boolean deleteUploader(long archiveId, String fingerprint) {
            return update(
                            "DELETE FROM archive_uploader WHERE archive_id = ? AND fingerprint = ?",
                            archiveId,
                            fingerprint)
                    == 1;
        }

        @Override
        public void updateUploader(long archiveId, String fingerprint, String publicKey) {
            update(
                    "UPDATE archive_uploader SET public_key = ? WHERE archive_id = ? AND fingerprint = ?",
                    publicKey,
                    archiveId,
                    fingerprint);
        }

        @Override
        public void insertUpload(long archiveId, UploadRecord u) {
            update(
                    "INSERT INTO upload_log (archive_id, changes, source, version, series, signer, token_name, status, reason, received_at, "
                            + "urgency) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    archiveId,
                    u.changes(),
                    u.source(),
                    u.version(),
                    u.series(),
                    u.signer(),
                    u.tokenName(),
                    u.status(),
                    u.reason(),
                    u.receivedAt().toString(),
                    u.urgency());
        }

        @Override
        public List<UploadRecord> uploads(long archiveId, int limit) {
            return query(
                    "SELECT u.id, a.name, u.changes, u.source, u.version, u.series, u.signer, u.token_name, u.status, u.reason, "
                            + "u.received_at, u.urgency FROM upload_log u JOIN archive a ON a.id = u.archive_id WHERE u.archive_id = ? "
                            + "ORDER BY u.id DESC LIMIT ?",
                    rs -> new UploadRecord(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getString(10),
                            instant(rs.getString(11)),
                            rs.getString(12)),
                    archiveId,
                    limit);
        }

        /**
         * The distinct values in runs of at most {@code size}, for {@code IN (...)} lists (a statement takes at most
         * 999 parameters in older SQLite builds; queries using a list twice take runs of 400).
         */
        private static <T> List<List<T>> chunks(Collection<T> values, int size) {
            List<T> all = new ArrayList<>(new LinkedHashSet<>(values));
            List<List<T>> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i += size) {
                out.add(all.subList(i, Math.min(all.size(), i + size)));
            }
            return out;
        }

        private static String marks(int n) {
            return String.join(",", Collections.nCopies(n, "?"));
        }
    }
}
