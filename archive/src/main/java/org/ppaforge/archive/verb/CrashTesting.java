package org.ppaforge.archive.verb;

/**
 * Lets the crash-safety test hold a verb inside its transaction long enough to kill the
 * process there: with {@code PPAFORGE_TEST_PAUSE_IN_TX_MS} set, the verb sleeps after
 * every 100 recorded items; with {@code PPAFORGE_TEST_PAUSE_AT} it stops at a named point. Unset (always, outside those
 * tests), it does nothing.
 */
final class CrashTesting {
    private static final long PAUSE = parse(System.getenv("PPAFORGE_TEST_PAUSE_IN_TX_MS"));
    /** Where else a test may hold a verb: {@code PPAFORGE_TEST_PAUSE_AT=after-commit} or {@code before-processing}. */
    private static final String AT = System.getenv("PPAFORGE_TEST_PAUSE_AT");

    private CrashTesting() {}

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Holds the verb at a named point (a long pause, announced on stderr) when the test asked for that point. */
    static void pauseAt(String point) {
        if (point.equals(AT)) {
            System.err.println("ppaforge-test: paused " + point);
            System.err.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void pauseInTransaction(int done) {
        if (PAUSE > 0 && done % 100 == 0) {
            if (done == 100) {
                System.err.println("ppaforge-test: inside the transaction");
            }
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
