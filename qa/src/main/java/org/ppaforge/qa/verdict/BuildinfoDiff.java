package org.ppaforge.qa.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.control.ClearSigned;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;

/**
 * What moved underneath a package between two builds: the source's version and the versions of its build environment
 * (the {@code Installed-Build-Depends} field of the two {@code .buildinfo} files), each package that differs, appeared
 * or went. A malformed file ends in {@link FormatException}.
 */
public final class BuildinfoDiff {
    private BuildinfoDiff() {}

    /** One package that differs: {@code before} or {@code after} null when it is only in one build. */
    public record Moved(String pkg, String before, String after) {}

    public record Result(String sourceBefore, String sourceAfter, List<Moved> moved) {}

    public static Result of(String before, String after) {
        Stanza a = stanza(before, "the earlier .buildinfo");
        Stanza b = stanza(after, "the later .buildinfo");
        Map<String, String> x = installed(a);
        Map<String, String> y = installed(b);
        List<Moved> moved = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(x.keySet());
        names.addAll(y.keySet());
        for (String n : names) {
            String v = x.get(n);
            String w = y.get(n);
            if (v == null || !v.equals(w)) {
                moved.add(new Moved(n, v, w));
            }
        }
        return new Result(a.get("Version"), b.get("Version"), moved);
    }

    private static Stanza stanza(String text, String what) {
        // A .buildinfo is usually clearsigned: its fields are what the signature covers.
        String body = ClearSigned.isClearSigned(text) ? ClearSigned.bodyOf(text, what) : text;
        List<Stanza> all = Deb822Reader.parse(body, what);
        if (all.isEmpty()) {
            throw new FormatException(what + " has no fields");
        }
        return all.get(0);
    }

    /** {@code Installed-Build-Depends}: "name (= version)," entries, one per line. */
    static Map<String, String> installed(Stanza s) {
        Map<String, String> out = new TreeMap<>();
        String field = s.get("Installed-Build-Depends");
        if (field == null) {
            return out;
        }
        for (String entry : field.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int open = e.indexOf("(=");
            int close = e.indexOf(')', Math.max(open, 0));
            if (open < 0 || close < 0) {
                throw new FormatException("Installed-Build-Depends entry '" + e + "' is not 'name (= version)'");
            }
            out.put(e.substring(0, open).strip(), e.substring(open + 2, close).strip());
        }
        return out;
    }
}
