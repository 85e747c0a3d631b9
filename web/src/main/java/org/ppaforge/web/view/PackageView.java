package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.archive.verb.History;
import org.ppaforge.farm.Build;

/**
 * A source in an archive: each publication shown (per series: what it publishes, its files and changelog), its whole
 * history and its builds.
 */
public record PackageView(
        Page page,
        String archive,
        String source,
        List<Publication> publications,
        List<History.Entry> history,
        List<Build> builds) {

    /**
     * One publication of the source in a series. {@code published} false: a superseded version whose binaries are left
     * until newer ones replace them. {@code changelog} is null when it cannot be read (binaries only, no tarball).
     */
    public record Publication(
            String series,
            String component,
            String version,
            boolean published,
            List<FileRow> files,
            String changelog,
            List<BinaryInfo> binaries) {}

    /** A binary package of a publication: what it is, from its control stanza, and its file per architecture. */
    public record BinaryInfo(
            String name,
            String version,
            String summary,
            List<String> description,
            String section,
            String priority,
            String homepage,
            String installedSize,
            String maintainer,
            List<RelationField> relations,
            List<DebFile> files) {}

    /** A relation field: its groups of alternatives. */
    public record RelationField(String field, List<List<Link>> groups) {}

    /** A relation as written, with the page of the source that publishes that package here (null when none does). */
    public record Link(String text, String href) {}

    /** A binary's file for one architecture; size -1 when the pool no longer holds it. */
    public record DebFile(String architecture, String filename, long size) {}

    /** A source file: pool name, size. */
    public record FileRow(String name, long size) {}
}
