package org.ppaforge.common.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.ppaforge.common.ForgeException;

/**
 * A module's tables on a PostgreSQL server shared with the other modules and other ppaforge servers. Each transaction
 * takes a connection from the process's pool ({@link Databases}) and gives it back at its end; transactions of
 * different threads run at once. A transaction that loses a deadlock or a serialization conflict against another server
 * runs again (up to {@link #ATTEMPTS} times), so its work must be safe to repeat: every store's work is (it touches
 * nothing but the database).
 */
public final class PostgresDatabase extends Database {
    static final int ATTEMPTS = 5;
    private final DataSource pool;
    private final String what;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    private PostgresDatabase(DataSource pool, String what) {
        this.pool = pool;
        this.what = what;
    }

    /** Applies the module's PostgreSQL migrations (once, whichever server gets there first) and opens it. */
    public static PostgresDatabase open(
            DataSource pool, Class<?> base, List<String> migrations, String versionTable, String what) {
        try (Connection c = pool.getConnection()) {
            Migrations.apply(c, Dialect.POSTGRESQL, base, migrations, versionTable);
        } catch (SQLException e) {
            throw new ForgeException(ForgeException.Kind.IO, "cannot open " + what + ": " + e.getMessage(), e);
        }
        return new PostgresDatabase(pool, what);
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    protected Connection connection() throws SQLException {
        Connection c = current.get();
        if (c == null) {
            throw new SQLException(what + ": a statement outside a transaction");
        }
        return c;
    }

    @Override
    public <T> T tx(Work<T> work) {
        if (current.get() != null) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                current.set(c);
                try {
                    T result = work.run();
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    current.remove();
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && retryable(e)) {
                    continue;
                }
                throw failure(e);
            }
        }
    }

    /** Serialization failures and deadlocks (SQLSTATE class 40): the other transaction won, this one can run again. */
    static boolean retryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && s.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    private ForgeException failure(SQLException e) {
        return new ForgeException(ForgeException.Kind.IO, what + ": " + e.getMessage(), e);
    }

    /** The pool belongs to {@link Databases}, which closes it. */
    @Override
    public void close() {}
}
