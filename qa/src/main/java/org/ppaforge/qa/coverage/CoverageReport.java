package org.ppaforge.qa.coverage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A coverage report as read from one or more files: per source file, with totals.
 *
 * @param format jacoco, cobertura or lcov (several, comma-joined, for a merge)
 */
public record CoverageReport(String format, List<FileCoverage> files) {
    public CoverageReport {
        files = List.copyOf(files);
    }

    public int lines() {
        return files.stream().mapToInt(FileCoverage::lines).sum();
    }

    public int coveredLines() {
        return files.stream().mapToInt(FileCoverage::coveredLines).sum();
    }

    public int branches() {
        return files.stream().mapToInt(FileCoverage::branches).sum();
    }

    public int branchesCovered() {
        return files.stream().mapToInt(FileCoverage::branchesCovered).sum();
    }

    public double percent() {
        return lines() == 0 ? 100.0 : 100.0 * coveredLines() / lines();
    }

    /**
     * Several reports of one commit as one (e.g. the Python part and the C part): files of the same path are merged, a
     * line covered in either counts as covered.
     */
    public static CoverageReport merge(List<CoverageReport> reports) {
        Map<String, FileCoverage> byPath = new TreeMap<>();
        List<String> formats = new ArrayList<>();
        for (CoverageReport r : reports) {
            if (!formats.contains(r.format())) {
                formats.add(r.format());
            }
            for (FileCoverage f : r.files()) {
                byPath.merge(f.path(), f, CoverageReport::mergeFile);
            }
        }
        return new CoverageReport(String.join(",", formats), new ArrayList<>(byPath.values()));
    }

    static FileCoverage mergeFile(FileCoverage a, FileCoverage b) {
        LineSet covered = a.covered().union(b.covered());
        return new FileCoverage(
                a.path(),
                covered,
                a.missed().union(b.missed()).minus(covered),
                Math.max(a.branches(), b.branches()),
                Math.max(a.branchesCovered(), b.branchesCovered()));
    }
}
