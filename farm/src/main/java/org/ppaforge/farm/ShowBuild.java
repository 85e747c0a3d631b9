package org.ppaforge.farm;

import org.ppaforge.common.ForgeException;

/** One build by its number. */
public final class ShowBuild {
    private final Builds builds;
    private long id;

    ShowBuild(Builds builds) {
        this.builds = builds;
    }

    public ShowBuild id(long id) {
        this.id = id;
        return this;
    }

    public Build call() {
        return find(builds, id);
    }

    static Build find(Builds builds, long id) {
        return builds.store().get(id).orElseThrow(() -> ForgeException.notFound("there is no build " + id));
    }
}
