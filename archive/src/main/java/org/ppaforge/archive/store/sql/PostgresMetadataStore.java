package org.ppaforge.archive.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.sql.Databases;
import org.ppaforge.common.sql.Dialect;
import org.ppaforge.common.sql.Migrations;

/**
 * The metadata store on a PostgreSQL database shared by several ppaforge servers. The statements are the SQLite
 * store's ({@link Tx}); what differs is how transactions are made:
 *
 * <ul>
 *   <li>A write takes a transaction-level advisory lock first, so writers are one at a time across every server, as
 *       they are across processes on SQLite (ids are assigned while it is held). It waits up to {@link #LOCK_WAIT_SECONDS}
 *       and then fails as busy.
 *   <li>A read is a read-only {@code REPEATABLE READ} transaction: one snapshot for all its statements, never waiting
 *       for a writer.
 * </ul>
 *
 * Each transaction takes a connection from the process's pool and gives it back at its end.
 */
public final class PostgresMetadataStore implements MetadataStore {
    /** PostgreSQL's migrations: the schema as V1..V13 leave it in SQLite; append to both lists from here on. */
    static final List<String> MIGRATIONS = List.of(
            "pg/V1__schema.sql",
            "pg/V2__secret_keys.sql",
            "pg/V3__statement_triggers.sql",
            "pg/V4__incoming_files.sql");

    /** The advisory lock every metadata write takes (an arbitrary constant: "ppaf" in ASCII). */
    static final long WRITE_LOCK = 0x70706166L;

    static final int LOCK_WAIT_SECONDS = 60;

    private final DataSource pool;
    private final String shown;
    private final ThreadLocal<Tx> reading = new ThreadLocal<>();

    public PostgresMetadataStore(Databases databases) {
        if (!databases.shared()) {
            throw new IllegalArgumentException("not a PostgreSQL database: " + databases.describe());
        }
        this.pool = databases.pool();
        this.shown = databases.describe();
        try (Connection c = pool.getConnection()) {
            Migrations.apply(c, Dialect.POSTGRESQL, PostgresMetadataStore.class, MIGRATIONS, "schema_version");
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public <T> T read(Function<StoreTx, T> work) {
        Tx outer = reading.get();
        if (outer != null) {
            return work.apply(outer); // inside a read: the same snapshot
        }
        Map<String, PreparedStatement> statements = new HashMap<>();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            Tx tx = new Tx(c, statements, Dialect.POSTGRESQL);
            reading.set(tx);
            try {
                return work.apply(tx);
            } finally {
                reading.remove();
                closeAll(statements);
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } catch (SqlTx.Sql e) {
            throw translate(e.cause);
        }
    }

    @Override
    public <T> T write(Function<StoreTx, T> work) {
        if (reading.get() != null) { // the read could not see it, and would hold its snapshot through the write
            throw new IllegalStateException("a write may not start inside a read");
        }
        Map<String, PreparedStatement> statements = new HashMap<>();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT_SECONDS + "s'");
                    s.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
                }
                Tx tx = new Tx(c, statements, Dialect.POSTGRESQL);
                T result = work.apply(tx);
                tx.flush();
                c.commit();
                return result;
            } catch (RuntimeException | Error | SQLException e) {
                c.rollback();
                throw e;
            } finally {
                closeAll(statements);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } catch (SqlTx.Sql e) {
            throw translate(e.cause);
        }
    }

    private static void closeAll(Map<String, PreparedStatement> statements) {
        for (PreparedStatement p : statements.values()) {
            try {
                p.close();
            } catch (SQLException e) {
                // the connection goes back to the pool, which closes what is left
            }
        }
    }

    private ArchiveException translate(SQLException e) {
        if ("55P03".equals(e.getSQLState())) { // lock_not_available: another writer held the lock past lock_timeout
            return new ArchiveException(
                    ArchiveException.Kind.BUSY,
                    "the metadata store " + shown + " is busy: another writer held it for more than "
                            + LOCK_WAIT_SECONDS + " s; try again",
                    e);
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) { // connection exceptions
            return new ArchiveException(
                    ArchiveException.Kind.BUSY, "the database " + shown + " does not answer: " + e.getMessage(), e);
        }
        return new ArchiveException(
                ArchiveException.Kind.INVALID, "metadata store " + shown + ": " + e.getMessage(), e);
    }

    /** The pool belongs to {@link Databases}, which closes it. */
    @Override
    public void close() {}
}
