package org.ppaforge.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.common.ForgeException;

/**
 * Retention of pipeline runs, Jenkins's "discard old builds": each pipeline keeps its newest {@link #keep} runs (default
 * {@value #DEFAULT_KEEP}); older finished runs are forgotten with their step logs, artifacts and work directories. A
 * queued or running run is never touched, however old. Run by {@code ppa gc} and the server's {@code gc} task.
 */
public final class ExpireRuns {
    public static final int DEFAULT_KEEP = 100;

    private final Pipelines pipelines;
    private int keep = DEFAULT_KEEP;
    private boolean dryRun;

    /** The runs forgotten (or, in a dry run, that would be) and the bytes of their logs and artifacts. */
    public record Result(List<Long> runs, long bytes) {}

    ExpireRuns(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    /** How many runs each pipeline keeps (at least 1: a pipeline's newest run stays). */
    public ExpireRuns keep(int keep) {
        if (keep < 1) {
            throw ForgeException.invalid("a pipeline keeps at least its newest run (--keep-pipeline-runs 1 or more)");
        }
        this.keep = keep;
        return this;
    }

    public ExpireRuns dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Result call() {
        List<Long> runs = new ArrayList<>();
        long bytes = 0;
        for (Pipeline p : pipelines.store().pipelines()) {
            for (long run : pipelines.store().finishedRunsBeyond(p.name(), keep)) {
                List<Path> dirs =
                        List.of(pipelines.logDirectory(run), pipelines.artifacts(run), pipelines.runDirectory(run));
                try {
                    for (Path d : dirs) {
                        bytes += FileTrees.size(d);
                    }
                    if (!dryRun) {
                        // The row first: a run whose files are half gone is never shown.
                        pipelines.store().deleteRun(run);
                        for (Path d : dirs) {
                            FileTrees.delete(d);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                runs.add(run);
            }
        }
        return new Result(runs, bytes);
    }
}
