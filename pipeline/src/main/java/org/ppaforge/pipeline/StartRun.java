package org.ppaforge.pipeline;

import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;

/** Queues a run of a pipeline (by hand, a poll, a webhook, a schedule) of its branch or of a ref. */
public final class StartRun {
    private final Pipelines pipelines;
    private String name;
    private String trigger;
    private String ref;
    private String series;

    StartRun(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    public StartRun pipeline(String name) {
        this.name = name;
        return this;
    }

    public StartRun trigger(String trigger) {
        this.trigger = trigger;
        return this;
    }

    public StartRun ref(String ref) {
        this.ref = ref;
        return this;
    }

    /** Runs one series of the definition's only (null: all). */
    public StartRun series(String series) {
        this.series = series;
        return this;
    }

    public Run call() {
        pipelines.get(name);
        if (ref != null && !Names.isGitRef(ref)) {
            throw ForgeException.invalid("invalid ref '" + ref + "'");
        }
        if (series != null && !Names.is(Names.SERIES, series)) {
            throw ForgeException.invalid("invalid series '" + series + "'");
        }
        Run r = pipelines
                .store()
                .run(pipelines.store().insertRun(name, trigger, ref, series, pipelines.now()))
                .orElseThrow();
        pipelines.queued(); // a waiting runner starts it now, not at its next look
        return r;
    }
}
