package org.ppaforge.archive.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.sql.Dialect;
import org.ppaforge.debian.Version;

/** One transaction on the store's connection: prepared statements kept per connection, inserts batched (parents first, so foreign keys hold at every statement) and flushed before any read, ids assigned while the write lock is held, and the row mappers every kind of data shares. The store's statements sit in layers on top of it, one kind of data each. */
abstract class SqlTx implements StoreTx {
    static final String SOURCE_COLUMNS = "sp.id, sp.archive_id, sp.series, sp.component, sp.source_id, sp.name, "
            + "sp.version, sp.status, sp.origin, sp.created_at, sp.created_by, sp.superseded_at, sp.deleted_at, sp.deleted_by, "
            + "sp.deleted_reason, s.dsc_sha256 IS NOT NULL FROM source_publication sp JOIN source_package s ON s.id = sp.source_id";
    static final String BINARY_COLUMNS = "bp.id, bp.source_publication_id, bp.binary_id, b.name, b.version, "
            + "b.architecture, b.filename, b.sha256, bp.status FROM binary_publication bp JOIN binary_package b ON b.id = bp.binary_id";

    final Connection c;
    final Map<String, PreparedStatement> statements;
    final Dialect dialect;
    // Writers hold SQLite's write lock for the whole transaction, so ids can be assigned
    // here: that spares sqlite-jdbc's extra last_insert_rowid() query per insert.
    final Map<String, long[]> nextIds = new HashMap<>();
    // Inserts are queued as JDBC batches (one native call per batch instead of per row) and
    // flushed before any other statement and before commit, so reads see every write.
    // (sql -> table), executed parents first so foreign keys hold at every statement.
    final Map<String, String> pending = new HashMap<>();
    int pendingRows;
    static final List<String> PARENTS_FIRST = List.of(
            "archive", "source_package", "binary_package", "source_publication", "binary_publication", "api_token");

    SqlTx(Connection c, Map<String, PreparedStatement> statements, Dialect dialect) {
        this.c = c;
        this.statements = statements;
        this.dialect = dialect;
    }

    PreparedStatement prepare(String sql) {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            try {
                p = c.prepareStatement(sql);
            } catch (SQLException e) {
                throw new Sql(e);
            }
            statements.put(sql, p);
        }
        return p;
    }

    PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement p = prepare(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            for (String table : PARENTS_FIRST) {
                for (var e : pending.entrySet()) {
                    if (e.getValue().equals(table)) {
                        statements.get(e.getKey()).executeBatch();
                    }
                }
            }
            pending.clear();
            pendingRows = 0;
        } catch (SQLException e) {
            throw new Sql(e);
        }
    }

    <T> List<T> query(String sql, Rows<T> mapper, Object... args) {
        flush();
        try (ResultSet rs = bind(sql, args).executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new Sql(e);
        }
    }

    int update(String sql, Object... args) {
        flush();
        try {
            return bind(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw new Sql(e);
        }
    }

    /** Inserts a row into {@code table} with the next id; {@code sql} lists {@code id} as its first column. */
    long insert(String table, String sql, Object... args) {
        long[] next = nextIds.get(table);
        if (next == null) {
            next = new long[] {
                query("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table, rs -> rs.getLong(1))
                        .get(0)
            };
            nextIds.put(table, next);
        }
        long id = next[0]++;
        try {
            PreparedStatement p = prepare(sql);
            p.setLong(1, id);
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 2, args[i]);
            }
            p.addBatch();
            pending.put(sql, table);
            if (++pendingRows >= 5000) {
                flush();
            }
        } catch (SQLException e) {
            throw new Sql(e);
        }
        return id;
    }

    static List<String> split(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static Archive archive(ResultSet rs) throws SQLException {
        return new Archive(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                split(rs.getString(4)),
                split(rs.getString(5)),
                split(rs.getString(6)),
                instant(rs.getString(7)));
    }

    static SourcePublication source(ResultSet rs) throws SQLException {
        return new SourcePublication(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getString(6),
                Version.parse(rs.getString(7)),
                Status.ofSql(rs.getString(8)),
                rs.getString(9),
                instant(rs.getString(10)),
                rs.getString(11),
                instant(rs.getString(12)),
                instant(rs.getString(13)),
                rs.getString(14),
                rs.getString(15),
                rs.getBoolean(16));
    }

    static BinaryPublication binary(ResultSet rs) throws SQLException {
        return new BinaryPublication(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4),
                Version.parse(rs.getString(5)),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                Status.ofSql(rs.getString(9)));
    }

    /** Query arguments: the leading ones, then the values of an IN list. */
    static Object[] args(Object a, Object b, List<?> values) {
        Object[] out = new Object[values.size() + 2];
        out[0] = a;
        out[1] = b;
        for (int i = 0; i < values.size(); i++) {
            out[2 + i] = values.get(i);
        }
        return out;
    }

    void insertSourceFiles(long id, List<PoolFile> files) {
        for (PoolFile f : files) {
            update(
                    "INSERT INTO source_file (source_id, filename, sha256) VALUES (?,?,?)",
                    id,
                    f.filename(),
                    f.sha256());
        }
    }

    /**
     * Binary publication rows as one text column each: sqlite-jdbc pays a native call per column read,
     * which dominated a 20,000-row read (0.4 s for 9 columns); none of the values can hold 0x1f.
     */
    List<IndexRows.BinaryChange> binaryRows(String where, Object... args) {
        Map<String, String> interned = new HashMap<>();
        List<IndexRows.BinaryChange> out = new ArrayList<>();
        String us = " || " + dialect.chr(31) + " || ";
        for (String row : query(
                "SELECT bp.series" + us + "bp.status" + us + "b.id" + us + "b.name" + us + "b.architecture" + us
                        + "sp.component" + us + "sp.name" + us + "b.filename" + us + "b.sha256" + us + "bp.id "
                        + "FROM binary_publication bp JOIN binary_package b ON b.id = bp.binary_id "
                        + "JOIN source_publication sp ON sp.id = bp.source_publication_id " + where,
                rs -> rs.getString(1),
                args)) {
            String[] f = new String[10];
            for (int i = 0, from = 0; i < 10; i++) {
                int to = i == 9 ? row.length() : row.indexOf('\u001f', from);
                f[i] = row.substring(from, to);
                from = to + 1;
            }
            IndexRows.Binary b = new IndexRows.Binary(
                    Long.parseLong(f[2]),
                    f[3],
                    interned.computeIfAbsent(f[4], k -> k),
                    interned.computeIfAbsent(f[5], k -> k),
                    f[6],
                    f[7],
                    f[8],
                    Long.parseLong(f[9]));
            out.add(new IndexRows.BinaryChange(interned.computeIfAbsent(f[0], k -> k), "published".equals(f[1]), b));
        }
        return out;
    }

    static final String TOKEN_COLUMNS = "t.id, t.name, t.role, a.name, t.created_at, t.revoked_at FROM api_token t "
            + "LEFT JOIN archive a ON a.id = t.archive_id";

    static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                instant(rs.getString(5)),
                instant(rs.getString(6)));
    }

    /**
     * The distinct values in runs of at most {@code size}, for {@code IN (...)} lists (a statement takes at most
     * 999 parameters in older SQLite builds; queries using a list twice take runs of 400).
     */
    static <T> List<List<T>> chunks(Collection<T> values, int size) {
        List<T> all = new ArrayList<>(new LinkedHashSet<>(values));
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** Carries an SQLException through the verbs' lambdas. */
    static final class Sql extends RuntimeException {
        final SQLException cause;

        Sql(SQLException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    @FunctionalInterface
    interface Rows<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
