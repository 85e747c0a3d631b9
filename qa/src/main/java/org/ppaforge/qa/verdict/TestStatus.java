package org.ppaforge.qa.verdict;

/**
 * An autopkgtest run's outcome, from its exit status as autopkgtest documents it: 0 all passed, 2 passed with some
 * skipped, 4 a test failed, 6 failed and skipped, 8 no tests ran, 12 erroneous package, 14 erroneous and skipped,
 * 16 testbed failure, 20 other unexpected error. Failures of the testbed are temporary: they say nothing about the package.
 */
public enum TestStatus {
    PASS,
    PASS_WITH_SKIPS,
    FAIL,
    NEUTRAL,
    ERRONEOUS,
    TEMPORARY;

    public static TestStatus ofExit(int exit) {
        return switch (exit) {
            case 0 -> PASS;
            case 2 -> PASS_WITH_SKIPS;
            case 4, 6 -> FAIL;
            case 8 -> NEUTRAL;
            case 12, 14 -> ERRONEOUS;
            default -> TEMPORARY;
        };
    }

    public boolean passed() {
        return this == PASS || this == PASS_WITH_SKIPS;
    }

    /** A failure of the package (its tests, or the package itself), as opposed to one of the testbed. */
    public boolean failed() {
        return this == FAIL || this == ERRONEOUS;
    }
}
