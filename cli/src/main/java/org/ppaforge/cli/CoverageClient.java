package org.ppaforge.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.forge.Forge;
import org.ppaforge.qa.CoverageDiff;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.LeastCovered;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.ShowCoverage;

/** What the coverage commands ask, on the local data directory (the QA verbs) or on a server (the API). */
interface CoverageClient extends AutoCloseable {
    /** @param archive the archive a new project belongs to (null: the project's, or the token's one archive) */
    CoverageSummary upload(String project, String archive, String commit, String branch, List<Path> files)
            throws IOException;

    ShowCoverage.Result show(String project, String commit);

    List<CoverageSummary> trend(String project, String branch, int limit);

    LeastCovered.Result least(String project, String commit, int limit);

    CoverageDiff.Result diff(String project, String from, String to);

    @Override
    void close();

    static CoverageClient of(DataDir dataDir) {
        return dataDir.server() != null ? new Remote(dataDir.remote()) : new Local(dataDir.forge());
    }

    final class Local implements CoverageClient {
        private final Ppaforge ppa;
        private final Qa qa;

        private final Forge forge;

        Local(Forge forge) {
            this.forge = forge;
            this.ppa = forge.archive();
            this.qa = forge.qa();
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
            return qa.coverageTrend()
                    .project(project)
                    .branch(branch)
                    .limit(limit)
                    .call();
        }

        @Override
        public LeastCovered.Result least(String project, String commit, int limit) {
            return qa.leastCovered()
                    .project(project)
                    .commit(commit)
                    .limit(limit)
                    .call();
        }

        @Override
        public CoverageDiff.Result diff(String project, String from, String to) {
            return qa.coverageDiff().project(project).commits(from, to).call();
        }

        @Override
        public void close() {
            forge.close();
        }
    }

    final class Remote implements CoverageClient {
        private final org.ppaforge.cli.Remote remote;

        Remote(org.ppaforge.cli.Remote remote) {
            this.remote = remote;
        }

        private static String path(String project) {
            return "/api/v1/coverage/" + org.ppaforge.cli.Remote.encode(project);
        }

        @Override
        public CoverageSummary upload(String project, String archive, String commit, String branch, List<Path> files)
                throws IOException {
            byte[] body = remote.postFiles(
                    path(project) + "/" + org.ppaforge.cli.Remote.encode(commit)
                            + org.ppaforge.cli.Remote.query("branch", branch, "archive", archive),
                    files);
            return org.ppaforge.cli.Remote.parse(body, org.ppaforge.cli.Remote.of(CoverageSummary.class));
        }

        @Override
        public ShowCoverage.Result show(String project, String commit) {
            return remote.get(
                    path(project) + org.ppaforge.cli.Remote.query("commit", commit),
                    org.ppaforge.cli.Remote.of(ShowCoverage.Result.class));
        }

        @Override
        public List<CoverageSummary> trend(String project, String branch, int limit) {
            return remote.get(
                    path(project) + "/trend"
                            + org.ppaforge.cli.Remote.query("branch", branch, "limit", Integer.toString(limit)),
                    org.ppaforge.cli.Remote.listOf(CoverageSummary.class));
        }

        @Override
        public LeastCovered.Result least(String project, String commit, int limit) {
            return remote.get(
                    path(project) + "/least"
                            + org.ppaforge.cli.Remote.query("commit", commit, "limit", Integer.toString(limit)),
                    org.ppaforge.cli.Remote.of(LeastCovered.Result.class));
        }

        @Override
        public CoverageDiff.Result diff(String project, String from, String to) {
            return remote.get(
                    path(project) + "/diff" + org.ppaforge.cli.Remote.query("from", from, "to", to),
                    org.ppaforge.cli.Remote.of(CoverageDiff.Result.class));
        }

        @Override
        public void close() {}
    }
}
