package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.common.ForgeException;

/** Builds, newest first, optionally of one archive, in one state, of one source. */
public final class ListBuilds {
    private final Builds builds;
    private String archive;
    private BuildState state;
    private String source;
    private int limit = 100;

    ListBuilds(Builds builds) {
        this.builds = builds;
    }

    public ListBuilds archive(String archive) {
        this.archive = archive;
        return this;
    }

    public ListBuilds state(BuildState state) {
        this.state = state;
        return this;
    }

    public ListBuilds source(String source) {
        this.source = source;
        return this;
    }

    public ListBuilds limit(int limit) {
        if (limit < 1) {
            throw ForgeException.invalid("the limit must be at least 1, not " + limit);
        }
        this.limit = limit;
        return this;
    }

    public List<Build> call() {
        return builds.store().list(archive, state, source, limit);
    }
}
