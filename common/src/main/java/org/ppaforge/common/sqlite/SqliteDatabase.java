package org.ppaforge.common.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.sqlite.SQLiteConfig;

/**
 * A module's own SQLite file (the build farm's {@code builds.db}, the pipelines' {@code pipelines.db}): one connection,
 * used by one caller at a time, its migrations applied by {@link Migrations} into a version table of its own, and short
 * transactions. The archive's store has its own, tuned connection handling.
 */
public final class SqliteDatabase implements AutoCloseable {
    private final Connection c;
    private final String what;

    private SqliteDatabase(Connection c, String what) {
        this.c = c;
        this.what = what;
    }

    /**
     * @param base the class next to whose package the migration scripts are resources
     * @param what how errors name it, e.g. "the build store"
     */
    public static SqliteDatabase open(
            Path file, Class<?> base, List<String> migrations, String versionTable, String what) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(30_000);
            config.enforceForeignKeys(true);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            Migrations.apply(c, base, migrations, versionTable);
            return new SqliteDatabase(c, what);
        } catch (SQLException | IOException e) {
            throw new ForgeException(
                    ForgeException.Kind.IO, "cannot open " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction (all of it or none), one caller at a time. */
    public synchronized <T> T tx(Work<T> work) {
        try {
            c.setAutoCommit(false);
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new ForgeException(ForgeException.Kind.IO, what + ": " + e.getMessage(), e);
        }
    }

    /** A statement with its parameters bound: instants as ISO-8601 text, enums by name, booleans as 1 or 0. */
    public PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            p.setObject(
                    i + 1,
                    a instanceof Instant t
                            ? t.toString()
                            : a instanceof Enum<?> e ? e.name() : a instanceof Boolean b ? (b ? 1 : 0) : a);
        }
        return p;
    }

    public int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(sql, args)) {
            return p.executeUpdate();
        }
    }

    /** The first column of every row of a query, as whole numbers (ids). */
    public List<Long> longs(String sql, Object... args) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement p = prepare(sql, args);
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    public static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
