package org.ppaforge.build;

import org.ppaforge.archive.ArchiveException;

/** The check every worker call makes: the build exists and this worker holds it. */
final class Holder {
    private Holder() {
    }

    static Build held(Builds builds, long id, String worker) {
        Build b = ShowBuild.find(builds, id);
        if (b.state() != BuildState.BUILDING || worker == null || !worker.equals(b.worker())) {
            throw ArchiveException.refused("build " + id + " is not held by worker '" + worker + "' (it is " + b.state().label()
                    + (b.worker() == null ? "" : ", last held by '" + b.worker() + "'") + ")");
        }
        return b;
    }
}
