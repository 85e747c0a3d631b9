package org.ppaforge.debian.deb;

import java.util.List;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.control.Stanza;

/**
 * What a .deb holds: its control stanza, the names in its control member, the entries of
 * its data member, the compressions used, and the checksums of the whole file.
 */
public record DebPackage(
        String fileName,
        Stanza control,
        List<String> controlFiles,
        List<DataEntry> dataEntries,
        Compression controlCompression,
        Compression dataCompression,
        Checksums checksums) {

    public String packageName() {
        return control.get("Package");
    }

    public Version version() {
        return Version.parse(control.get("Version"));
    }

    public String architecture() {
        return control.get("Architecture");
    }

    /** The source package name: {@code Source} without its version in parentheses, or the package name. */
    public String sourceName() {
        return sourceName(control);
    }

    /**
     * The source package name of a binary's control stanza (a .deb's, or a Packages entry): {@code Source} without its
     * version in parentheses, or, when it has none, the package name.
     */
    public static String sourceName(Stanza control) {
        String source = control.get("Source");
        if (source == null || source.isBlank()) {
            return control.get("Package").strip();
        }
        int paren = source.indexOf('(');
        return (paren < 0 ? source : source.substring(0, paren)).strip();
    }

    /** The source version: the one in {@code Source: name (version)}, or the package's own. */
    public Version sourceVersion() {
        String source = control.get("Source");
        if (source != null) {
            int open = source.indexOf('(');
            int close = source.indexOf(')');
            if (open >= 0 && close > open) {
                return Version.parse(source.substring(open + 1, close).strip());
            }
        }
        return version();
    }

    /** Regular files only (not directories or links). */
    public long fileCount() {
        return dataEntries.stream().filter(e -> e.type() == DataEntry.Type.FILE).count();
    }
}
