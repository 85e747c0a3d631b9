package org.ppaforge.archive.store.sqlite;

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
 * with {@link #apply(Connection, Class, List, String)}, recorded in a table of their own.
 */
public final class Migrations {
    /** In order; append, never edit a released one. */
    static final List<String> ALL = List.of(
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

    private Migrations() {}

    static void apply(Connection c) throws SQLException {
        apply(c, Migrations.class, ALL, "schema_version");
    }

    /**
     * Applies {@code scripts} (resources next to {@code base}, in order) that {@code versionTable} does not record yet.
     */
    public static void apply(Connection c, Class<?> base, List<String> scripts, String versionTable)
            throws SQLException {
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

    /** The statements of a script: comment lines dropped, split at a ';' that ends a line. */
    static List<String> statements(String script) {
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
