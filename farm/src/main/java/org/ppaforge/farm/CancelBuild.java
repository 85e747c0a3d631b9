package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.common.ForgeException;

/**
 * Cancels a build: a waiting one at once; a running one is marked, its worker stops sbuild at its next heartbeat and
 * the build ends cancelled.
 */
public final class CancelBuild {
    private final Builds builds;
    private long id;

    CancelBuild(Builds builds) {
        this.builds = builds;
    }

    public CancelBuild id(long id) {
        this.id = id;
        return this;
    }

    public Build call() {
        Build b = ShowBuild.find(builds, id);
        if (b.state().isFinal() || b.state() == BuildState.UPLOADING) {
            throw ForgeException.refused("build " + id + " is " + b.state().label() + ": too late to cancel");
        }
        if (b.state() == BuildState.BUILDING) {
            builds.store().requestCancel(id);
            builds.logs().append(id, "\nppaforge: cancel requested\n");
            return ShowBuild.find(builds, id);
        }
        if (!builds.store()
                .transition(
                        id,
                        List.of(b.state()),
                        BuildState.CANCELLED,
                        builds.now(),
                        null,
                        "cancelled before it started")) {
            throw ForgeException.refused("build " + id + " changed state meanwhile; try again");
        }
        builds.fire(b, b.state(), BuildState.CANCELLED);
        return ShowBuild.find(builds, id);
    }
}
