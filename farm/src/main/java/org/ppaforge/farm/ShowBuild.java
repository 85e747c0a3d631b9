package org.ppaforge.farm;

import org.ppaforge.archive.Caller;
import org.ppaforge.common.ForgeException;

/** One build by its number. */
public final class ShowBuild {
    private final Builds builds;
    private Caller caller = Caller.OPERATOR;
    private long id;

    ShowBuild(Builds builds) {
        this.builds = builds;
    }

    /** Who calls (default: the local operator); the verb decides what it may see and do. */
    public ShowBuild caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ShowBuild id(long id) {
        this.id = id;
        return this;
    }

    /** The build, when the caller may see it (a private archive's builds are missing to others, in the same words). */
    public Build call() {
        return visible(builds, id, caller);
    }

    static Build visible(Builds builds, long id, Caller caller) {
        Build b = find(builds, id);
        if (!caller.mayRead(builds.archive(), b.archive())) {
            throw ForgeException.notFound("there is no build " + id);
        }
        return b;
    }

    static Build find(Builds builds, long id) {
        return builds.store().get(id).orElseThrow(() -> ForgeException.notFound("there is no build " + id));
    }
}
