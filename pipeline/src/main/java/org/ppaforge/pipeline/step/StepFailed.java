package org.ppaforge.pipeline.step;

/** A step's failure, with the reason the run shows; timed out and cancelled are told apart from failed. */
public final class StepFailed extends Exception {
    private final boolean timedOut;
    private final boolean cancelled;

    public StepFailed(String message) {
        this(message, false, false);
    }

    public static StepFailed timedOut(String message) {
        return new StepFailed(message, true, false);
    }

    public static StepFailed cancelled(String message) {
        return new StepFailed(message, false, true);
    }

    private StepFailed(String message, boolean timedOut, boolean cancelled) {
        super(message);
        this.timedOut = timedOut;
        this.cancelled = cancelled;
    }

    public boolean timedOut() {
        return timedOut;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
