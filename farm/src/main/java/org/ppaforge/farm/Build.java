package org.ppaforge.farm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One build of a source publication on one architecture.
 *
 * @param archAll whether this build also makes the source's {@code Architecture: all} packages (one build per
 *     source does: the one on the archive's first architecture)
 * @param unmet the build-dependencies that could not be satisfied (dependency wait), as sbuild reported them
 * @param message why it ended as it did: the reason, or the last lines of the log
 * @param cancelRequested a cancel or a newer version reached it while a worker held it
 * @param plan the plan the build belongs to ({@code backport of macutils 2.0b3-17~bpo11+1}), null for one of its own
 */
public record Build(
        long id,
        String archive,
        String series,
        String source,
        String version,
        long sourcePublicationId,
        long sourceId,
        String architecture,
        boolean archAll,
        BuildState state,
        int score,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String worker,
        Instant leaseUntil,
        int attempts,
        String unmet,
        String message,
        boolean cancelRequested,
        String plan) {
    /** {@code hello 1.0-1 amd64 in trunk/noble}. */
    @JsonIgnore
    public String title() {
        return source + " " + version + " " + architecture + (archAll ? "+all" : "") + " in " + archive + "/" + series;
    }

    /** The state as the CLI and API name it. */
    public String stateLabel() {
        return state.label();
    }
}
