package org.ppaforge.common.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A module's database (the build farm's, the pipelines', QA's): short transactions through {@link #tx}, statements
 * bound the same way on either engine. {@link SqliteDatabase} is the embedded default (a file of the module's own);
 * {@link PostgresDatabase} shares a server with every other module and every other ppaforge server. Opened through
 * {@link Databases}.
 */
public abstract class Database implements AutoCloseable {
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction (all of it or none); a transaction inside a transaction joins it. */
    public abstract <T> T tx(Work<T> work);

    public abstract Dialect dialect();

    /** The connection of the transaction this thread is in. */
    protected abstract Connection connection() throws SQLException;

    /** A statement with its parameters bound: instants as ISO-8601 text, enums by name, booleans as 1 or 0. */
    public PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement p = connection().prepareStatement(sql);
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

    /** Runs an {@code INSERT ... RETURNING id} and answers the new row's id. */
    public long insert(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(sql, args);
                ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the insert returned no id: " + sql);
            }
            return rs.getLong(1);
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
    public abstract void close();
}
