package org.ppaforge.common.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.ppaforge.common.ForgeException;

/**
 * Where every module keeps its tables: the embedded default (one SQLite file per module under the data directory) or
 * one PostgreSQL database shared by all modules and all servers, reached through one connection pool per process
 * (HikariCP). Each module opens its own {@link Database} here with both engines' migrations.
 */
public final class Databases implements AutoCloseable {
    /** Connections per process unless {@code PPAFORGE_DATABASE_POOL} says otherwise. */
    public static final int DEFAULT_POOL = 10;

    /**
     * HikariCP logs its pool's start and stop at INFO (through slf4j to java.util.logging, which prints to stderr): a
     * command's output is no place for them. Held here so that the setting is not collected with the logger.
     */
    private static final java.util.logging.Logger HIKARI_LOG = quiet();

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("com.zaxxer.hikari");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    private final Path dataDir;
    private final PostgresUrl url;
    private final HikariDataSource pool;

    private Databases(Path dataDir, PostgresUrl url, HikariDataSource pool) {
        this.dataDir = dataDir;
        this.url = url;
        this.pool = pool;
    }

    /** The embedded default: SQLite files under {@code dataDir}. */
    public static Databases embedded(Path dataDir) {
        return new Databases(dataDir, null, null);
    }

    /**
     * {@code database} null or empty: the embedded default under {@code dataDir}; else a {@code postgresql://} URI. The
     * data directory still holds what is local to this machine (caches, the incoming queue).
     */
    public static Databases of(Path dataDir, String database) {
        if (database == null || database.isBlank()) {
            return embedded(dataDir);
        }
        if (!PostgresUrl.isPostgres(database)) {
            throw new ForgeException(
                    ForgeException.Kind.INVALID,
                    "unknown database " + database + ": give a postgresql://user@host/db URI, or none for the embedded "
                            + "SQLite files");
        }
        PostgresUrl url = PostgresUrl.parse(database);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setPoolName("ppaforge");
        config.setMaximumPoolSize(poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        config.setInitializationFailTimeout(-1); // the first getConnection() reports it, with our message
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "ppaforge");
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            pool.close();
            throw new ForgeException(
                    ForgeException.Kind.IO, "cannot reach the database " + url + ": " + e.getMessage(), e);
        }
        return new Databases(dataDir, url, pool);
    }

    private static int poolSize() {
        String s = System.getenv("PPAFORGE_DATABASE_POOL");
        try {
            return s == null || s.isBlank() ? DEFAULT_POOL : Math.max(2, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            throw new ForgeException(ForgeException.Kind.INVALID, "PPAFORGE_DATABASE_POOL must be a number, not " + s);
        }
    }

    /** Whether the tables live in a database shared with other servers (PostgreSQL). */
    public boolean shared() {
        return pool != null;
    }

    public Dialect dialect() {
        return shared() ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    /** The shared database's pool (null for the embedded default). */
    public DataSource pool() {
        return pool;
    }

    /**
     * A connection of its own, outside the pool, for what lives as long as a session (advisory locks that say which
     * server runs a background task): the pool would recycle it. The caller closes it.
     */
    public Connection session() throws SQLException {
        if (!shared()) {
            throw new IllegalStateException("the embedded database has no sessions to share");
        }
        java.util.Properties p = new java.util.Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("ApplicationName", "ppaforge");
        p.setProperty("tcpKeepAlive", "true");
        return java.sql.DriverManager.getConnection(url.jdbcUrl(), p);
    }

    /** Work done holding a lock across servers. */
    @FunctionalInterface
    public interface Locked<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} while no other server (or thread) runs work under the same {@code name}: on a shared database
     * under a session-level advisory lock held on one of the pool's connections for the duration; on the embedded
     * default it simply runs (its callers lock files of their own).
     */
    public <T, E extends Exception> T locked(String name, Locked<T, E> work) throws E {
        if (!shared()) {
            return work.run();
        }
        Connection c;
        try {
            c = pool.getConnection();
            try (java.sql.PreparedStatement p = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                p.setString(1, "ppaforge " + name);
                p.execute();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new ForgeException(
                    ForgeException.Kind.IO, "cannot lock '" + name + "' in " + url + ": " + e.getMessage(), e);
        }
        try {
            return work.run();
        } finally {
            try (java.sql.PreparedStatement p = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                p.setString(1, "ppaforge " + name);
                p.execute();
            } catch (SQLException e) {
                // closing the connection below ends the session's locks only if the pool drops it: make it drop it
                try {
                    c.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // gone already
                }
            } finally {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // given back
                }
            }
        }
    }

    /** Reports the pool's use to a Micrometer registry (nothing for the embedded default, which has no pool). */
    public void bindMetrics(Object micrometerRegistry) {
        if (pool != null && pool.getMetricRegistry() == null) {
            pool.setMetricRegistry(micrometerRegistry);
        }
    }

    /** How messages name where the tables are: the URI without its password, or the data directory. */
    public String describe() {
        return shared() ? url.shown() : dataDir.toString();
    }

    /**
     * Opens a module's database: {@code file} under the data directory with {@code sqlite} migrations, or its tables in
     * the shared database with {@code postgres} migrations (each list recorded in {@code versionTable}).
     */
    public Database open(
            String file, Class<?> base, List<String> sqlite, List<String> postgres, String versionTable, String what) {
        return shared()
                ? PostgresDatabase.open(pool, base, postgres, versionTable, what)
                : SqliteDatabase.open(dataDir.resolve(file), base, sqlite, versionTable, what);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
