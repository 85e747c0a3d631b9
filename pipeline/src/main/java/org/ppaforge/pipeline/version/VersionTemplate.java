package org.ppaforge.pipeline.version;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;

/**
 * A version made from a template with Launchpad's recipe variables (format 0.4): {@code {debupstream}} (the upstream
 * part of the newest debian/changelog version), {@code {debversion}}, {@code {revno}} (the length of the first-parent
 * history), {@code {revtime}} (commit time, YYYYMMDDHHMM, UTC), {@code {revdate}} (YYYYMMDD), {@code {time}} (now,
 * YYYYMMDDHHMM), {@code {git-commit}} (the short hash: not monotonic, so after a monotonic part) and
 * {@code {latest-tag}}; and per series, as Launchpad's daily builds suffix theirs: {@code {series}} (the codename),
 * {@code {series-number}} ({@code 12}, {@code 22.04}) and {@code {series-suffix}} ({@code deb12}, {@code ubuntu22.04}),
 * the last two for the releases distro-info-data knows. A template for several series without a per-series part gets
 * {@link #PER_SERIES} appended, so that each series' package is its own version and they sort as the series do.
 */
public final class VersionTemplate {
    public static final List<String> VARIABLES = List.of(
            "debupstream",
            "debversion",
            "revno",
            "revtime",
            "revdate",
            "time",
            "git-commit",
            "latest-tag",
            "series",
            "series-number",
            "series-suffix");

    /** What a template for several series without a per-series variable is given: {@code ~deb12}, {@code ~ubuntu22.04}. */
    public static final String PER_SERIES = "~{series-suffix}";

    /** Whether the template names a per-series variable. */
    public static boolean perSeries(String template) {
        return template.contains("{series}")
                || template.contains("{series-number}")
                || template.contains("{series-suffix}");
    }

    /** The template a run for {@code seriesCount} series uses: as written, or with {@link #PER_SERIES} appended. */
    public static String forSeries(String template, int seriesCount) {
        return seriesCount > 1 && !perSeries(template) ? template + PER_SERIES : template;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]*)}");

    private VersionTemplate() {}

    /** The version the template gives with these values; an error names the template and why the result is no version. */
    public static Version expand(String template, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new FormatException(
                        "the version template '" + template + "' uses {" + m.group(1) + "}, which has no value here"
                                + (m.group(1).equals("latest-tag") ? " (the commit has no tag before it)" : "")
                                + (m.group(1).startsWith("series-")
                                        ? " (" + values.get("series")
                                                + " is not a Debian or Ubuntu release that distro-info-data knows: use"
                                                + " {series} in the version template)"
                                        : ""));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        try {
            return Version.parse(sb.toString());
        } catch (FormatException e) {
            throw new FormatException("the version template '" + template + "' gives '" + sb
                    + "', which is not a valid Debian " + "version: " + e.getMessage());
        }
    }
}
