package org.ppaforge.qa.verdict;

import java.time.Instant;

/**
 * One package's result in one run of a rebuild set.
 *
 * @param built whether the rebuild (with its build-time tests) succeeded
 * @param test the autopkgtest outcome (null when it did not run: the build failed); after the automatic retry, the retry's
 * @param retriedFrom the first attempt's outcome when the test was retried (a failure or a testbed failure), else null
 */
public record Outcome(String pkg, String version, Instant at, boolean built, TestStatus test, TestStatus retriedFrom) {
    /** Whether this run says the package works: it built and its tests ran and passed. */
    public boolean passed() {
        return built && test != null && test.passed();
    }

    /** Whether this run says the package is broken: it did not build, or its tests failed. */
    public boolean bad() {
        return !built || test != null && test.failed();
    }
}
