package org.ppaforge.cli;

import java.io.PrintStream;
import org.ppaforge.archive.Diagnostics;

/**
 * The core's diagnostics as the {@code ppa} command offers them, from the environment: {@code PPAFORGE_TIMINGS} prints
 * phase timings on stderr (benchmarks); {@code PPAFORGE_TEST_PAUSE_IN_TX_MS} and {@code PPAFORGE_TEST_PAUSE_AT} hold a
 * verb inside its transaction or at a named point so a crash test can kill the process there. Unset (always, outside
 * those), it does nothing.
 */
final class EnvDiagnostics implements Diagnostics {
    private final boolean timings = System.getenv("PPAFORGE_TIMINGS") != null;
    private final long pauseInTx = parse(System.getenv("PPAFORGE_TEST_PAUSE_IN_TX_MS"));
    /** {@code after-commit}, {@code before-processing} or {@code backup-pack-written}. */
    private final String pauseAt = System.getenv("PPAFORGE_TEST_PAUSE_AT");

    private final PrintStream err = System.err;

    /** The diagnostics the environment asks for, or {@link Diagnostics#NONE}. */
    static Diagnostics fromEnvironment() {
        EnvDiagnostics d = new EnvDiagnostics();
        return d.timings || d.pauseInTx > 0 || d.pauseAt != null ? d : Diagnostics.NONE;
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void timing(String what, double seconds) {
        if (timings) {
            err.printf("%s %.3f s%n", what, seconds);
        }
    }

    @Override
    public void reached(String point) {
        if (point.equals(pauseAt)) {
            err.println("ppaforge-test: paused " + point);
            err.flush();
            sleep(60_000);
        }
    }

    @Override
    public void inTransaction(int done) {
        if (pauseInTx > 0 && done % 100 == 0) {
            if (done == 100) {
                err.println("ppaforge-test: inside the transaction");
            }
            sleep(pauseInTx);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
