package org.ppaforge.pipeline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ppaforge.common.sql.Database;
import org.ppaforge.common.sql.Databases;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;

/**
 * Pipelines and their runs in SQL: {@code pipelines.db} (the embedded default) or the shared PostgreSQL database; short
 * transactions.
 */
public final class SqlPipelineStore implements PipelineStore {
    private static final List<String> MIGRATIONS = List.of(
            "P1__pipelines.sql",
            "P2__callbacks.sql",
            "P3__triggers.sql",
            "P4__cancel.sql",
            "P5__run_archive.sql",
            "P6__series_cells.sql",
            "P7__run_files.sql");
    /** PostgreSQL's: the schema as the SQLite scripts leave it; append to both lists from here on. */
    private static final List<String> POSTGRES_MIGRATIONS = List.of("pg/P1__schema.sql", "pg/P2__run_files.sql");

    private final Database db;

    private SqlPipelineStore(Database db) {
        this.db = db;
    }

    public static SqlPipelineStore open(Databases databases) {
        return new SqlPipelineStore(databases.open(
                "pipelines.db",
                SqlPipelineStore.class,
                MIGRATIONS,
                POSTGRES_MIGRATIONS,
                "pipeline_schema_version",
                "the pipeline store"));
    }

    private static Instant instant(String s) {
        return Database.instant(s);
    }

    @Override
    public void insertPipeline(Pipeline p) {
        db.tx(() -> db.update(
                "INSERT INTO pipeline (name, git_url, branch, file, key_fingerprint, created_at) VALUES (?,?,?,?,?,?)",
                p.name(),
                p.gitUrl(),
                p.branch(),
                p.file(),
                p.keyFingerprint(),
                p.createdAt()));
    }

    @Override
    public List<Pipeline> pipelines() {
        return db.tx(() -> {
            List<Pipeline> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT name, git_url, branch, file, key_fingerprint, created_at FROM pipeline ORDER BY name");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pipeline(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            instant(rs.getString(6))));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Pipeline> pipeline(String name) {
        return pipelines().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public void requestCancel(long run) {
        db.tx(() -> db.update("UPDATE run SET cancel_requested = 1 WHERE id = ?", run));
    }

    @Override
    public boolean cancelRequested(long run) {
        return db.tx(() -> {
            try (PreparedStatement p = db.prepare("SELECT cancel_requested FROM run WHERE id = ?", run);
                    ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        });
    }

    @Override
    public TriggerState triggerState(String pipeline) {
        return db.tx(() -> {
            try (PreparedStatement p = db.prepare(
                            "SELECT seen_commit, polled_at, poll_seconds, schedule, daily_on, daily_commit FROM "
                                    + "pipeline WHERE name = ?",
                            pipeline);
                    ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long poll = rs.getLong(3);
                return new TriggerState(
                        rs.getString(1),
                        instant(rs.getString(2)),
                        rs.wasNull() ? null : poll,
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6));
            }
        });
    }

    @Override
    public void polled(String pipeline, String commit, Instant at, Long pollSeconds, String schedule) {
        db.tx(() -> db.update(
                "UPDATE pipeline SET seen_commit = ?, polled_at = ?, poll_seconds = ?, schedule = ? WHERE name = ?",
                commit,
                at,
                pollSeconds,
                schedule,
                pipeline));
    }

    @Override
    public void scheduled(String pipeline, String day, String commit) {
        db.tx(() ->
                db.update("UPDATE pipeline SET daily_on = ?, daily_commit = ? WHERE name = ?", day, commit, pipeline));
    }

    @Override
    public long insertRun(String pipeline, String trigger, String ref, String onlySeries, Instant now) {
        return db.tx(() -> db.insert(
                "INSERT INTO run (pipeline, state, trigger, ref, created_at, only_series) VALUES (?,?,?,?,?,?) "
                        + "RETURNING id",
                pipeline,
                Run.QUEUED,
                trigger,
                ref,
                now,
                onlySeries));
    }

    @Override
    public Optional<Run> run(long id) {
        List<Run> r = runs("WHERE id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    @Override
    public List<Run> runsOf(String pipeline, int limit) {
        return runs(
                "WHERE (CAST(? AS TEXT) IS NULL OR pipeline = ?) ORDER BY id DESC LIMIT ?", pipeline, pipeline, limit);
    }

    @Override
    public List<Long> finishedRunsBeyond(String pipeline, int keep) {
        return db.tx(() -> db.longs(
                "SELECT id FROM run WHERE pipeline = ? AND state NOT IN (?, ?) AND id NOT IN "
                        + "(SELECT id FROM run WHERE pipeline = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
                pipeline,
                Run.QUEUED,
                Run.RUNNING,
                pipeline,
                keep));
    }

    @Override
    public void deleteRun(long run) {
        db.tx(() -> {
            db.update("DELETE FROM run_callback WHERE run_id = ?", run);
            db.update("DELETE FROM run_step WHERE run_id = ?", run);
            db.update("DELETE FROM run_file WHERE run_id = ?", run);
            return db.update("DELETE FROM run WHERE id = ?", run);
        });
    }

    @Override
    public void putRunFiles(long run, List<RunFile> files) {
        db.tx(() -> {
            db.update("DELETE FROM run_file WHERE run_id = ?", run);
            for (RunFile f : files) {
                db.update(
                        "INSERT INTO run_file (run_id, kind, path, sha256, bytes) VALUES (?,?,?,?,?)",
                        run,
                        f.kind(),
                        f.path(),
                        f.sha256(),
                        f.bytes());
            }
            return null;
        });
    }

    @Override
    public List<RunFile> runFiles(Long run) {
        return db.tx(() -> {
            List<RunFile> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT run_id, kind, path, sha256, bytes FROM run_file WHERE (CAST(? AS BIGINT) IS NULL "
                                    + "OR run_id = ?) ORDER BY run_id, kind, path",
                            run,
                            run);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunFile(
                            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    /** The archive of the pipeline's newest run that names one. */
    @Override
    public Optional<String> latestArchive(String pipeline) {
        return db.tx(() -> {
            try (PreparedStatement p = db.prepare(
                            "SELECT archive FROM run WHERE pipeline = ? AND archive IS NOT NULL ORDER BY id DESC "
                                    + "LIMIT 1",
                            pipeline);
                    ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** The newest run that uploads to {@code archive}, if any. */
    @Override
    public Optional<Run> lastRunInto(String archive) {
        return runs("WHERE archive = ? ORDER BY id DESC LIMIT 1", archive).stream()
                .findFirst();
    }

    /** The oldest queued run, now running (null when none waits). */
    @Override
    public Run startNext(Instant now) {
        Long id = db.tx(() -> {
            try (PreparedStatement p =
                            db.prepare("SELECT id FROM run WHERE state = ? ORDER BY id LIMIT 1", Run.QUEUED);
                    ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long found = rs.getLong(1);
                db.update(
                        "UPDATE run SET state = ?, started_at = ? WHERE id = ? AND state = ?",
                        Run.RUNNING,
                        now,
                        found,
                        Run.QUEUED);
                return found;
            }
        });
        return id == null ? null : run(id).orElse(null);
    }

    @Override
    public void setCommit(long run, String commit, String version) {
        db.tx(() -> db.update(
                "UPDATE run SET git_commit = COALESCE(?, git_commit), version = COALESCE(?, version) WHERE id = ?",
                commit,
                version,
                run));
    }

    /** The archive the run's definition uploads to. */
    @Override
    public void setArchive(long run, String archive) {
        db.tx(() -> db.update("UPDATE run SET archive = ? WHERE id = ?", archive, run));
    }

    @Override
    public boolean finishRun(long run, String state, String message, Instant now) {
        return db.tx(() -> db.update(
                        "UPDATE run SET state = ?, message = ?, finished_at = ? WHERE id = ? AND state IN (?, ?)",
                        state,
                        message,
                        now,
                        run,
                        Run.QUEUED,
                        Run.RUNNING)
                > 0);
    }

    @Override
    public List<Long> failRunning(String message, Instant now) {
        return db.tx(() -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement p = db.prepare("SELECT id FROM run WHERE state = ? ORDER BY id", Run.RUNNING);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                db.update(
                        "UPDATE run_step SET state = ?, message = ?, finished_at = ? "
                                + "WHERE run_id = ? AND state IN ('running', 'waiting')",
                        Run.FAILED,
                        message,
                        now,
                        id);
                db.update(
                        "UPDATE run SET state = ?, message = ?, finished_at = ? WHERE id = ? AND state = ?",
                        Run.FAILED,
                        message,
                        now,
                        id,
                        Run.RUNNING);
            }
            return ids;
        });
    }

    @Override
    public void step(long run, int position, Run.Step step, String state, String message, Instant now) {
        String name = step.name();
        db.tx(() -> {
            int n = db.update(
                    "UPDATE run_step SET state = ?, message = ?, finished_at = CASE WHEN ? IN ('running', 'waiting') THEN NULL "
                            + "ELSE ? END, started_at = CASE WHEN ? = 'running' THEN ? ELSE started_at END WHERE run_id = ? AND position = ?",
                    state,
                    message,
                    state,
                    now,
                    state,
                    now,
                    run,
                    position);
            if (n == 0) {
                db.update(
                        "INSERT INTO run_step (run_id, position, name, state, message, started_at, finished_at, series, "
                                + "configuration) VALUES (?,?,?,?,?,?,?,?,?)",
                        run,
                        position,
                        name,
                        state,
                        message,
                        state.equals("running") ? now : null,
                        state.equals("running") || state.equals("waiting") ? null : now,
                        step.series(),
                        step.configuration());
            }
            return null;
        });
    }

    @Override
    public void expectCallback(long run, String step, String sha256, Instant until) {
        db.tx(() -> db.update(
                "INSERT INTO run_callback (run_id, step, sha256, until) VALUES (?,?,?,?) ON CONFLICT (run_id, step) "
                        + "DO UPDATE SET sha256 = excluded.sha256, until = excluded.until, result = NULL, message = NULL",
                run,
                step,
                sha256,
                until));
    }

    @Override
    public Optional<Callback> callback(long run, String step) {
        return callbacks("WHERE run_id = ? AND step = ?", run, step).stream().findFirst();
    }

    @Override
    public List<Callback> openCallbacks(long run) {
        return callbacks("WHERE run_id = ? AND sha256 IS NOT NULL", run);
    }

    private List<Callback> callbacks(String where, Object... args) {
        return db.tx(() -> {
            List<Callback> out = new ArrayList<>();
            try (PreparedStatement p =
                            db.prepare("SELECT step, sha256, until, result, message FROM run_callback " + where, args);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Callback(
                            rs.getString(1),
                            rs.getString(2),
                            instant(rs.getString(3)),
                            rs.getString(4),
                            rs.getString(5)));
                }
            }
            return out;
        });
    }

    @Override
    public boolean recordCallback(long run, String step, String result, String message, Instant now) {
        return db.tx(() -> db.update(
                        "UPDATE run_callback SET result = ?, message = ? WHERE run_id = ? AND step = ? "
                                + "AND sha256 IS NOT NULL AND result IS NULL AND until >= ? "
                                + "AND (SELECT state FROM run WHERE id = ?) = ?",
                        result,
                        message,
                        run,
                        step,
                        now,
                        run,
                        Run.RUNNING)
                > 0);
    }

    private List<Run> runs(String where, Object... args) {
        return db.tx(() -> {
            List<Run> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT id, pipeline, state, trigger, ref, git_commit, version, message, created_at, "
                                    + "started_at, finished_at, archive, only_series FROM run " + where,
                            args);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    List<Run.Step> steps = new ArrayList<>();
                    try (PreparedStatement s = db.prepare(
                                    "SELECT name, state, message, started_at, finished_at, series, configuration "
                                            + "FROM run_step WHERE "
                                            + "run_id = ? ORDER BY position",
                                    rs.getLong(1));
                            ResultSet r2 = s.executeQuery()) {
                        while (r2.next()) {
                            steps.add(new Run.Step(
                                    r2.getString(1),
                                    r2.getString(2),
                                    r2.getString(3),
                                    instant(r2.getString(4)),
                                    instant(r2.getString(5)),
                                    r2.getString(6),
                                    r2.getString(7)));
                        }
                    }
                    out.add(new Run(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(12),
                            rs.getString(8),
                            instant(rs.getString(9)),
                            instant(rs.getString(10)),
                            instant(rs.getString(11)),
                            rs.getString(13),
                            steps));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
