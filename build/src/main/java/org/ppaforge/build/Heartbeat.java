package org.ppaforge.build;

import org.ppaforge.archive.ArchiveException;

/** A worker says it still builds: its lease is extended. The answer says whether it should stop (cancelled, superseded). */
public final class Heartbeat {
    private final Builds builds;
    private long id;
    private String worker;

    Heartbeat(Builds builds) {
        this.builds = builds;
    }

    public Heartbeat build(long id) {
        this.id = id;
        return this;
    }

    public Heartbeat worker(String worker) {
        this.worker = worker;
        return this;
    }

    public record Result(long build, boolean cancel) {
    }

    public Result call() {
        Build b = Holder.held(builds, id, worker);
        if (!builds.store().renewLease(id, worker, builds.now().plus(builds.leaseTime()))) {
            throw ArchiveException.refused("build " + id + " is not held by worker '" + worker + "'");
        }
        return new Result(id, b.cancelRequested());
    }
}
