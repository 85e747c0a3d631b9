package org.ppaforge.archive.store.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.sql.Dialect;
import org.ppaforge.common.sql.Migrations;
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
            "V12__contents_bytes.sql",
            "V13__binary_summary.sql",
            "V14__secret_keys.sql",
            "V15__incoming_files.sql");

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
            Migrations.apply(writer, Dialect.SQLITE, SqliteMetadataStore.class, MIGRATIONS, "schema_version");
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
            return work.apply(
                    new Tx(outer.connection, outer.statements, Dialect.SQLITE)); // inside a read: the same snapshot
        }
        Reader r = takeReader();
        reading.set(r);
        try {
            r.connection.setAutoCommit(false);
            try {
                return work.apply(new Tx(r.connection, r.statements, Dialect.SQLITE));
            } finally {
                r.connection.rollback();
                r.connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } catch (SqlTx.Sql e) {
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
                Tx tx = new Tx(writer, writerStatements, Dialect.SQLITE);
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
        } catch (SqlTx.Sql e) {
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
}
