package org.ppaforge.farm;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.common.ForgeException;

/** Queues a build that failed, waited on dependencies or was cancelled again (its source must still be published). */
public final class RetryBuild {
    private static final List<BuildState> RETRYABLE = List.of(
            BuildState.FAILED_TO_BUILD,
            BuildState.DEPENDENCY_WAIT,
            BuildState.FAILED_TO_UPLOAD,
            BuildState.CANCELLED,
            BuildState.CHROOT_WAIT);
    private final Builds builds;
    private Caller caller = Caller.OPERATOR;
    private long id;

    /** Whether a build in this state may be retried (pages show the button only then). */
    public static boolean retryable(BuildState state) {
        return RETRYABLE.contains(state);
    }

    RetryBuild(Builds builds) {
        this.builds = builds;
    }

    /** Who calls (default: the local operator); the verb decides what it may see and do. */
    public RetryBuild caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public RetryBuild id(long id) {
        this.id = id;
        return this;
    }

    public Build call() {
        Build b = ShowBuild.visible(builds, id, caller);
        caller.write(builds.archive(), b.archive());
        if (!RETRYABLE.contains(b.state())) {
            throw ForgeException.refused(
                    "build " + id + " is " + b.state().label() + ": only a build that failed, waits for "
                            + "dependencies or a chroot, or was cancelled can be retried");
        }
        if (!builds.stillPublished(b)) {
            throw ForgeException.refused(b.source() + " " + b.version() + " is no longer published in " + b.archive()
                    + "/" + b.series() + ": nothing to retry");
        }
        if (b.state() == BuildState.CHROOT_WAIT
                && builds.store().chroot(b.series(), b.architecture()).isEmpty()) {
            throw ForgeException.refused("there is still no chroot for " + b.series() + "/" + b.architecture()
                    + ": create one with 'ppa chroot create " + b.series() + " --arch " + b.architecture() + " ...'");
        }
        if (!builds.store().requeue(id, List.of(b.state()), builds.now())) {
            throw ForgeException.refused("build " + id + " changed state meanwhile; try again");
        }
        builds.fire(b, b.state(), BuildState.WAITING);
        return ShowBuild.find(builds, id);
    }
}
