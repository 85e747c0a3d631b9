package org.ppaforge.farm;

import java.util.List;

/** The build environments, per series and architecture. */
public final class ListChroots {
    private final Builds builds;

    ListChroots(Builds builds) {
        this.builds = builds;
    }

    public List<Chroot> call() {
        return builds.store().chroots();
    }
}
