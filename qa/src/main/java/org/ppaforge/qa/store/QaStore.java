package org.ppaforge.qa.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.coverage.CoverageReport;
import org.ppaforge.qa.coverage.FileCoverage;

/** What QA keeps: coverage reports per project and commit (the files' line counts), which archive owns each project, and the rebuild sets ({@link #rebuilds}). {@link SqlQaStore} is the embedded default. */
public interface QaStore extends AutoCloseable {
    /** The rebuild sets' tables in the same file. */
    RebuildStore rebuilds();

    /** Stores the report of a commit, replacing an earlier one of the same commit, in one transaction. */
    void putCoverage(String project, String commit, String branch, CoverageReport r, Instant now);

    /** The archive a coverage project belongs to (empty: none recorded yet). */
    Optional<String> projectArchive(String project);

    /** Records the project's archive, if none is yet; returns the one recorded. */
    String claimProject(String project, String archive, Instant now);

    Optional<CoverageSummary> summary(String project, String commit);

    /** The newest report of the project (of one branch when it is not null). */
    Optional<CoverageSummary> latest(String project, String branch);

    /** The project's reports, oldest first; the newest {@code limit}. */
    List<CoverageSummary> trend(String project, String branch, int limit);

    List<String> projects();

    /** The files of a commit's report, as stored. */
    List<FileCoverage> files(String project, String commit);

    @Override
    void close();
}
