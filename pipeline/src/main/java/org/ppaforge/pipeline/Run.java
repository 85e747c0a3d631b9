package org.ppaforge.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * One run of a pipeline: queued, running, passed, failed, timed-out or cancelled; the commit it ran on, the version it
 * made (for its first series), the archive it uploads to (from its definition; null until that is read), the one series
 * it was asked to run in (null: all of the definition's), and its steps.
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
        String onlySeries,
        List<Step> steps) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String TIMED_OUT = "timed-out";
    public static final String CANCELLED = "cancelled";

    /**
     * One step of a run: its name as logs and commands know it ({@code build}, or {@code build:trixie} in a run for
     * several series, {@code test:trixie:postgresql} for one of several test configurations), its series and test
     * configuration (null for steps that run once: fetch, check, promote), its state (waiting, running, passed,
     * failed, timed-out, skipped) and why.
     */
    public record Step(
            String name,
            String state,
            String message,
            Instant startedAt,
            Instant finishedAt,
            String series,
            String configuration) {
        /** The kind of step: fetch, check, source, upload, build, test or promote. */
        public String kind() {
            int colon = name.indexOf(':');
            return colon < 0 ? name : name.substring(0, colon);
        }
    }

    public boolean isFinal() {
        return !state.equals(QUEUED) && !state.equals(RUNNING);
    }
}
