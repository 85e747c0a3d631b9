package org.ppaforge.qa.verdict;

import java.util.Locale;

/**
 * What a package's result means against its history (debci's and britney's words in brackets):
 * passed (PASS), regression (REGRESSION: fails now, passed before), always failed (ALWAYSFAIL: never passed), fixed
 * (passes now, failed last time), flaky (failed, then passed on the automatic retry), neutral (no tests), temporary
 * (the testbed failed twice; not counted), and for the build itself: build regression, build always failed.
 */
public enum Verdict {
    PASSED,
    REGRESSION,
    ALWAYS_FAILED,
    FIXED,
    FLAKY,
    NEUTRAL,
    TEMPORARY,
    BUILD_REGRESSION,
    BUILD_ALWAYS_FAILED;

    /** As pages and the CLI write it: {@code always-failed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether a release engineer must look at it (it blocks, as a regression blocks britney's migration). */
    public boolean isRegression() {
        return this == REGRESSION || this == BUILD_REGRESSION;
    }
}
