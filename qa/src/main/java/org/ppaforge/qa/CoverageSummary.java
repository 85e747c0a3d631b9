package org.ppaforge.qa;

import java.time.Instant;

/** A commit's coverage totals. */
public record CoverageSummary(
        String project,
        String commit,
        String branch,
        String format,
        int files,
        int lines,
        int covered,
        int branches,
        int branchesCovered,
        Instant createdAt) {
    /** Covered lines in percent. */
    public double percent() {
        return lines == 0 ? 100.0 : 100.0 * covered / lines;
    }

    /** Covered branches in percent (null when the report has no branches). */
    public Double branchPercent() {
        return branches == 0 ? null : 100.0 * branchesCovered / branches;
    }
}
