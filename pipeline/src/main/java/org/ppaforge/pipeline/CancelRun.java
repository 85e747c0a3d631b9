package org.ppaforge.pipeline;

import org.ppaforge.common.ForgeException;

/** Cancels a run: a queued one at once; a running one stops before its next step (or while its install test waits). */
public final class CancelRun {
    private final Pipelines pipelines;
    private long id;

    CancelRun(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    public CancelRun run(long id) {
        this.id = id;
        return this;
    }

    public Run call() {
        Run r = pipelines.run(id);
        if (r.isFinal()) {
            throw ForgeException.refused("run " + id + " is " + r.state() + ": too late to cancel");
        }
        pipelines.store().requestCancel(id);
        if (r.state().equals(Run.QUEUED)) {
            pipelines.store().finishRun(id, Run.CANCELLED, "cancelled before it started", pipelines.now());
        }
        return pipelines.run(id);
    }
}
