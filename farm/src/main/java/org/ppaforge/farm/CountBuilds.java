package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.farm.store.BuildStore;

/**
 * How many builds are in each state, and how old the oldest of each is: the build queue as operators watch it (the
 * server's metrics). Counts only, no archive's details, so it needs no caller.
 */
public final class CountBuilds {
    private final Builds builds;

    CountBuilds(Builds builds) {
        this.builds = builds;
    }

    /** States with any build, each with its count and the oldest one's creation time. */
    public List<BuildStore.StateCount> call() {
        return builds.store().countByState();
    }
}
