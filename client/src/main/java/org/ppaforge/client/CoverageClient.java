package org.ppaforge.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ppaforge.qa.CoverageDiff;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.LeastCovered;
import org.ppaforge.qa.ShowCoverage;

/** What the coverage commands ask, in this process (the QA verbs) or on a server (the API). */
public interface CoverageClient {
    /** @param archive the archive a new project belongs to (null: the project's, or the token's one archive) */
    CoverageSummary upload(String project, String archive, String commit, String branch, List<Path> files)
            throws IOException;

    ShowCoverage.Result show(String project, String commit);

    List<CoverageSummary> trend(String project, String branch, int limit);

    LeastCovered.Result least(String project, String commit, int limit);

    CoverageDiff.Result diff(String project, String from, String to);
}
