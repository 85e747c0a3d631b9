package org.ppaforge.archive.store;

import java.util.List;

/** The rows the publisher reads: light ones to plan the indices, details only for what must be rebuilt. */
public final class IndexRows {
    private IndexRows() {}

    /** A published binary, in index order (component, name, architecture); {@code publicationId} is its binary_publication. */
    public record Binary(
            long binaryId,
            String name,
            String architecture,
            String component,
            String source,
            String filename,
            String sha256,
            long publicationId) {}

    /** A binary publication that appeared ({@code published}) or ended since a point in time. */
    public record BinaryChange(String series, boolean published, Binary binary) {}

    /** What a Packages stanza and a Contents line are made of. */
    public record BinaryDetail(String control, String contents, long size, String md5, String sha1, String sha256) {}

    /** A published source that has its .dsc, in index order (component, name). */
    public record Source(long sourceId, String name, String component) {}

    /** What a Sources stanza is made of: the .dsc's fields and every file including the .dsc. */
    public record SourceDetail(String stanza, String dscFilename, List<File> files) {}

    public record File(String filename, long size, String md5, String sha1, String sha256) {}

    /** A file the archive's pool must hold: pool/component/prefix/source/filename. */
    public record PoolEntry(String component, String source, String filename, String sha256) {}
}
