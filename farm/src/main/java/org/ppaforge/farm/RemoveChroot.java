package org.ppaforge.farm;

import org.ppaforge.common.ForgeException;

/** Removes a build environment; builds for its series and architecture then wait for a new one (chroot wait). */
public final class RemoveChroot {
    private final Builds builds;
    private String series;
    private String architecture;

    RemoveChroot(Builds builds) {
        this.builds = builds;
    }

    public RemoveChroot series(String series) {
        this.series = series;
        return this;
    }

    public RemoveChroot architecture(String architecture) {
        this.architecture = architecture;
        return this;
    }

    public Chroot call() {
        Chroot c = builds.store()
                .chroot(series, architecture)
                .orElseThrow(() -> ForgeException.notFound("there is no chroot for " + series + "/" + architecture));
        builds.store().removeChroot(series, architecture);
        builds.store().chrootGone(series, architecture); // its waiting builds wait for a new one, as they would have
        return c;
    }
}
