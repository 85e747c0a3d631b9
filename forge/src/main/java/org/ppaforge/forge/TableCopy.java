package org.ppaforge.forge;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.ppaforge.common.sql.Databases;

/**
 * Copies the rows of every module's tables from one installation's databases to another's (SQLite files and
 * PostgreSQL alike: both have the same tables and columns), table by table, parents first, each table in one
 * transaction of the target. A table the target already holds as many rows of is skipped (a migration run again after
 * a stop goes on where it was); one it holds other rows of stops the copy.
 */
final class TableCopy {
    /** Each module's database (its SQLite file) and its tables, parents before the tables that refer to them. */
    static final Map<String, List<String>> TABLES = Map.of(
            "ppaforge.db",
            List.of(
                    "archive",
                    "pool_file",
                    "source_package",
                    "source_file",
                    "binary_package",
                    "source_publication",
                    "binary_publication",
                    "archive_key",
                    "archive_uploader",
                    "upload_log",
                    "api_token"),
            "builds.db",
            List.of("build", "chroot", "archive_dependency"),
            "pipelines.db",
            List.of("pipeline", "run", "run_step", "run_callback"),
            "qa.db",
            List.of(
                    "coverage_report",
                    "coverage_file",
                    "rebuild_set",
                    "rebuild_run",
                    "rebuild_result",
                    "coverage_project"));

    /** The order the files are copied in (the map above has none). */
    static final List<String> FILES = List.of("ppaforge.db", "builds.db", "pipelines.db", "qa.db");

    /** Columns that refer to a row of their own table, set once every row is in. */
    private static final Map<String, String> SELF_REFERENCES = Map.of("source_publication", "superseded_by");

    private TableCopy() {}

    /** A connection to a module's database: its SQLite file, or the shared database. */
    static Connection connect(Databases databases, Path dataDir, String file) throws SQLException {
        return databases.shared()
                ? databases.pool().getConnection()
                : DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(file));
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Copies {@code table}; answers the rows copied (0 when it was there already).
     *
     * @param postgres whether the target is PostgreSQL (its identity sequences are moved past the copied ids)
     */
    static long copy(Connection from, Connection to, String table, boolean postgres) throws SQLException {
        long have = count(to, table);
        long want = count(from, table);
        if (have == want) {
            return 0;
        }
        if (have != 0) {
            throw new SQLException("the target's table " + table + " holds " + have + " rows, not the source's " + want
                    + ": migrate into empty stores");
        }
        String self = SELF_REFERENCES.get(table);
        boolean auto = to.getAutoCommit();
        to.setAutoCommit(false);
        long n = 0;
        try (Statement s = from.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnName(i));
            }
            int selfAt = self == null ? -1 : columns.indexOf(self);
            List<Object[]> later = new ArrayList<>();
            try (PreparedStatement insert =
                    to.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                            + String.join(",", Collections.nCopies(columns.size(), "?")) + ")")) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        Object v = rs.getObject(i);
                        if (i - 1 == selfAt && v != null) {
                            later.add(new Object[] {v, rs.getObject("id")});
                            v = null;
                        }
                        insert.setObject(i, v);
                    }
                    insert.addBatch();
                    if (++n % 1000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            if (!later.isEmpty()) {
                try (PreparedStatement update =
                        to.prepareStatement("UPDATE " + table + " SET " + self + " = ? WHERE id = ?")) {
                    for (Object[] row : later) {
                        update.setObject(1, row[0]);
                        update.setObject(2, row[1]);
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            }
            if (postgres && columns.contains("id")) {
                try (Statement st = to.createStatement()) {
                    st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE(MAX(id), 1), "
                            + "MAX(id) IS NOT NULL) FROM " + table);
                }
            }
            to.commit();
        } catch (SQLException | RuntimeException e) {
            to.rollback();
            throw e;
        } finally {
            to.setAutoCommit(auto);
        }
        return n;
    }
}
