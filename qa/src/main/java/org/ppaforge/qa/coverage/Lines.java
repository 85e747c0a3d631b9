package org.ppaforge.qa.coverage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects line hits and branch counts per file while a report is read; a line hit anywhere counts as covered. Each
 * line record costs four bytes (line number and hit in one int, sorted and merged at the end), and a report holds at
 * most {@link #MAX_RECORDS} of them, so one upload takes a bounded share of the heap whatever its size (a 129 MB lcov
 * file once held the heap for a minute as boxed map entries).
 */
final class Lines {
    /** More files than this in one report is not a project's report. */
    static final int MAX_FILES = 200_000;
    /** More line records than this (64 MiB of them) in one report is not a project's report either. */
    static final int MAX_RECORDS = 16 << 20;

    private final Map<String, int[]> hits = new LinkedHashMap<>();
    private final Map<String, Integer> used = new HashMap<>();
    private long records;
    private final long maxRecords;
    private final Map<String, int[]> branches = new LinkedHashMap<>();
    private final String source;

    Lines(String source) {
        this(source, MAX_RECORDS);
    }

    Lines(String source, long maxRecords) {
        this.source = source;
        this.maxRecords = maxRecords;
    }

    void file(String path) throws CoverageFormatException {
        if (path == null || path.isBlank()) {
            throw new CoverageFormatException(source + ": a file without a name");
        }
        if (!hits.containsKey(path) && hits.size() >= MAX_FILES) {
            throw new CoverageFormatException(source + ": more than " + MAX_FILES + " files");
        }
        hits.computeIfAbsent(path, k -> new int[8]);
        branches.computeIfAbsent(path, k -> new int[2]);
    }

    void line(String path, long number, boolean hit) throws CoverageFormatException {
        if (number < 1 || number > LineSet.MAX_LINE) {
            throw new CoverageFormatException(source + ": line number " + number + " in " + path + " is out of range");
        }
        file(path);
        if (++records > maxRecords) {
            throw new CoverageFormatException(
                    source + ": more than " + maxRecords + " line records (a report holds at most "
                            + "that many, so one upload takes a bounded share of memory)");
        }
        int n = used.getOrDefault(path, 0);
        int[] a = hits.get(path);
        if (n == a.length) {
            a = Arrays.copyOf(a, Math.min(Integer.MAX_VALUE - 8, a.length * 2));
            hits.put(path, a);
        }
        a[n] = (int) number << 1 | (hit ? 1 : 0);
        used.put(path, n + 1);
    }

    void branches(String path, long total, long covered) throws CoverageFormatException {
        if (total < 0 || covered < 0 || covered > total || total > Integer.MAX_VALUE) {
            throw new CoverageFormatException(
                    source + ": branch counts " + covered + "/" + total + " in " + path + " make no sense");
        }
        file(path);
        int[] b = branches.get(path);
        b[0] += (int) total;
        b[1] += (int) covered;
    }

    CoverageReport report(String format) {
        List<FileCoverage> files = new ArrayList<>();
        hits.forEach((path, records) -> {
            int n = used.getOrDefault(path, 0);
            int[] sorted = Arrays.copyOf(records, n);
            Arrays.sort(sorted); // by line, then missed before hit
            int[] covered = new int[n];
            int[] missed = new int[n];
            int c = 0;
            int m = 0;
            for (int i = 0; i < n; i++) {
                int line = sorted[i] >>> 1;
                if (i + 1 < n && sorted[i + 1] >>> 1 == line) {
                    continue; // the last record of a line is its hit one, if any
                }
                if ((sorted[i] & 1) == 1) {
                    covered[c++] = line;
                } else {
                    missed[m++] = line;
                }
            }
            covered = Arrays.copyOf(covered, c);
            missed = Arrays.copyOf(missed, m);
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
