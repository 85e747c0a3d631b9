package org.ppaforge.archive.verb;

/**
 * Lets the crash-safety test hold a verb inside its transaction long enough to kill the
 * process there: with {@code PPAFORGE_TEST_PAUSE_IN_TX_MS} set, the verb sleeps after
 * every 100 recorded items. Unset (always, outside that test), it does nothing.
 */
final class CrashTesting {
    private static final long PAUSE = parse(System.getenv("PPAFORGE_TEST_PAUSE_IN_TX_MS"));

    private CrashTesting() {
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
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
