package org.ppaforge.pipeline.step;

/** A step's failure, with the reason the run shows; timed out and cancelled are told apart from failed. */
public final class StepFailed extends Exception {
    private final boolean timedOut;
    private final boolean cancelled;
    /** The series whose cell failed (null: a step that runs once, or not yet known). */
    final String series;

    public StepFailed(String message) {
        this(message, false, false, null);
    }

    public static StepFailed timedOut(String message) {
        return new StepFailed(message, true, false, null);
    }

    public static StepFailed cancelled(String message) {
        return new StepFailed(message, false, true, null);
    }

    private StepFailed(String message, boolean timedOut, boolean cancelled, String series) {
        super(message);
        this.timedOut = timedOut;
        this.cancelled = cancelled;
        this.series = series;
    }

    /**
     * This failure as the cell's: its series noted and, where the cell's name says more than the step's (a series, a
     * configuration), the message led by that name ({@code test:trixie:postgresql: failed (callback: ...)}).
     */
    StepFailed in(Cell cell, String step) {
        String m = getMessage() == null ? "" : getMessage();
        if (!cell.label().equals(step)) {
            m = cell.label() + ": " + (m.startsWith(step + ": ") ? m.substring(step.length() + 2) : m);
        }
        return new StepFailed(m, timedOut, cancelled, cell.series());
    }

    public boolean timedOut() {
        return timedOut;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
