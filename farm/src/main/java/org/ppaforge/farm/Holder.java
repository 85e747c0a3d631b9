package org.ppaforge.farm;

import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.common.ForgeException;

/**
 * Who holds a lease: the token that leased the build, which is what counts, and a worker's name (shown in lists).
 * Every worker call checks that the build exists, is building, and that this token holds it; a name, when the call
 * gives one, must be the lease's too. A second worker token using the first one's (public) name is refused.
 */
public record Holder(String name, long token) {
    /** A worker of this process (the server's embedded worker and in-process callers): the process token's id. */
    public static final long THIS_PROCESS = -1;

    public static Holder of(ApiToken token, String name) {
        return new Holder(name, token.id());
    }

    static Holder local(String name) {
        return new Holder(name, THIS_PROCESS);
    }

    Build held(Builds builds, long id) {
        Build b = ShowBuild.find(builds, id);
        boolean holds = b.state() == BuildState.BUILDING
                && (name == null || name.equals(b.worker()))
                && builds.store().leaseToken(id).orElse(Long.MIN_VALUE) == token;
        if (!holds) {
            throw ForgeException.refused("build " + id + " is not held by "
                    + (name == null ? "this worker token" : "worker '" + name + "' with this token") + " (it is "
                    + b.state().label()
                    + (b.worker() == null ? "" : ", last held by '" + b.worker() + "'") + ")");
        }
        return b;
    }
}
