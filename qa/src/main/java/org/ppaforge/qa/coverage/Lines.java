package org.ppaforge.qa.coverage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Collects line hits and branch counts per file while a report is read; a line hit anywhere counts as covered. */
final class Lines {
    /** More files than this in one report is not a project's report. */
    static final int MAX_FILES = 200_000;
    private final Map<String, TreeMap<Integer, Boolean>> hits = new LinkedHashMap<>();
    private final Map<String, int[]> branches = new LinkedHashMap<>();
    private final String source;

    Lines(String source) {
        this.source = source;
    }

    void file(String path) throws CoverageFormatException {
        if (path == null || path.isBlank()) {
            throw new CoverageFormatException(source + ": a file without a name");
        }
        if (!hits.containsKey(path) && hits.size() >= MAX_FILES) {
            throw new CoverageFormatException(source + ": more than " + MAX_FILES + " files");
        }
        hits.computeIfAbsent(path, k -> new TreeMap<>());
        branches.computeIfAbsent(path, k -> new int[2]);
    }

    void line(String path, long number, boolean hit) throws CoverageFormatException {
        if (number < 1 || number > LineSet.MAX_LINE) {
            throw new CoverageFormatException(source + ": line number " + number + " in " + path + " is out of range");
        }
        file(path);
        hits.get(path).merge((int) number, hit, Boolean::logicalOr);
    }

    void branches(String path, long total, long covered) throws CoverageFormatException {
        if (total < 0 || covered < 0 || covered > total || total > Integer.MAX_VALUE) {
            throw new CoverageFormatException(source + ": branch counts " + covered + "/" + total + " in " + path + " make no sense");
        }
        file(path);
        int[] b = branches.get(path);
        b[0] += (int) total;
        b[1] += (int) covered;
    }

    CoverageReport report(String format) {
        List<FileCoverage> files = new ArrayList<>();
        hits.forEach((path, lines) -> {
            int[] covered = lines.entrySet().stream().filter(Map.Entry::getValue).mapToInt(Map.Entry::getKey).toArray();
            int[] missed = lines.entrySet().stream().filter(e -> !e.getValue()).mapToInt(Map.Entry::getKey).toArray();
            int[] b = branches.get(path);
            files.add(new FileCoverage(path, LineSet.of(covered), LineSet.of(missed), b[0], b[1]));
        });
        return new CoverageReport(format, files);
    }

    static long number(String text, String what, String source) throws CoverageFormatException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new CoverageFormatException(source + ": " + what + " is not a number: '" + text + "'");
        }
    }
}
