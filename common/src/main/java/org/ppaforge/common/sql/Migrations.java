package org.ppaforge.common.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Applies the schema migrations ({@code V<n>__<name>.sql}, Flyway's naming) in order, each
 * in its own transaction, recording them in {@code schema_version}. A small runner rather
 * than Flyway itself: Flyway's start-up (class-path scanning) would add hundreds of
 * milliseconds to every {@code ppa} command. Modules above the core apply their own scripts
 * with {@link #apply(Connection, Class, List, String)}, each recorded in a table of its own.
 */
public final class Migrations {
    private Migrations() {}

    /**
     * Applies {@code scripts} (resources next to {@code base}, in order) that {@code versionTable} does not record yet.
     */
    public static void apply(Connection c, Dialect dialect, Class<?> base, List<String> scripts, String versionTable)
            throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            applyLocked(c, base, scripts, versionTable);
            return;
        }
        List<String> ALL = scripts;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + versionTable
                    + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }
        int current = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
            rs.next();
            current = rs.getInt(1);
        }
        if (current > ALL.size()) {
            throw new SQLException("the database has schema version " + current + ", newer than this ppaforge ("
                    + ALL.size() + "): upgrade ppaforge");
        }
        for (int v = current + 1; v <= ALL.size(); v++) {
            String name = ALL.get(v - 1);
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Two processes may open a new data directory at once (the README's 'ppa serve &' and the next line):
                // take
                // the write lock first (a write statement does), then look again whether the other one applied this
                // script.
                s.execute("DELETE FROM " + versionTable + " WHERE version < 0");
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + versionTable + " WHERE version = " + v)) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        c.commit();
                        continue;
                    }
                }
                for (String sql : statements(script(base, name))) {
                    if (!sql.strip().isEmpty()
                            && !sql.strip().lines().allMatch(l -> l.strip().startsWith("--") || l.isBlank())) {
                        s.execute(sql);
                    }
                }
                s.execute(
                        "INSERT INTO " + versionTable + " VALUES (" + v + ", '" + name + "', '" + Instant.now() + "')");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * PostgreSQL: every pending script in one transaction (its DDL is transactional) under an advisory lock named after
     * the version table, so that servers starting together apply each script once and the second one finds it done.
     */
    private static void applyLocked(Connection c, Class<?> base, List<String> scripts, String versionTable)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('ppaforge migrations " + versionTable + "'))");
            s.execute("CREATE TABLE IF NOT EXISTS " + versionTable
                    + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            int current;
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > scripts.size()) {
                throw new SQLException("the database has schema version " + current + ", newer than this ppaforge ("
                        + scripts.size() + "): upgrade ppaforge");
            }
            for (int v = current + 1; v <= scripts.size(); v++) {
                String name = scripts.get(v - 1);
                try {
                    for (String sql : statements(script(base, name))) {
                        s.execute(sql);
                    }
                } catch (SQLException e) {
                    throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
                }
                s.execute(
                        "INSERT INTO " + versionTable + " VALUES (" + v + ", '" + name + "', '" + Instant.now() + "')");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The statements of a script: comment lines dropped, split at a ';' that ends a line. */
    public static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        return Arrays.stream(sb.toString().split(";\\s*\\n"))
                .filter(s -> !s.isBlank())
                .toList();
    }

    private static String script(Class<?> base, String name) {
        try (InputStream in = base.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
