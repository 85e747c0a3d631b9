package org.ppaforge.farm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Builds shown together: those of their own ({@code plan} null), or the builds of one plan, oldest first. */
    public record Group(String plan, List<Build> builds) {}

    /** The builds of their own first (in the order given), then each plan's as a group, in the order plans appear. */
    public static List<Group> groups(List<Build> builds) {
        List<Build> own = new ArrayList<>();
        Map<String, List<Build>> plans = new LinkedHashMap<>();
        for (Build b : builds) {
            if (b.plan() == null) {
                own.add(b);
            } else {
                plans.computeIfAbsent(b.plan(), k -> new ArrayList<>()).add(b);
            }
        }
        List<Group> out = new ArrayList<>();
        if (!own.isEmpty()) {
            out.add(new Group(null, own));
        }
        plans.forEach((plan, list) -> out.add(new Group(
                plan, list.stream().sorted(Comparator.comparingLong(Build::id)).toList())));
        return out;
    }

    /** The state as the CLI and API name it. */
    public String stateLabel() {
        return state.label();
    }
}
