package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.archive.verb.History;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.archive.verb.ShowSource;
import org.ppaforge.farm.Build;

/** A source in an archive: what is published, its whole history, its builds, and the changelog of its latest upload. */
public record PackageView(
        Page page,
        String archive,
        String source,
        List<ListPackages.Entry> published,
        List<History.Entry> history,
        List<Build> builds,
        List<FileRow> files,
        String changelog,
        List<ShowSource.BinaryFile> binaries) {
    /** A published file: pool path, size. */
    public record FileRow(String name, long size) {}
}
