package org.ppaforge.farm;

import org.ppaforge.common.ForgeException;

/** A worker says it still builds: its lease is extended. The answer says whether it should stop (cancelled, superseded). */
public final class Heartbeat {
    private final Builds builds;
    private long id;
    private Holder worker;

    Heartbeat(Builds builds) {
        this.builds = builds;
    }

    public Heartbeat build(long id) {
        this.id = id;
        return this;
    }

    /** An in-process worker (this process's identity). */
    public Heartbeat worker(String name) {
        this.worker = Holder.local(name);
        return this;
    }

    /** A worker over the API: its token and the name it gave. */
    public Heartbeat worker(Holder holder) {
        this.worker = holder;
        return this;
    }

    public record Result(long build, boolean cancel) {}

    /** The build, if this worker holds it (a refusal otherwise); the lease is not extended. */
    public Build held() {
        return worker.held(builds, id);
    }

    public Result call() {
        Build b = worker.held(builds, id);
        if (!builds.store()
                .renewLease(id, b.worker(), worker.token(), builds.now().plus(builds.leaseTime()))) {
            throw ForgeException.refused("build " + id + " is not held by worker '" + b.worker() + "' with this token");
        }
        return new Result(id, b.cancelRequested());
    }
}
