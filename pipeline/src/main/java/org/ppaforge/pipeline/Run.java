package org.ppaforge.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * One run of a pipeline: queued, running, passed, failed, timed-out or cancelled; the commit it ran on, the version it
 * made, the archive it uploads to (from its definition; null until that is read), and its steps.
 */
public record Run(
        long id,
        String pipeline,
        String state,
        String trigger,
        String ref,
        String commit,
        String version,
        String archive,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        List<Step> steps) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String TIMED_OUT = "timed-out";
    public static final String CANCELLED = "cancelled";

    /** One step of a run: its state (waiting, running, passed, failed, timed-out, skipped) and why. */
    public record Step(String name, String state, String message, Instant startedAt, Instant finishedAt) {}

    public boolean isFinal() {
        return !state.equals(QUEUED) && !state.equals(RUNNING);
    }
}
