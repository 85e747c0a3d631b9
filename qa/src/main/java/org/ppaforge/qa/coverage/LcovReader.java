package org.ppaforge.qa.coverage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * lcov's tracefile ({@code .info}, from {@code lcov --capture}, {@code geninfo}, and many other tools): records from
 * {@code SF:path} to {@code end_of_record} with {@code DA:line,hits} and {@code BRDA:line,block,branch,taken} ({@code -}
 * when never reached). Other record types (TN, FN, FNDA, LF, LH, BRF, BRH, ...) are checked for form only.
 */
public final class LcovReader {
    /** The longest line read (a longer one is not a tracefile). */
    static final int MAX_LINE_LENGTH = 1 << 16;

    private LcovReader() {}

    public static CoverageReport read(InputStream in, String source) throws CoverageFormatException {
        Lines lines = new Lines(source);
        String file = null;
        boolean any = false;
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                String where = source + ":" + n;
                if (line.length() > MAX_LINE_LENGTH) {
                    throw new CoverageFormatException(
                            where + ": a line of more than " + MAX_LINE_LENGTH + " characters");
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.equals("end_of_record")) {
                    if (file == null) {
                        throw new CoverageFormatException(where + ": end_of_record without SF:");
                    }
                    file = null;
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 1) {
                    throw new CoverageFormatException(where + ": not an lcov record: '" + abbreviate(line) + "'");
                }
                String tag = line.substring(0, colon);
                String value = line.substring(colon + 1);
                switch (tag) {
                    case "SF" -> {
                        file = value;
                        lines.file(file);
                        any = true;
                    }
                    case "DA" -> {
                        String[] f = value.split(",");
                        if (file == null || f.length < 2) {
                            throw new CoverageFormatException(where + ": DA needs SF: before it and 'line,hits'");
                        }
                        lines.line(
                                file, Lines.number(f[0], "DA line", where), Lines.number(f[1], "DA hits", where) > 0);
                    }
                    case "BRDA" -> {
                        String[] f = value.split(",");
                        if (file == null || f.length != 4) {
                            throw new CoverageFormatException(
                                    where + ": BRDA needs SF: before it and 'line,block,branch,taken'");
                        }
                        boolean taken = !f[3].equals("-") && Lines.number(f[3], "BRDA taken", where) > 0;
                        lines.branches(file, 1, taken ? 1 : 0);
                    }
                    case "TN", "FN", "FNDA", "FNF", "FNH", "LF", "LH", "BRF", "BRH", "VER", "FNL", "FNA" -> {
                        if (!tag.equals("TN") && file == null) {
                            throw new CoverageFormatException(
                                    where + ": " + tag + " outside a record (no SF: before it)");
                        }
                    }
                    default ->
                        throw new CoverageFormatException(where + ": unknown lcov record '" + abbreviate(tag) + "'");
                }
            }
        } catch (IOException e) {
            throw new CoverageFormatException(source + ": cannot be read: " + e.getMessage(), e);
        }
        if (!any) {
            throw new CoverageFormatException(source + ": no SF: record (not an lcov tracefile)");
        }
        return lines.report("lcov");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
