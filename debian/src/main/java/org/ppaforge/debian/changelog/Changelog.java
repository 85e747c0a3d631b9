package org.ppaforge.debian.changelog;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;

/**
 * {@code debian/changelog} (deb-changelog(5)): the newest entry's header and trailer, and new entries written the way
 * dch writes them.
 */
public final class Changelog {
    private static final Pattern HEADER =
            Pattern.compile("^([a-z0-9][a-z0-9.+-]+) \\(([^ ()]+)\\) ([A-Za-z0-9./+-]+(?: [A-Za-z0-9./+-]+)*);(.*)$");
    private static final Pattern TRAILER = Pattern.compile("^ -- (.+?)  (.+)$");
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** One entry: {@code source (version) distributions; urgency=U} ... {@code -- maintainer  date}. */
    public record Entry(
            String source,
            Version version,
            List<String> distributions,
            String urgency,
            String maintainer,
            String date) {}

    private Changelog() {}

    /** The newest (first) entry. */
    public static Entry latest(String text, String fileName) {
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i == lines.length) {
            throw new FormatException(fileName + ": empty changelog");
        }
        Matcher h = HEADER.matcher(lines[i]);
        if (!h.matches()) {
            throw new FormatException(fileName + ":" + (i + 1) + ": not a changelog entry header ('source (version) "
                    + "distribution; urgency=...'): " + lines[i]);
        }
        Version version;
        try {
            version = Version.parse(h.group(2));
        } catch (FormatException e) {
            throw new FormatException(fileName + ":" + (i + 1) + ": " + e.getMessage());
        }
        String urgency = "medium";
        for (String kv : h.group(4).split(",")) {
            String[] p = kv.strip().split("=", 2);
            if (p.length == 2 && p[0].equalsIgnoreCase("urgency")) {
                urgency = p[1].strip();
            }
        }
        for (int j = i + 1; j < lines.length; j++) {
            Matcher t = TRAILER.matcher(lines[j]);
            if (t.matches()) {
                return new Entry(h.group(1), version, List.of(h.group(3).split(" ")), urgency, t.group(1), t.group(2));
            }
            if (HEADER.matcher(lines[j]).matches()) {
                break;
            }
        }
        throw new FormatException(
                fileName + ":" + (i + 1) + ": the entry for " + h.group(2) + " has no ' -- maintainer  date' line");
    }

    /** A new entry, as dch writes it, to put before the existing text. */
    public static String entry(
            String source,
            Version version,
            String distribution,
            String urgency,
            List<String> changes,
            String maintainer,
            ZonedDateTime date) {
        StringBuilder sb = new StringBuilder();
        sb.append(source)
                .append(" (")
                .append(version)
                .append(") ")
                .append(distribution)
                .append("; urgency=")
                .append(urgency)
                .append("\n\n");
        for (String c : changes) {
            sb.append("  * ").append(c).append('\n');
        }
        sb.append("\n -- ")
                .append(maintainer)
                .append("  ")
                .append(RFC_2822.format(date))
                .append("\n\n");
        return sb.toString();
    }
}
