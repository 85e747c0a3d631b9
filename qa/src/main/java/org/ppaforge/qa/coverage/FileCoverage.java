package org.ppaforge.qa.coverage;

/**
 * One source file's coverage: which lines ran and which did not (lines that are not code are in neither), and its
 * branches.
 *
 * @param path the file's path as the report names it (relative to the project where the format allows)
 */
public record FileCoverage(String path, LineSet covered, LineSet missed, int branches, int branchesCovered) {
    public int lines() {
        return covered.size() + missed.size();
    }

    public int coveredLines() {
        return covered.size();
    }

    public int missedLines() {
        return missed.size();
    }

    /** Covered lines in percent (100 for a file without code lines). */
    public double percent() {
        return lines() == 0 ? 100.0 : 100.0 * covered.size() / lines();
    }
}
