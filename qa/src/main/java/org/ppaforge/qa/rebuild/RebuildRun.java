package org.ppaforge.qa.rebuild;

import java.time.Instant;
import java.util.List;

/**
 * One run of a rebuild set: running or done, and each package's result. {@code number} counts the set's runs (1, 2,
 * 3, ...), as people name them; {@code id} is unique across sets.
 */
public record RebuildRun(
        long id,
        long number,
        String set,
        String state,
        Instant startedAt,
        Instant finishedAt,
        String message,
        List<RebuildResult> results) {}
