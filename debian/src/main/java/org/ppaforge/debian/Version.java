package org.ppaforge.debian;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as
 * {@code dpkg --compare-versions} orders it (deb-version(7)).
 *
 * <p>Two versions can be equal without being the same string ({@code 1.01} and
 * {@code 1.1}, {@code 0:1.0} and {@code 1.0}); {@link #equals} and {@link #hashCode}
 * follow {@link #compareTo}, and {@link #toString} gives back the original string.
 */
public final class Version implements Comparable<Version> {
    private final String original;
    private final int epoch;
    private final String upstream;
    private final String revision;
    private int hash;

    private Version(String original, int epoch, String upstream, String revision) {
        this.original = original;
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
    }

    /**
     * Parses a version, applying dpkg's validity rules strictly (what dpkg only warns
     * about, such as an upstream part not starting with a digit, is refused here too).
     * Like dpkg, surrounding white space is ignored; {@link #toString} gives the trimmed string.
     *
     * @throws InvalidVersionException naming the string and the rule it breaks
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version");
        text = text.strip();
        if (text.isEmpty()) {
            throw new InvalidVersionException(text, "version string is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                throw new InvalidVersionException(text, "version string has embedded spaces");
            }
        }
        int epoch = 0;
        String rest = text;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            String e = text.substring(0, colon);
            if (e.isEmpty()) {
                throw new InvalidVersionException(text, "epoch in version is empty");
            }
            for (int i = 0; i < e.length(); i++) {
                if (!isDigit(e.charAt(i))) {
                    throw new InvalidVersionException(text, "epoch in version is not number");
                }
            }
            long value = 0;
            for (int i = 0; i < e.length(); i++) {
                value = value * 10 + (e.charAt(i) - '0');
                if (value > Integer.MAX_VALUE) {
                    throw new InvalidVersionException(text, "epoch in version is too big");
                }
            }
            epoch = (int) value;
            rest = text.substring(colon + 1);
            if (rest.isEmpty()) {
                throw new InvalidVersionException(text, "nothing after colon in version number");
            }
        }
        String upstream = rest;
        String revision = "";
        int hyphen = rest.lastIndexOf('-');
        if (hyphen >= 0) {
            upstream = rest.substring(0, hyphen);
            revision = rest.substring(hyphen + 1);
            if (revision.isEmpty()) {
                throw new InvalidVersionException(text, "revision number is empty");
            }
        }
        if (upstream.isEmpty()) {
            throw new InvalidVersionException(text, "version number is empty");
        }
        if (!isDigit(upstream.charAt(0))) {
            throw new InvalidVersionException(text, "version number does not start with digit");
        }
        for (int i = 0; i < upstream.length(); i++) {
            char c = upstream.charAt(i);
            if (!isAlnum(c) && ".-+~:".indexOf(c) < 0) {
                throw new InvalidVersionException(text, "invalid character '" + c + "' in version number");
            }
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (!isAlnum(c) && ".+~".indexOf(c) < 0) {
                throw new InvalidVersionException(text, "invalid character '" + c + "' in revision number");
            }
        }
        return new Version(text, epoch, upstream, revision);
    }

    /** Whether {@code text} is a valid version by {@link #parse}'s rules. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    public int epoch() {
        return epoch;
    }

    public String upstream() {
        return upstream;
    }

    /** The Debian revision, or the empty string when the version has none. */
    public String revision() {
        return revision;
    }

    public boolean hasRevision() {
        return !revision.isEmpty();
    }

    /** The version without its epoch, as used in file names ({@code 1:2.0-1} gives {@code 2.0-1}). */
    public String withoutEpoch() {
        return revision.isEmpty() ? upstream : upstream + "-" + revision;
    }

    @Override
    public int compareTo(Version other) {
        if (epoch != other.epoch) {
            return Integer.compare(epoch, other.epoch);
        }
        int c = compareParts(upstream, other.upstream);
        return c != 0 ? c : compareParts(revision, other.revision);
    }

    /** Compares two version strings; both must be valid. */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * (31 * epoch + canonical(upstream).hashCode())
                    + canonical(revision).hashCode();
            hash = h;
        }
        return h;
    }

    /** The original string, exactly as parsed. */
    @Override
    public String toString() {
        return original;
    }

    // dpkg's verrevcmp: alternate non-digit runs (compared by order()) and digit runs
    // (compared as numbers of any length, an empty run being 0).
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        int la = a.length();
        int lb = b.length();
        while (i < la || j < lb) {
            while ((i < la && !isDigit(a.charAt(i))) || (j < lb && !isDigit(b.charAt(j)))) {
                int ac = i < la ? order(a.charAt(i)) : 0;
                int bc = j < lb ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < la && a.charAt(i) == '0') {
                i++;
            }
            while (j < lb && b.charAt(j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (i < la && isDigit(a.charAt(i)) && j < lb && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < la && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < lb && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    private static int order(char c) {
        if (isDigit(c)) {
            return 0;
        }
        if (isAlpha(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    // A string that is the same for exactly the parts compareParts() finds equal:
    // digit runs without leading zeros (empty run = "0"), an all-zero whole part dropped.
    private static String canonical(String s) {
        StringBuilder out = new StringBuilder(s.length() + 4);
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && !isDigit(s.charAt(i))) {
                out.append(s.charAt(i++));
            }
            while (i < n && s.charAt(i) == '0') {
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            out.append('#').append(start == i ? "0" : s.substring(start, i));
        }
        String c = out.toString();
        return c.equals("#0") ? "" : c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || isAlpha(c);
    }
}
