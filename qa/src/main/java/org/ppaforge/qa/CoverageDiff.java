package org.ppaforge.qa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ppaforge.qa.coverage.FileCoverage;

/** What changed per file between two commits' reports: files added or removed, and covered/missed lines that moved. */
public final class CoverageDiff {
    private final Qa qa;
    private String project;
    private String from;
    private String to;

    CoverageDiff(Qa qa) {
        this.qa = qa;
    }

    public CoverageDiff project(String project) {
        this.project = project;
        return this;
    }

    public CoverageDiff commits(String from, String to) {
        this.from = from;
        this.to = to;
        return this;
    }

    /** One file's change; {@code before} or {@code after} null when the file is only in one report. */
    public record Change(String path, FileCoverage before, FileCoverage after) {
        public double percentDelta() {
            return (after == null ? 0 : after.percent()) - (before == null ? 0 : before.percent());
        }
    }

    public record Result(CoverageSummary from, CoverageSummary to, List<Change> changes) {
        public double percentDelta() {
            return to.percent() - from.percent();
        }
    }

    public Result call() {
        CoverageSummary a = qa.report(project, from == null ? null : from);
        CoverageSummary b = qa.report(project, to == null ? null : to);
        Map<String, FileCoverage> before = new TreeMap<>();
        qa.store().files(a.project(), a.commit()).forEach(f -> before.put(f.path(), f));
        Map<String, FileCoverage> after = new TreeMap<>();
        qa.store().files(b.project(), b.commit()).forEach(f -> after.put(f.path(), f));
        TreeMap<String, Change> changes = new TreeMap<>();
        before.forEach((p, f) -> {
            FileCoverage g = after.get(p);
            if (g == null || !g.covered().equals(f.covered()) || !g.missed().equals(f.missed())) {
                changes.put(p, new Change(p, f, g));
            }
        });
        after.forEach((p, g) -> {
            if (!before.containsKey(p)) {
                changes.put(p, new Change(p, null, g));
            }
        });
        return new Result(a, b, new ArrayList<>(changes.values()));
    }
}
