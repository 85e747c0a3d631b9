package org.ppaforge.qa;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.ppaforge.common.ForgeException;
import org.ppaforge.qa.coverage.FileCoverage;

/**
 * The files with the most missed lines in a commit's report (the newest when none is named): the list a release team
 * files as bugs, as Markdown (one section per file with its missed lines) or as data.
 */
public final class LeastCovered {
    private final Qa qa;
    private String project;
    private String commit;
    private int limit = 20;

    LeastCovered(Qa qa) {
        this.qa = qa;
    }

    public LeastCovered project(String project) {
        this.project = project;
        return this;
    }

    public LeastCovered commit(String commit) {
        this.commit = commit;
        return this;
    }

    public LeastCovered limit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw ForgeException.invalid("--limit is 1 to 10000, not " + limit);
        }
        this.limit = limit;
        return this;
    }

    public record Result(CoverageSummary summary, List<FileCoverage> files) {
        /** Ready to paste into a bug tracker: one heading per file, its coverage and its missed lines. */
        public String markdown() {
            StringBuilder s = new StringBuilder("# Least covered files of " + summary.project() + " at "
                    + summary.commit()
                    + String.format(Locale.ROOT, " (%.1f %% of %d lines)%n%n", summary.percent(), summary.lines()));
            for (FileCoverage f : files) {
                s.append(String.format(
                        Locale.ROOT,
                        "## %s: %d of %d lines not covered (%.1f %% covered)%n%n",
                        f.path(),
                        f.missedLines(),
                        f.lines(),
                        f.percent()));
                s.append("Missed lines: ").append(f.missed().ranges()).append("\n\n");
            }
            return s.toString();
        }
    }

    public Result call() {
        CoverageSummary s = qa.report(project, commit);
        List<FileCoverage> files = qa.store().files(s.project(), s.commit()).stream()
                .filter(f -> f.missedLines() > 0)
                .sorted(Comparator.comparingInt(FileCoverage::missedLines)
                        .reversed()
                        .thenComparing(FileCoverage::path))
                .limit(limit)
                .toList();
        return new Result(s, files);
    }
}
