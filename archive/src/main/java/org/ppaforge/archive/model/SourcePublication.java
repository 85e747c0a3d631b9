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
        boolean hasDsc) {

    private static final String PLAN_MARK = " [plan: ";

    /**
     * An origin for a publication that belongs to a plan (several sources published together, such as a backport with
     * the build-dependencies it took along): {@code backport from ... [plan: backport of macutils 2.0b3-17~bpo11+1]}.
     */
    public static String originInPlan(String origin, String plan) {
        return origin + PLAN_MARK + plan.replace("]", ")") + "]";
    }

    /** The plan the publication belongs to (from its origin), or null. */
    public String plan() {
        if (origin == null || !origin.endsWith("]")) {
            return null;
        }
        int at = origin.lastIndexOf(PLAN_MARK);
        return at < 0 ? null : origin.substring(at + PLAN_MARK.length(), origin.length() - 1);
    }
}
