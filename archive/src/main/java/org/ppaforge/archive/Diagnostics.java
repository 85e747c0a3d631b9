package org.ppaforge.archive;

/**
 * Where the core reports what only a benchmark or a crash test asks for: phase timings, and the points where a crash
 * test holds a verb to kill the process there. The core prints nothing and reads no environment; the front end that
 * opens it decides (the CLI from {@code PPAFORGE_TIMINGS} and the test variables). {@link #NONE} does nothing.
 */
public interface Diagnostics {
    Diagnostics NONE = new Diagnostics() {};

    /** A phase of a verb took {@code seconds}, e.g. "publish timings: xz blocks". */
    default void timing(String what, double seconds) {}

    /** A verb reached a named point ("after-commit", "before-processing"); a crash test may hold it here. */
    default void reached(String point) {}

    /** A verb recorded {@code done} items inside its transaction; a crash test may slow it down here. */
    default void inTransaction(int done) {}
}
