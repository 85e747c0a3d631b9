package org.ppaforge.qa.rebuild;

import java.util.ArrayList;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.ppaforge.qa.store.RebuildStore;

/**
 * Retention of rebuild runs: each set keeps its newest {@link #keep} runs (default {@value #DEFAULT_KEEP}, two months of
 * daily runs); older finished runs are forgotten with their results. A verdict needs only the run before it, and each
 * result carries its package's last good version and time, so regressions are still told apart from old failures. A
 * running run is never touched. Run by {@code ppa gc} and the server's {@code gc} task.
 */
public final class ExpireRebuildRuns {
    public static final int DEFAULT_KEEP = 60;

    private final RebuildStore store;
    private int keep = DEFAULT_KEEP;
    private boolean dryRun;

    /** The runs forgotten (or, in a dry run, that would be). */
    public record Result(List<Long> runs) {}

    ExpireRebuildRuns(RebuildStore store) {
        this.store = store;
    }

    /** How many runs each set keeps (at least 2: a verdict compares with the run before). */
    public ExpireRebuildRuns keep(int keep) {
        if (keep < 2) {
            throw ForgeException.invalid(
                    "a rebuild set keeps at least its two newest runs (--keep-rebuild-runs 2 or more)");
        }
        this.keep = keep;
        return this;
    }

    public ExpireRebuildRuns dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Result call() {
        List<Long> runs = new ArrayList<>();
        for (RebuildSet s : store.sets()) {
            for (long run : store.finishedRunsBeyond(s.name(), keep)) {
                if (!dryRun) {
                    store.deleteRun(run);
                }
                runs.add(run);
            }
        }
        return new Result(runs);
    }
}
