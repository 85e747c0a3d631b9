package org.ppaforge.archive.model;

import java.time.Instant;
import org.ppaforge.debian.Version;

/**
 * A source package's publication in one archive and series, with its history fields.
 *
 * @param sourceId the published source package (its identity: two publications of the
 *     same source id are the same source, whatever the archive)
 * @param hasDsc whether the source package's .dsc is known (false when only binaries were included)
 */
public record SourcePublication(
        long id,
        long archiveId,
        String series,
        String component,
        long sourceId,
        String name,
        Version version,
        Status status,
        String origin,
        Instant createdAt,
        String createdBy,
        Instant supersededAt,
        Instant deletedAt,
        String deletedBy,
        String deletedReason,
        boolean hasDsc) {}
