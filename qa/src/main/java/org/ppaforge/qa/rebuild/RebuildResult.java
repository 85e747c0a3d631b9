package org.ppaforge.qa.rebuild;

import java.time.Instant;

/**
 * One package in one run of a rebuild set: what was rebuilt, whether it built (and the build), its autopkgtest outcome
 * (after the automatic retry; the first attempt's when it was retried), and the verdict against the package's history.
 *
 * @param verdict a {@link org.ppaforge.qa.verdict.Verdict} label, or {@code skipped} when nothing changed since the last run
 * @param envKey what the rebuild depended on (source version, build environment): an unchanged key skips the package
 */
public record RebuildResult(
        long run,
        String pkg,
        String version,
        String rebuiltVersion,
        boolean built,
        Long buildId,
        String test,
        String retriedFrom,
        String verdict,
        String lastGoodVersion,
        Instant lastGoodAt,
        String message,
        String envKey,
        Instant at) {}
