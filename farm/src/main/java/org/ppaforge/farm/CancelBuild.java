package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.common.ForgeException;

/**
 * Cancels a build: a waiting one at once; a running one is marked, its worker stops sbuild at its next heartbeat and
 * the build ends cancelled.
 */
public final class CancelBuild {
    private final Builds builds;
    private Caller caller = Caller.OPERATOR;
    private long id;

    CancelBuild(Builds builds) {
        this.builds = builds;
    }

    /** Who calls (default: the local operator); the verb decides what it may see and do. */
    public CancelBuild caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public CancelBuild id(long id) {
        this.id = id;
        return this;
    }

    public Build call() {
        Build b = ShowBuild.visible(builds, id, caller);
        caller.write(builds.archive(), b.archive());
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
