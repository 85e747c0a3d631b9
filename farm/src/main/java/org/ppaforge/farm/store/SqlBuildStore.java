package org.ppaforge.farm.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.ppaforge.common.sql.Database;
import org.ppaforge.common.sql.Databases;
import org.ppaforge.common.sql.Dialect;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Chroot;

/**
 * The build store in SQL: {@code builds.db} beside the archive's SQLite file (the embedded default), or the
 * {@code build} tables of the shared PostgreSQL database. The build queue's operations are short transactions; a
 * worker's build takes minutes. Leases across servers: see {@link #leaseNext}.
 */
public final class SqlBuildStore implements BuildStore {
    static final List<String> MIGRATIONS = List.of(
            "B1__builds.sql",
            "B2__archive_dependencies.sql",
            "B3__queue_index.sql",
            "B4__lease_holder.sql",
            "B5__dependency_series.sql",
            "B6__build_plan.sql",
            "B7__build_logs.sql");
    /** PostgreSQL's: the schema as the SQLite scripts leave it; append to both lists from here on. */
    static final List<String> POSTGRES_MIGRATIONS = List.of("pg/B1__schema.sql", "pg/B2__build_logs.sql");

    private static final String COLUMNS =
            "id, archive, series, source, version, source_publication_id, source_id, architecture, "
                    + "arch_all, state, score, created_at, started_at, finished_at, worker, lease_until, attempts, unmet, message, "
                    + "cancel_requested, plan";
    /**
     * How long the server checking a build's results holds it (UPLOADING) before another server may take it as left
     * by a stopped server (see {@code RecoverBuilds}).
     */
    public static final java.time.Duration UPLOAD_LEASE = java.time.Duration.ofMinutes(30);

    private final Database db;

    private SqlBuildStore(Database db) {
        this.db = db;
    }

    public static SqlBuildStore open(Databases databases) {
        return new SqlBuildStore(databases.open(
                "builds.db",
                SqlBuildStore.class,
                MIGRATIONS,
                POSTGRES_MIGRATIONS,
                "build_schema_version",
                "the build store"));
    }

    private List<Build> builds(String where, Object... args) throws SQLException {
        List<Build> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare("SELECT " + COLUMNS + " FROM build " + where, args);
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new Build(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getString(8),
                        rs.getInt(9) != 0,
                        BuildState.valueOf(rs.getString(10)),
                        rs.getInt(11),
                        instant(rs.getString(12)),
                        instant(rs.getString(13)),
                        instant(rs.getString(14)),
                        rs.getString(15),
                        instant(rs.getString(16)),
                        rs.getInt(17),
                        rs.getString(18),
                        rs.getString(19),
                        rs.getInt(20) != 0,
                        rs.getString(21)));
            }
        }
        return out;
    }

    private static Instant instant(String s) {
        return Database.instant(s);
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    @Override
    public List<Build> insert(Collection<NewBuild> builds, Instant now) {
        return db.tx(() -> {
            List<Build> out = new ArrayList<>();
            for (NewBuild b : builds) {
                int n = db.update(
                        "INSERT INTO build (archive, series, source, version, source_publication_id, source_id, "
                                + "architecture, arch_all, state, score, created_at, plan) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                                + "ON CONFLICT DO NOTHING",
                        b.archive(),
                        b.series(),
                        b.source(),
                        b.version(),
                        b.sourcePublicationId(),
                        b.sourceId(),
                        b.architecture(),
                        b.archAll(),
                        b.state(),
                        b.score(),
                        now,
                        b.plan());
                if (n > 0) {
                    out.addAll(builds(
                            "WHERE source_publication_id = ? AND architecture = ?",
                            b.sourcePublicationId(),
                            b.architecture()));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Build> get(long id) {
        return db.tx(() -> builds("WHERE id = ?", id).stream().findFirst());
    }

    @Override
    public List<Build> list(String archive, BuildState state, String source, int limit) {
        return db.tx(() -> builds(
                "WHERE (CAST(? AS TEXT) IS NULL OR archive = ?) AND (CAST(? AS TEXT) IS NULL OR state = ?) "
                        + "AND (CAST(? AS TEXT) IS NULL OR source = ?) "
                        + "ORDER BY id DESC LIMIT ?",
                archive,
                archive,
                state,
                state,
                source,
                source,
                limit));
    }

    @Override
    public Set<Long> publicationsWithBuilds(String archive) {
        return db.tx(() -> {
            Set<Long> out = new HashSet<>();
            try (PreparedStatement p =
                            db.prepare("SELECT DISTINCT source_publication_id FROM build WHERE archive = ?", archive);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    @Override
    public List<StateCount> countByState() {
        return db.tx(() -> {
            List<StateCount> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare("SELECT state, COUNT(*), MIN(created_at) FROM build GROUP BY state");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new StateCount(
                            BuildState.valueOf(rs.getString(1)), rs.getLong(2), instant(rs.getString(3))));
                }
            }
            return out;
        });
    }

    @Override
    public List<Build> inStates(Collection<BuildState> states) {
        return db.tx(() -> builds("WHERE state IN (" + marks(states.size()) + ") ORDER BY id", states.toArray()));
    }

    @Override
    public Optional<Build> leaseNext(
            Collection<String> architectures, String worker, long token, Instant now, Instant leaseUntil) {
        if (architectures.isEmpty()) {
            return Optional.empty();
        }
        return db.tx(() -> {
            // The best score first; among equals, the archive with the fewest running builds, then the oldest build.
            // Each step reads an index, not every waiting build: the best score, each archive's oldest build of that
            // score, and the running counts (a few rows).
            String in = "architecture IN (" + marks(architectures.size()) + ")";
            Object[] archs = architectures.toArray();
            Integer best = null;
            try (PreparedStatement p =
                            db.prepare("SELECT MAX(score) FROM build WHERE state = 'WAITING' AND " + in, archs);
                    ResultSet rs = p.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    best = rs.getInt(1);
                }
            }
            if (best == null) {
                return Optional.<Build>empty();
            }
            Map<String, Long> oldest = new HashMap<>();
            List<Object> args = new ArrayList<>(architectures);
            args.add(best);
            try (PreparedStatement p = db.prepare(
                            "SELECT archive, MIN(id) FROM build WHERE state = 'WAITING' AND " + in
                                    + " AND score = ? GROUP BY archive",
                            args.toArray());
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    oldest.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<String, Integer> running = new HashMap<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT archive, COUNT(*) FROM build WHERE state = 'BUILDING' GROUP BY archive");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    running.put(rs.getString(1), rs.getInt(2));
                }
            }
            List<String> order = oldest.keySet().stream()
                    .sorted(Comparator.<String>comparingInt(a -> running.getOrDefault(a, 0))
                            .thenComparingLong(oldest::get))
                    .toList();
            Long id = null;
            for (String archive : order) {
                if (claim(oldest.get(archive))) {
                    id = oldest.get(archive);
                    break;
                }
            }
            if (id == null) { // other servers are leasing every candidate right now: the worker asks again
                return Optional.<Build>empty();
            }
            db.update(
                    "UPDATE build SET state = 'BUILDING', worker = ?, lease_token = ?, read_sha256 = NULL, started_at = ?, "
                            + "lease_until = ?, attempts = attempts + 1, finished_at = NULL WHERE id = ?",
                    worker,
                    token,
                    now,
                    leaseUntil,
                    id);
            return builds("WHERE id = ?", id).stream().findFirst();
        });
    }

    /**
     * Whether this transaction may lease build {@code id}. On SQLite the transaction holds the file's write lock, so
     * nobody else can. On PostgreSQL the row is locked {@code FOR UPDATE SKIP LOCKED}: a build another server is leasing
     * at this moment is passed over (not waited for), and one it has just leased is no longer WAITING.
     */
    private boolean claim(long id) throws SQLException {
        if (db.dialect() == Dialect.SQLITE) {
            return true;
        }
        try (PreparedStatement p = db.prepare(
                        "SELECT id FROM build WHERE id = ? AND state = 'WAITING' FOR UPDATE SKIP LOCKED", id);
                ResultSet rs = p.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public boolean transition(
            long id, Collection<BuildState> from, BuildState to, Instant now, String unmet, String message) {
        return db.tx(() -> {
            List<Object> args = new ArrayList<>(List.of(
                    to,
                    to.isFinal() ? now.toString() : "",
                    unmet == null ? "" : unmet,
                    message == null ? "" : message,
                    to,
                    to,
                    now.plus(UPLOAD_LEASE).toString(),
                    id));
            args.addAll(from);
            String sql = "UPDATE build SET state = ?, finished_at = COALESCE(NULLIF(?, ''), finished_at), "
                    + "unmet = COALESCE(NULLIF(?, ''), unmet), message = COALESCE(NULLIF(?, ''), message), "
                    + "lease_until = CASE WHEN ? = 'BUILDING' THEN lease_until WHEN ? = 'UPLOADING' THEN ? ELSE NULL END "
                    + "WHERE id = ? AND state IN (" + marks(from.size()) + ")";
            return db.update(sql, args.toArray()) > 0;
        });
    }

    @Override
    public boolean renewLease(long id, String worker, long token, Instant leaseUntil) {
        return db.tx(() -> db.update(
                        "UPDATE build SET lease_until = ? WHERE id = ? AND worker = ? AND lease_token = ? "
                                + "AND state = 'BUILDING'",
                        leaseUntil,
                        id,
                        worker,
                        token)
                > 0);
    }

    @Override
    public OptionalLong leaseToken(long id) {
        return db.tx(() -> {
            try (PreparedStatement p =
                            db.prepare("SELECT lease_token FROM build WHERE id = ? AND state = 'BUILDING'", id);
                    ResultSet rs = p.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    return OptionalLong.of(rs.getLong(1));
                }
                return OptionalLong.empty();
            }
        });
    }

    @Override
    public void grantRead(long id, String sha256) {
        db.tx(() -> db.update("UPDATE build SET read_sha256 = ? WHERE id = ? AND state = 'BUILDING'", sha256, id));
    }

    @Override
    public Optional<Build> readGrant(String sha256) {
        return db.tx(() -> builds("WHERE read_sha256 = ? AND state = 'BUILDING'", sha256).stream()
                .findFirst());
    }

    @Override
    public void requestCancel(long id) {
        db.tx(() -> db.update("UPDATE build SET cancel_requested = 1 WHERE id = ?", id));
    }

    @Override
    public List<Build> expireLeases(Instant now) {
        return db.tx(() -> {
            // The update checks the lease again: on a shared database the worker may have renewed it (through another
            // server) since the select, and another server may be expiring the same lease.
            List<Build> expired = new ArrayList<>();
            for (Build b : builds("WHERE state = 'BUILDING' AND lease_until < ?", now)) {
                if (db.update(
                                "UPDATE build SET state = 'WAITING', worker = NULL, lease_until = NULL, started_at = NULL "
                                        + "WHERE id = ? AND state = 'BUILDING' AND lease_until < ?",
                                b.id(),
                                now)
                        > 0) {
                    expired.add(b);
                }
            }
            return expired;
        });
    }

    @Override
    public int chrootGone(String series, String architecture) {
        return db.tx(() -> db.update(
                "UPDATE build SET state = 'CHROOT_WAIT' WHERE state = 'WAITING' AND series = ? AND architecture = ?",
                series,
                architecture));
    }

    @Override
    public int chrootArrived(String series, String architecture) {
        return db.tx(() -> db.update(
                "UPDATE build SET state = 'WAITING' WHERE state = 'CHROOT_WAIT' AND series = ? AND architecture = ?",
                series,
                architecture));
    }

    @Override
    public boolean requeue(long id, Collection<BuildState> from, Instant now) {
        List<Object> args = new ArrayList<>(List.of(id));
        args.addAll(from);
        return db.tx(() -> db.update(
                        "UPDATE build SET state = 'WAITING', worker = NULL, lease_until = NULL, started_at = NULL, "
                                + "finished_at = NULL, unmet = NULL, message = NULL, cancel_requested = 0 WHERE id = ? AND state IN ("
                                + marks(from.size()) + ")",
                        args.toArray())
                > 0);
    }

    @Override
    public void putChroot(Chroot ch) {
        db.tx(() -> db.update(
                "INSERT INTO chroot (series, architecture, sha256, size, mirror, suite, includes, created_at) "
                        + "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (series, architecture) DO UPDATE SET sha256 = excluded.sha256, "
                        + "size = excluded.size, mirror = excluded.mirror, suite = excluded.suite, includes = excluded.includes, "
                        + "created_at = excluded.created_at",
                ch.series(),
                ch.architecture(),
                ch.sha256(),
                ch.size(),
                ch.mirror(),
                ch.suite(),
                ch.includes(),
                ch.createdAt()));
    }

    @Override
    public List<Chroot> chroots() {
        return db.tx(() -> chrootRows("ORDER BY series, architecture"));
    }

    @Override
    public Optional<Chroot> chroot(String series, String architecture) {
        return db.tx(() -> chrootRows("WHERE series = ? AND architecture = ?", series, architecture).stream()
                .findFirst());
    }

    private List<Chroot> chrootRows(String where, Object... args) throws SQLException {
        List<Chroot> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare(
                        "SELECT series, architecture, sha256, size, mirror, suite, includes, created_at FROM chroot "
                                + where,
                        args);
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new Chroot(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        instant(rs.getString(8))));
            }
        }
        return out;
    }

    @Override
    public boolean removeChroot(String series, String architecture) {
        return db.tx(
                () -> db.update("DELETE FROM chroot WHERE series = ? AND architecture = ?", series, architecture) > 0);
    }

    @Override
    public List<ArchiveDependency> dependencies(String archive) {
        return db.tx(() -> {
            List<ArchiveDependency> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT kind, value, key, series FROM archive_dependency WHERE archive = ? ORDER BY position",
                            archive);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ArchiveDependency(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        });
    }

    @Override
    public void setDependencies(String archive, List<ArchiveDependency> dependencies) {
        db.tx(() -> {
            db.update("DELETE FROM archive_dependency WHERE archive = ?", archive);
            int i = 0;
            for (ArchiveDependency d : dependencies) {
                db.update(
                        "INSERT INTO archive_dependency (archive, position, kind, value, key, series) VALUES (?,?,?,?,?,?)",
                        archive,
                        i++,
                        d.kind(),
                        d.value(),
                        d.key(),
                        d.series());
            }
            return null;
        });
    }

    @Override
    public Set<String> dependents(String archive) {
        return db.tx(() -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT DISTINCT archive FROM archive_dependency WHERE kind = 'archive' AND value = ?",
                            archive);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public void logStart(long id, String header, Instant now) {
        db.tx(() -> {
            List<Long> done =
                    db.longs("SELECT build_id FROM build_log WHERE build_id = ? AND log_sha256 IS NOT NULL", id);
            if (!done.isEmpty()) { // a retry: the new attempt's log replaces the old one
                db.update("DELETE FROM build_log_chunk WHERE build_id = ?", id);
                db.update("DELETE FROM build_log WHERE build_id = ?", id);
            }
            db.update(
                    "INSERT INTO build_log (build_id, live_bytes, updated_at) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
                    id,
                    now);
            appendLocked(id, header, now);
            return null;
        });
    }

    @Override
    public long logAppend(long id, String text, Instant now) {
        return db.tx(() -> appendLocked(id, text, now));
    }

    /** Appends a chunk at the log's end, holding its row (two servers appending to one log take turns). */
    private long appendLocked(long id, String text, Instant now) throws SQLException {
        long size;
        try (PreparedStatement p = db.prepare(
                        "SELECT live_bytes FROM build_log WHERE build_id = ? AND log_sha256 IS NULL"
                                + (db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : ""),
                        id);
                ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                return -1;
            }
            size = rs.getLong(1);
        }
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > 0) {
            db.update(
                    "INSERT INTO build_log_chunk (build_id, start_byte, bytes, text) VALUES (?,?,?,?)",
                    id,
                    size,
                    bytes,
                    text);
            db.update("UPDATE build_log SET live_bytes = ?, updated_at = ? WHERE build_id = ?", size + bytes, now, id);
        }
        return size + bytes;
    }

    @Override
    public Optional<LogRow> log(long id) {
        return db.tx(() -> {
            try (PreparedStatement p = db.prepare(
                            "SELECT live_bytes, log_sha256, log_bytes, buildinfo_sha256 FROM build_log WHERE build_id = ?",
                            id);
                    ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<LogRow>empty();
                }
                return Optional.of(new LogRow(id, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            }
        });
    }

    @Override
    public List<LogChunk> logChunks(long id, long fromByte, long toByte) {
        return db.tx(() -> {
            List<LogChunk> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT start_byte, text FROM build_log_chunk WHERE build_id = ? AND start_byte + bytes > ? "
                                    + "AND start_byte < ? ORDER BY start_byte",
                            id,
                            fromByte,
                            toByte);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogChunk(rs.getLong(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    @Override
    public boolean logFinished(long id, String sha256, long bytes, Instant now) {
        return db.tx(() -> {
            int n = db.update(
                    "UPDATE build_log SET log_sha256 = ?, log_bytes = ?, live_bytes = 0, updated_at = ? "
                            + "WHERE build_id = ? AND log_sha256 IS NULL",
                    sha256,
                    bytes,
                    now,
                    id);
            db.update("DELETE FROM build_log_chunk WHERE build_id = ?", id);
            return n > 0;
        });
    }

    @Override
    public void logBuildinfo(long id, String sha256, Instant now) {
        db.tx(() -> {
            db.update(
                    "INSERT INTO build_log (build_id, live_bytes, updated_at) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
                    id,
                    now);
            return db.update("UPDATE build_log SET buildinfo_sha256 = ? WHERE build_id = ?", sha256, id);
        });
    }

    @Override
    public List<LogRow> logs() {
        return db.tx(() -> {
            List<LogRow> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT build_id, live_bytes, log_sha256, log_bytes, buildinfo_sha256 FROM build_log ORDER BY build_id");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                }
            }
            return out;
        });
    }

    @Override
    public void deleteLog(long id) {
        db.tx(() -> {
            db.update("DELETE FROM build_log_chunk WHERE build_id = ?", id);
            return db.update("DELETE FROM build_log WHERE build_id = ?", id);
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
