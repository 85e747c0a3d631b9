package org.ppaforge.qa.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ppaforge.common.sql.Database;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;

/** Rebuild sets, runs and results in {@code qa.db}. */
public final class SqlRebuildStore implements RebuildStore {
    private final Database db;

    SqlRebuildStore(Database db) {
        this.db = db;
    }

    @Override
    public void insertSet(RebuildSet s) {
        db.tx(() -> db.update(
                "INSERT INTO rebuild_set (name, from_archive, from_series, packages, into_archive, series, schedule, "
                        + "webhook, created_at, from_key) VALUES (?,?,?,?,?,?,?,?,?,?)",
                s.name(),
                s.from(),
                s.fromSeries(),
                String.join(",", s.packages()),
                s.into(),
                s.series(),
                s.schedule(),
                s.webhook(),
                s.createdAt(),
                s.fromKey()));
    }

    @Override
    public List<RebuildSet> sets() {
        return db.tx(() -> {
            List<RebuildSet> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT name, from_archive, from_series, packages, into_archive, series, schedule, "
                                    + "webhook, created_at, from_key FROM rebuild_set ORDER BY name");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new RebuildSet(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            List.of(rs.getString(4).split(",")),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            Database.instant(rs.getString(9)),
                            rs.getString(10)));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<RebuildSet> set(String name) {
        return sets().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Asks the server's runner for a run of {@code set} ({@code force}: even what did not change). */
    @Override
    public void request(String set, boolean force) {
        db.tx(() -> db.update("UPDATE rebuild_set SET requested = ? WHERE name = ?", force ? "force" : "run", set));
    }

    /** Takes the request of {@code set}, if any: null, "run" or "force". */
    @Override
    public String takeRequest(String set) {
        return db.tx(() -> {
            String r = null;
            try (PreparedStatement p = db.prepare("SELECT requested FROM rebuild_set WHERE name = ?", set);
                    ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    r = rs.getString(1);
                }
            }
            db.update("UPDATE rebuild_set SET requested = NULL WHERE name = ?", set);
            return r;
        });
    }

    @Override
    public boolean requested(String set) {
        return db.tx(() -> {
            try (PreparedStatement p = db.prepare("SELECT requested FROM rebuild_set WHERE name = ?", set);
                    ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getString(1) != null;
            }
        });
    }

    @Override
    public long startRun(String set, Instant now) {
        return db.tx(() -> {
            // Numbered after the set's highest run (not a count: expired runs are deleted), in the same transaction.
            return db.insert(
                    "INSERT INTO rebuild_run (set_name, state, started_at, number) VALUES (?, 'running', ?, "
                            + "(SELECT COALESCE(MAX(number), 0) + 1 FROM rebuild_run WHERE set_name = ?)) RETURNING id",
                    set,
                    now,
                    set);
        });
    }

    @Override
    public void finishRun(long run, String message, Instant now) {
        db.tx(() -> db.update(
                "UPDATE rebuild_run SET state = 'done', finished_at = ?, message = ? WHERE id = ?", now, message, run));
    }

    @Override
    public void putResult(RebuildResult r) {
        db.tx(() -> db.update(
                "INSERT INTO rebuild_result (run_id, package, version, rebuilt_version, built, build_id, test, "
                        + "retried_from, verdict, last_good_version, last_good_at, message, env_key, at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (run_id, package) DO UPDATE SET "
                        + "version = excluded.version, rebuilt_version = excluded.rebuilt_version, built = excluded.built, "
                        + "build_id = excluded.build_id, test = excluded.test, retried_from = excluded.retried_from, "
                        + "verdict = excluded.verdict, last_good_version = excluded.last_good_version, "
                        + "last_good_at = excluded.last_good_at, message = excluded.message, env_key = excluded.env_key, "
                        + "at = excluded.at",
                r.run(),
                r.pkg(),
                r.version(),
                r.rebuiltVersion(),
                r.built(),
                r.buildId(),
                r.test(),
                r.retriedFrom(),
                r.verdict(),
                r.lastGoodVersion(),
                r.lastGoodAt(),
                r.message(),
                r.envKey(),
                r.at()));
    }

    /** The runs of a set, newest first. */
    @Override
    public List<Long> finishedRunsBeyond(String set, int keep) {
        return db.tx(() -> db.longs(
                "SELECT id FROM rebuild_run WHERE set_name = ? AND state <> 'running' AND id NOT IN "
                        + "(SELECT id FROM rebuild_run WHERE set_name = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
                set,
                set,
                keep));
    }

    @Override
    public void deleteRun(long run) {
        db.tx(() -> {
            db.update("DELETE FROM rebuild_result WHERE run_id = ?", run);
            return db.update("DELETE FROM rebuild_run WHERE id = ?", run);
        });
    }

    @Override
    public List<RebuildRun> runs(String set, int limit) {
        return db.tx(() -> {
            List<RebuildRun> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT id, set_name, state, started_at, finished_at, message, number FROM rebuild_run WHERE "
                                    + "set_name = ? ORDER BY id DESC LIMIT ?",
                            set,
                            limit);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new RebuildRun(
                            rs.getLong(1),
                            rs.getLong(7),
                            rs.getString(2),
                            rs.getString(3),
                            Database.instant(rs.getString(4)),
                            Database.instant(rs.getString(5)),
                            rs.getString(6),
                            results("WHERE run_id = ? ORDER BY package", rs.getLong(1))));
                }
            }
            return out;
        });
    }

    /** A package's results in a set's runs, oldest first (its history). */
    @Override
    public List<RebuildResult> history(String set, String pkg) {
        return db.tx(() -> results(
                "WHERE package = ? AND run_id IN (SELECT id FROM rebuild_run WHERE set_name = ?) ORDER BY run_id",
                pkg,
                set));
    }

    private List<RebuildResult> results(String where, Object... args) throws SQLException {
        List<RebuildResult> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare(
                        "SELECT run_id, package, version, rebuilt_version, built, build_id, test, retried_from, "
                                + "verdict, last_good_version, last_good_at, message, env_key, at FROM rebuild_result "
                                + where,
                        args);
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                long build = rs.getLong(6);
                Long buildId = rs.wasNull() ? null : build;
                out.add(new RebuildResult(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5) != 0,
                        buildId,
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        Database.instant(rs.getString(11)),
                        rs.getString(12),
                        rs.getString(13),
                        Database.instant(rs.getString(14))));
            }
        }
        return out;
    }
}
