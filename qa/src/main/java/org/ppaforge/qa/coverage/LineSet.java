package org.ppaforge.qa.coverage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of line numbers (1 and up), kept sorted; written as ranges ({@code 1-5,7,9-12}) to be stored compactly.
 */
public final class LineSet {
    public static final LineSet EMPTY = new LineSet(new int[0]);
    /** The highest line number read (a larger one is a malformed report, not a source file). */
    public static final int MAX_LINE = 10_000_000;

    private final int[] lines;

    private LineSet(int[] sortedDistinct) {
        this.lines = sortedDistinct;
    }

    public static LineSet of(int... lines) {
        int[] copy = lines.clone();
        Arrays.sort(copy);
        return new LineSet(Arrays.stream(copy).distinct().toArray());
    }

    public int size() {
        return lines.length;
    }

    public boolean contains(int line) {
        return Arrays.binarySearch(lines, line) >= 0;
    }

    public int[] toArray() {
        return lines.clone();
    }

    public LineSet union(LineSet o) {
        int[] all = Arrays.copyOf(lines, lines.length + o.lines.length);
        System.arraycopy(o.lines, 0, all, lines.length, o.lines.length);
        return of(all);
    }

    public LineSet minus(LineSet o) {
        return new LineSet(Arrays.stream(lines).filter(l -> !o.contains(l)).toArray());
    }

    /** {@code 1-5,7,9-12}; empty for no lines. */
    @JsonValue
    public String ranges() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines.length; ) {
            int j = i;
            while (j + 1 < lines.length && lines[j + 1] == lines[j] + 1) {
                j++;
            }
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(lines[i]);
            if (j > i) {
                s.append('-').append(lines[j]);
            }
            i = j + 1;
        }
        return s.toString();
    }

    /** The set {@link #ranges} wrote. */
    @JsonCreator
    public static LineSet parse(String ranges) {
        if (ranges == null || ranges.isEmpty()) {
            return EMPTY;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : ranges.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            if (from < 1 || to < from || to > MAX_LINE) {
                throw new IllegalArgumentException("bad line range '" + part + "'");
            }
            for (int l = from; l <= to; l++) {
                out.add(l);
            }
        }
        return of(out.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineSet s && Arrays.equals(lines, s.lines);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lines);
    }

    @Override
    public String toString() {
        return ranges();
    }
}
