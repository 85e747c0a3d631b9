package org.ppaforge.qa;

import java.util.List;
import org.ppaforge.qa.coverage.FileCoverage;

/** A commit's coverage (the project's newest when no commit is named): totals and every file. */
public final class ShowCoverage {
    private final Qa qa;
    private String project;
    private String commit;

    ShowCoverage(Qa qa) {
        this.qa = qa;
    }

    public ShowCoverage project(String project) {
        this.project = project;
        return this;
    }

    public ShowCoverage commit(String commit) {
        this.commit = commit;
        return this;
    }

    public record Result(CoverageSummary summary, List<FileCoverage> files) {}

    public Result call() {
        CoverageSummary s = qa.report(project, commit);
        return new Result(s, qa.store().files(s.project(), s.commit()));
    }
}
