package org.ppaforge.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ppaforge.common.ForgeException;

/**
 * Databases as tables of rows in a form no engine owns: each table's rows as JSON lines (one JSON array of values per
 * row; text, whole numbers, decimals, {@code null}, and {@code {"b64": ...}} for bytes), in chunks of {@value #ROWS}
 * rows in the table's key order (stored compressed), so a chunk nobody changed is the same object next time. The rows are read in one read
 * transaction (consistent while the server writes); they go back into
 * a database whose schema the modules made (their own migrations), so a dump restores into any engine that has them.
 */
final class TableDump {
    static final int ROWS = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One chunk of a table, as bytes to store. */
    interface Chunks {
        /** Takes a chunk's bytes ({@code key}: its database, table and place there); returns the blob holding them. */
        String accept(String key, byte[] chunk) throws IOException;
    }

    private TableDump() {}

    /**
     * A database's state as of one read transaction, begun when this is made: the databases are in WAL mode, so that
     * transaction sees one consistent state while the server goes on writing, and {@link #dump} reads every table from
     * it. A backup begins the reads of every database before it looks at any file.
     */
    static final class Reader implements AutoCloseable {
        private final Connection c;
        private final String name;
        private final List<String> tables = new ArrayList<>();

        Reader(Path database, String name) throws IOException {
            this.name = name;
            try {
                c = DriverManager.getConnection("jdbc:sqlite:" + database);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 60000");
                }
                c.setAutoCommit(false); // one transaction, and so one snapshot, for every table
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                                + " AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IOException("cannot read " + name + ": " + e.getMessage(), e);
            }
        }

        /** Every table, its rows handed to {@code out} chunk by chunk. */
        List<Snapshot.TableEntry> dump(Chunks out) throws IOException {
            List<Snapshot.TableEntry> entries = new ArrayList<>();
            try {
                for (String table : tables) {
                    entries.add(dumpTable(c, name, table, out));
                }
            } catch (SQLException e) {
                throw new IOException("cannot read " + name + ": " + e.getMessage(), e);
            }
            return entries;
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException e) {
                // a read-only transaction: nothing to lose
            }
        }
    }

    private static Snapshot.TableEntry dumpTable(Connection c, String database, String table, Chunks out)
            throws SQLException, IOException {
        List<String> columns = new ArrayList<>();
        List<String> chunks = new ArrayList<>();
        long rows = 0;
        String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
        // The key order (rowid, or the primary key of a table without one) keeps unchanged chunks the same bytes.
        String order = hasRowid(c, quoted) ? " ORDER BY rowid" : "";
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + quoted + order)) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnName(i));
            }
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            JsonGenerator json = JSON.getFactory().createGenerator(chunk);
            json.setRootValueSeparator(new SerializedString("\n"));
            int inChunk = 0;
            while (rs.next()) {
                json.writeStartArray();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    if (v == null) {
                        json.writeNull();
                    } else if (v instanceof byte[] bytes) {
                        json.writeStartObject();
                        json.writeStringField("b64", Base64.getEncoder().encodeToString(bytes));
                        json.writeEndObject();
                    } else if (v instanceof Integer || v instanceof Long) {
                        json.writeNumber(((Number) v).longValue());
                    } else if (v instanceof Number n) {
                        json.writeNumber(n.doubleValue());
                    } else {
                        json.writeString(v.toString());
                    }
                }
                json.writeEndArray();
                rows++;
                if (++inChunk == ROWS) {
                    json.writeRaw('\n');
                    json.flush();
                    chunks.add(out.accept(database + "/" + table + "/" + chunks.size(), chunk.toByteArray()));
                    chunk.reset();
                    json = JSON.getFactory().createGenerator(chunk);
                    json.setRootValueSeparator(new SerializedString("\n"));
                    inChunk = 0;
                }
            }
            json.writeRaw('\n');
            json.flush();
            if (inChunk > 0) {
                chunks.add(out.accept(database + "/" + table + "/" + chunks.size(), chunk.toByteArray()));
            }
        }
        return new Snapshot.TableEntry(database, table, columns, rows, chunks);
    }

    private static boolean hasRowid(Connection c, String quoted) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rowid FROM " + quoted + " LIMIT 1")) {
            return true;
        } catch (SQLException e) {
            return false; // WITHOUT ROWID
        }
    }

    /** The rows of a chunk. */
    interface ChunkSource {
        byte[] read(String object) throws IOException;
    }

    /**
     * Puts the tables' rows into the database at {@code database}, whose schema its module's migrations made: each
     * table's rows replace what it holds, in one transaction per database. A column the database lacks (a backup
     * from a newer ppaforge) is refused, naming it.
     */
    static void load(Path database, List<Snapshot.TableEntry> tables, ChunkSource chunks) throws IOException {
        if (!Files.isRegularFile(database)) {
            throw new IOException("no database " + database.getFileName() + " to restore into");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = OFF");
                // Room for the whole load in memory (up to 128 MiB): with SQLite's default 2 MiB the index pages of a
                // large table were written out and read back over and over (200,000 writes for a 30 MB database).
                s.execute("PRAGMA cache_size = -131072");
            }
            for (Snapshot.TableEntry t : tables) {
                loadTable(c, t, chunks);
            }
            c.commit();
        } catch (SQLException e) {
            throw ForgeException.invalid("cannot restore " + database.getFileName() + ": " + e.getMessage());
        }
    }

    private static void loadTable(Connection c, Snapshot.TableEntry t, ChunkSource chunks)
            throws SQLException, IOException {
        String quoted = "\"" + t.table().replace("\"", "\"\"") + "\"";
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + quoted);
        } catch (SQLException e) {
            throw ForgeException.invalid("the backup has a table " + t.table() + " in " + t.database()
                    + " that this ppaforge does not have: restore with the version that made it");
        }
        List<String> cols = t.columns().stream()
                .map(x -> "\"" + x.replace("\"", "\"\"") + "\"")
                .toList();
        String sql = "INSERT INTO " + quoted + " (" + String.join(", ", cols) + ") VALUES ("
                + String.join(", ", cols.stream().map(x -> "?").toList()) + ")";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (String object : t.chunks()) {
                String text = new String(Zlib.plain(chunks.read(object)), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    JsonNode row = JSON.readTree(line);
                    for (int i = 0; i < cols.size(); i++) {
                        JsonNode v = row.get(i);
                        if (v == null || v.isNull()) {
                            p.setNull(i + 1, Types.NULL);
                        } else if (v.isObject()) {
                            p.setBytes(
                                    i + 1,
                                    Base64.getDecoder().decode(v.get("b64").asText()));
                        } else if (v.isIntegralNumber()) {
                            p.setLong(i + 1, v.asLong());
                        } else if (v.isNumber()) {
                            p.setDouble(i + 1, v.asDouble());
                        } else {
                            p.setString(i + 1, v.asText());
                        }
                    }
                    p.addBatch();
                }
                p.executeBatch();
            }
        } catch (SQLException e) {
            throw ForgeException.invalid(
                    "cannot restore table " + t.table() + " of " + t.database() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
