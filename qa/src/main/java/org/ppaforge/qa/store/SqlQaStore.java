package org.ppaforge.qa.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.ppaforge.common.sql.Database;
import org.ppaforge.common.sql.Databases;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.coverage.CoverageReport;
import org.ppaforge.qa.coverage.FileCoverage;
import org.ppaforge.qa.coverage.LineSet;

/**
 * The QA module's store in SQL, {@code qa.db} (the embedded default) or the shared PostgreSQL database: coverage
 * reports per project and commit, with their files, and the rebuild sets.
 */
public final class SqlQaStore implements QaStore {
    private static final List<String> MIGRATIONS =
            List.of("Q1__coverage.sql", "Q2__rebuilds.sql", "Q3__coverage_owner.sql", "Q4__rebuild_run_number.sql");
    private static final String SUMMARY =
            "SELECT project, git_commit, branch, format, files, lines, covered, branches, branches_covered, "
                    + "created_at FROM coverage_report ";
    /** PostgreSQL's: the schema as the SQLite scripts leave it; append to both lists from here on. */
    private static final List<String> POSTGRES_MIGRATIONS = List.of("pg/Q1__schema.sql");

    private final Database db;

    private final RebuildStore rebuilds;

    private SqlQaStore(Database db) {
        this.db = db;
        rebuilds = new SqlRebuildStore(db);
    }

    public static SqlQaStore open(Databases databases) {
        return new SqlQaStore(databases.open(
                "qa.db", SqlQaStore.class, MIGRATIONS, POSTGRES_MIGRATIONS, "qa_schema_version", "the QA store"));
    }

    /** The rebuild sets' tables in the same file. */
    @Override
    public RebuildStore rebuilds() {
        return rebuilds;
    }

    /** Stores the report of a commit, replacing an earlier one of the same commit, in one transaction. */
    @Override
    public void putCoverage(String project, String commit, String branch, CoverageReport r, Instant now) {
        db.tx(() -> {
            db.update(
                    "DELETE FROM coverage_file WHERE report_id IN (SELECT id FROM coverage_report WHERE project = ? AND git_commit = ?)",
                    project,
                    commit);
            db.update("DELETE FROM coverage_report WHERE project = ? AND git_commit = ?", project, commit);
            long id = db.insert(
                    "INSERT INTO coverage_report (project, git_commit, branch, format, files, lines, covered, branches, "
                            + "branches_covered, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
                    project,
                    commit,
                    branch,
                    r.format(),
                    r.files().size(),
                    r.lines(),
                    r.coveredLines(),
                    r.branches(),
                    r.branchesCovered(),
                    now);
            try (PreparedStatement p =
                    db.prepare("INSERT INTO coverage_file (report_id, path, lines, covered, branches, "
                            + "branches_covered, covered_lines, missed_lines) VALUES (?,?,?,?,?,?,?,?)")) {
                for (FileCoverage f : r.files()) {
                    p.setLong(1, id);
                    p.setString(2, f.path());
                    p.setInt(3, f.lines());
                    p.setInt(4, f.coveredLines());
                    p.setInt(5, f.branches());
                    p.setInt(6, f.branchesCovered());
                    p.setString(7, f.covered().ranges());
                    p.setString(8, f.missed().ranges());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** The archive a coverage project belongs to (empty: none recorded yet). */
    @Override
    public Optional<String> projectArchive(String project) {
        return db.tx(() -> {
            try (PreparedStatement p = db.prepare("SELECT archive FROM coverage_project WHERE name = ?", project);
                    ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** Records the project's archive, if none is yet; returns the one recorded. */
    @Override
    public String claimProject(String project, String archive, Instant now) {
        return db.tx(() -> {
            db.update(
                    "INSERT INTO coverage_project (name, archive, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    project,
                    archive,
                    now.toString());
            try (PreparedStatement p = db.prepare("SELECT archive FROM coverage_project WHERE name = ?", project);
                    ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    @Override
    public Optional<CoverageSummary> summary(String project, String commit) {
        return summaries("WHERE project = ? AND git_commit = ?", project, commit).stream()
                .findFirst();
    }

    /** The newest report of the project (of one branch when it is not null). */
    @Override
    public Optional<CoverageSummary> latest(String project, String branch) {
        return summaries(
                        "WHERE project = ? AND (CAST(? AS TEXT) IS NULL OR branch = ?) ORDER BY id DESC LIMIT 1",
                        project,
                        branch,
                        branch)
                .stream()
                .findFirst();
    }

    /** The project's reports, oldest first; the newest {@code limit}. */
    @Override
    public List<CoverageSummary> trend(String project, String branch, int limit) {
        List<CoverageSummary> out = new ArrayList<>(summaries(
                "WHERE project = ? AND (CAST(? AS TEXT) IS NULL OR branch = ?) ORDER BY id DESC LIMIT ?",
                project,
                branch,
                branch,
                limit));
        Collections.reverse(out);
        return out;
    }

    @Override
    public List<String> projects() {
        return db.tx(() -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare("SELECT DISTINCT project FROM coverage_report ORDER BY project");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The files of a commit's report, as stored. */
    @Override
    public List<FileCoverage> files(String project, String commit) {
        return db.tx(() -> {
            List<FileCoverage> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(
                            "SELECT f.path, f.covered_lines, f.missed_lines, f.branches, f.branches_covered "
                                    + "FROM coverage_file f JOIN coverage_report r ON r.id = f.report_id WHERE r.project = ? AND r.git_commit = ? "
                                    + "ORDER BY f.path",
                            project,
                            commit);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new FileCoverage(
                            rs.getString(1),
                            LineSet.parse(rs.getString(2)),
                            LineSet.parse(rs.getString(3)),
                            rs.getInt(4),
                            rs.getInt(5)));
                }
            }
            return out;
        });
    }

    private List<CoverageSummary> summaries(String where, Object... args) {
        return db.tx(() -> {
            List<CoverageSummary> out = new ArrayList<>();
            try (PreparedStatement p = db.prepare(SUMMARY + where, args);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
            return out;
        });
    }

    private static CoverageSummary summary(ResultSet rs) throws SQLException {
        return new CoverageSummary(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getInt(7),
                rs.getInt(8),
                rs.getInt(9),
                Database.instant(rs.getString(10)));
    }

    @Override
    public void close() {
        db.close();
    }
}
