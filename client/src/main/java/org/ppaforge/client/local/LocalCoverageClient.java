package org.ppaforge.client.local;

import java.nio.file.Path;
import java.util.List;
import org.ppaforge.client.CoverageClient;
import org.ppaforge.qa.CoverageDiff;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.LeastCovered;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.ShowCoverage;

/** The CoverageClient in this process: each method calls the verbs, as the local operator. */
public final class LocalCoverageClient implements CoverageClient {
    private final Qa qa;

    public LocalCoverageClient(Qa qa) {
        this.qa = qa;
    }

    @Override
    public CoverageSummary upload(String project, String archive, String commit, String branch, List<Path> files) {
        return qa.uploadCoverage()
                .project(project)
                .archive(archive)
                .commit(commit)
                .branch(branch)
                .files(files)
                .call();
    }

    @Override
    public ShowCoverage.Result show(String project, String commit) {
        return qa.showCoverage().project(project).commit(commit).call();
    }

    @Override
    public List<CoverageSummary> trend(String project, String branch, int limit) {
        return qa.coverageTrend().project(project).branch(branch).limit(limit).call();
    }

    @Override
    public LeastCovered.Result least(String project, String commit, int limit) {
        return qa.leastCovered().project(project).commit(commit).limit(limit).call();
    }

    @Override
    public CoverageDiff.Result diff(String project, String from, String to) {
        return qa.coverageDiff().project(project).commits(from, to).call();
    }
}
