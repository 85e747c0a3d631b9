package org.ppaforge.farm;

import java.util.List;

/** Builds whose worker stopped heartbeating go back to the queue, for another worker. */
public final class ExpireLeases {
    private final Builds builds;

    ExpireLeases(Builds builds) {
        this.builds = builds;
    }

    public List<Build> call() {
        List<Build> expired = builds.store().expireLeases(builds.now());
        for (Build b : expired) {
            builds.logs()
                    .append(
                            b.id(),
                            "\nppaforge: worker '" + b.worker() + "' stopped answering; the build is queued again\n");
            builds.fire(b, BuildState.BUILDING, BuildState.WAITING);
        }
        return expired;
    }
}
