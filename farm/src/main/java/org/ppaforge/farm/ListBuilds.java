package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.common.ForgeException;

/** Builds, newest first, optionally of one archive, in one state, of one source. */
public final class ListBuilds {
    private final Builds builds;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private BuildState state;
    private String source;
    private int limit = 100;

    ListBuilds(Builds builds) {
        this.builds = builds;
    }

    /** Who calls (default: the local operator); the verb decides what it may see and do. */
    public ListBuilds caller(Caller caller) {
        this.caller = caller;
        return this;
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

    /** The builds the caller may see, newest first (an archive it may not read is missing to it). */
    public List<Build> call() {
        if (archive != null) {
            caller.read(builds.archive(), archive);
        }
        return builds.store().list(archive, state, source, limit).stream()
                .filter(b -> caller.mayRead(builds.archive(), b.archive()))
                .toList();
    }
}
