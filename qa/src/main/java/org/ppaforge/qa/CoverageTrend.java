package org.ppaforge.qa;

import java.util.List;
import org.ppaforge.common.ForgeException;

/** A project's coverage per commit, oldest first (the newest {@code limit}, default 1,000), optionally of one branch. */
public final class CoverageTrend {
    private final Qa qa;
    private String project;
    private String branch;
    private int limit = 1000;

    CoverageTrend(Qa qa) {
        this.qa = qa;
    }

    public CoverageTrend project(String project) {
        this.project = project;
        return this;
    }

    public CoverageTrend branch(String branch) {
        this.branch = branch;
        return this;
    }

    public CoverageTrend limit(int limit) {
        if (limit < 1 || limit > 100_000) {
            throw ForgeException.invalid("--limit is 1 to 100000, not " + limit);
        }
        this.limit = limit;
        return this;
    }

    public List<CoverageSummary> call() {
        List<CoverageSummary> t = qa.store().trend(Qa.project(project), Qa.branch(branch), limit);
        if (t.isEmpty()) {
            throw ForgeException.notFound(
                    "project '" + project + "' has no coverage" + (branch == null ? "" : " on branch " + branch));
        }
        return t;
    }
}
