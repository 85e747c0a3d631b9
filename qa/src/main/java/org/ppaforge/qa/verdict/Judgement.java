package org.ppaforge.qa.verdict;

import java.time.Instant;

/**
 * A package's verdict in a run, with what it is judged against: for a regression, the last version that passed and
 * when; for a fixed package, since when it had failed.
 */
public record Judgement(
        String pkg, String version, Verdict verdict, String lastGoodVersion, Instant lastGoodAt, Outcome outcome) {}
