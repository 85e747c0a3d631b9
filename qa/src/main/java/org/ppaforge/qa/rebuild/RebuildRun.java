package org.ppaforge.qa.rebuild;

import java.time.Instant;
import java.util.List;

/** One run of a rebuild set: running or done, and each package's result. */
public record RebuildRun(
        long id,
        String set,
        String state,
        Instant startedAt,
        Instant finishedAt,
        String message,
        List<RebuildResult> results) {}
