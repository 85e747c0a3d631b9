package org.ppaforge.common.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.sqlite.SQLiteConfig;

/**
 * A module's own SQLite file (the build farm's {@code builds.db}, the pipelines' {@code pipelines.db}): one connection,
 * used by one caller at a time, its migrations applied by {@link Migrations} into a version table of its own, and short
 * transactions. The archive's store has its own, tuned connection handling.
 */
public final class SqliteDatabase extends Database {
    private final Connection c;
    private final String what;
    private int depth;

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
            Migrations.apply(c, Dialect.SQLITE, base, migrations, versionTable);
            return new SqliteDatabase(c, what);
        } catch (SQLException | IOException e) {
            throw new ForgeException(
                    ForgeException.Kind.IO, "cannot open " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    protected Connection connection() {
        return c;
    }

    @Override
    public synchronized <T> T tx(Work<T> work) {
        try {
            if (depth > 0) {
                return work.run();
            }
            c.setAutoCommit(false);
            depth++;
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                depth--;
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new ForgeException(ForgeException.Kind.IO, what + ": " + e.getMessage(), e);
        }
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
