package org.ppaforge.debian.dsc;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;

/**
 * Which files a .dsc may list for its {@code Format}, as dpkg-source(1) unpacks them (the formats Debian and Launchpad
 * take): 1.0 a native {@code .tar.gz}, or an {@code .orig.tar.gz} (its {@code .asc} optional) and a {@code .diff.gz};
 * 3.0 (quilt) one {@code .orig.tar.*}, any {@code .orig-COMPONENT.tar.*}, each with an optional {@code .asc}, and one
 * {@code .debian.tar.*}; 3.0 (native) one {@code .tar.*}. Names start with {@code source_upstream} (the whole version
 * without epoch for a native package).
 */
final class SourceFormat {
    /** More files than any real source package lists (the largest in Debian have a few hundred components). */
    static final int MAX_FILES = 1000;

    private static final String TAR = "\\.tar\\.(gz|bz2|xz|lzma)";
    private static final Pattern COMPONENT = Pattern.compile("[a-zA-Z0-9][-a-zA-Z0-9]*");

    private SourceFormat() {}

    static void check(String format, String source, Version version, List<String> names, String fileName) {
        if (names.size() > MAX_FILES) {
            throw new FormatException(
                    fileName, "lists " + names.size() + " files: at most " + MAX_FILES + " are accepted");
        }
        String noEpoch = version.withoutEpoch();
        String upstream = version.upstream();
        String orig = Pattern.quote(source + "_" + upstream + ".orig");
        String plain = Pattern.quote(source + "_" + noEpoch);
        int origs = 0;
        int others = 0;
        switch (format.strip()) {
            case "1.0" -> {
                for (String n : names) {
                    if (n.matches(orig + "\\.tar\\.gz")) {
                        origs++;
                    } else if (n.matches(orig + "\\.tar\\.gz\\.asc")) {
                        continue;
                    } else if (n.matches(plain + "\\.diff\\.gz") || n.matches(plain + "\\.tar\\.gz")) {
                        others++;
                    } else {
                        throw unexpected(fileName, format, n, "an .orig.tar.gz and a .diff.gz, or one native .tar.gz");
                    }
                }
                if (others != 1 || origs > 1 || (origs == 1 && !names.stream().anyMatch(n -> n.endsWith(".diff.gz")))) {
                    throw new FormatException(
                            fileName,
                            "Format 1.0 lists " + names + ": it takes an .orig.tar.gz and a .diff.gz, "
                                    + "or one native .tar.gz");
                }
            }
            case "3.0 (quilt)" -> {
                Set<String> components = new HashSet<>();
                for (String n : names) {
                    var m = Pattern.compile(orig + "(-([^.]+))?" + TAR + "(\\.asc)?")
                            .matcher(n);
                    if (m.matches()) {
                        if (m.group(2) != null && !COMPONENT.matcher(m.group(2)).matches()) {
                            throw unexpected(fileName, format, n, "component names of letters, digits and '-'");
                        }
                        if (m.group(4) == null && !components.add(m.group(2) == null ? "" : m.group(2))) {
                            throw new FormatException(
                                    fileName,
                                    "lists two tarballs for "
                                            + (m.group(2) == null ? "the orig" : "component " + m.group(2)));
                        }
                        if (m.group(2) == null && m.group(4) == null) {
                            origs++;
                        }
                    } else if (n.matches(plain + "\\.debian" + TAR)) {
                        others++;
                    } else {
                        throw unexpected(
                                fileName,
                                format,
                                n,
                                "an .orig.tar.*, .orig-COMPONENT.tar.*, their .asc, and a .debian.tar.*");
                    }
                }
                if (origs != 1 || others != 1) {
                    throw new FormatException(
                            fileName,
                            "Format 3.0 (quilt) needs one .orig.tar.* and one .debian.tar.*, found " + origs + " and "
                                    + others);
                }
            }
            case "3.0 (native)" -> {
                if (names.size() != 1 || !names.get(0).matches(plain + TAR)) {
                    throw new FormatException(
                            fileName,
                            "Format 3.0 (native) lists " + names + ": it takes one " + source + "_" + noEpoch
                                    + ".tar.*");
                }
            }
            default ->
                throw new FormatException(
                        fileName, "Format '" + format + "' is not accepted: use 1.0, 3.0 (quilt) or 3.0 (native)");
        }
    }

    private static FormatException unexpected(String fileName, String format, String name, String expected) {
        return new FormatException(
                fileName, "Format " + format + " does not take '" + name + "': it lists " + expected);
    }
}
