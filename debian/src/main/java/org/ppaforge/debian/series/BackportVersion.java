package org.ppaforge.debian.series;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;

/**
 * The version a backport gets, in the conventions users know: Debian backports' {@code ~bpo12+1} (the number of the
 * target release), Ubuntu's {@code ~22.04.1} (a newer release's package for an older one), Ubuntu Backports'
 * {@code ~bpo22.04.1}, or a template ({@code ~ppa{n}}, with {@code {n}} and {@code {series-number}}). A second backport
 * of the same version gets the next number. The result always sorts below the version it came from (the {@code ~}) and
 * must sort above what the target already has, or it would never be installed: that is refused, naming both.
 */
public final class BackportVersion {
    /** The naming conventions. */
    public enum Style {
        /** Debian backports: {@code 1.2-1~bpo12+1}. */
        DEBIAN("~bpo{series-number}+{n}"),
        /** Ubuntu, a newer release's package for an older one: {@code 1.2-1~22.04.1}. */
        UBUNTU("~{series-number}.{n}"),
        /** Ubuntu Backports: {@code 1.2-1~bpo22.04.1}. */
        UBUNTU_BACKPORTS("~bpo{series-number}.{n}");

        private final String template;

        Style(String template) {
            this.template = template;
        }

        /** Its version suffix template, as {@link #next} takes it. */
        public String template() {
            return template;
        }

        /** The style the target's distribution uses by default: Debian's for Debian, Ubuntu's for Ubuntu. */
        public static Style of(DistroInfo.Release target) {
            return target.distro().equals("ubuntu") ? UBUNTU : DEBIAN;
        }
    }

    private BackportVersion() {}

    /**
     * Refuses a template that cannot make a backport version for {@code target}: without {@code {n}}, not starting with
     * {@code ~}, or wanting a release number the target has none of.
     *
     * @throws FormatException saying which
     */
    public static void checkTemplate(String template, DistroInfo.Release target) {
        if (!template.contains("{n}")) {
            throw new FormatException(
                    "a backport version template needs {n} (the backport's number), not '" + template + "'");
        }
        if (!template.startsWith("~")) {
            throw new FormatException(
                    "a backport version template starts with '~' (so the backport sorts below the version it came "
                            + "from), not '" + template + "'");
        }
        if (template.contains("{series-number}") && (target == null || target.number() == null)) {
            throw new FormatException("series " + (target == null ? "(unknown)" : target.series())
                    + " has no release number (distro-info-data), which '" + template + "' needs");
        }
    }

    /**
     * The next backport version of {@code origin} for the {@code target} release.
     *
     * @param template a style's template or the user's ({@code {n}} required; {@code {series-number}} optional)
     * @param existing versions the target archive has or had of this source (to number a second backport after the
     *     first)
     * @param targetHas the version the target series would otherwise install (null: none), which the backport must
     *     beat
     * @throws FormatException when {@link #checkTemplate} refuses the template, or the result would not sort above
     *     {@code targetHas}
     */
    public static Version next(
            Version origin,
            DistroInfo.Release target,
            String template,
            Collection<Version> existing,
            Version targetHas) {
        checkTemplate(template, target);
        String number = target == null || target.number() == null ? "" : target.number();
        String prefix = origin + template.substring(0, template.indexOf("{n}")).replace("{series-number}", number);
        String rest = template.substring(template.indexOf("{n}") + 3).replace("{series-number}", number);
        int n = 0;
        Pattern mine = Pattern.compile(Pattern.quote(prefix) + "(\\d+)" + Pattern.quote(rest));
        for (Version v : existing) {
            Matcher m = mine.matcher(v.toString());
            if (m.matches()) {
                n = Math.max(n, Integer.parseInt(m.group(1)));
            }
        }
        Version result = Version.parse(prefix + (n + 1) + rest);
        if (result.compareTo(origin) >= 0) {
            throw new FormatException("the backport version " + result + " does not sort below " + origin);
        }
        if (targetHas != null && result.compareTo(targetHas) <= 0) {
            throw new FormatException("the backport version " + result + " would not upgrade the "
                    + (target == null ? "target" : target.series()) + " version " + targetHas
                    + " (nothing to backport: the target has it, or a newer one)");
        }
        return result;
    }
}
