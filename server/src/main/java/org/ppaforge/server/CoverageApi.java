package org.ppaforge.server;

import io.undertow.server.HttpServerExchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.qa.Qa;

/**
 * Coverage endpoints: upload a commit's reports (multipart 'file' parts, an uploader or admin token), and read them back
 * (any token but a worker's or a reader's, as for pipelines: a project's files are not public).
 */
final class CoverageApi {
    private final Api api;
    private final Qa qa;

    CoverageApi(Api api, Qa qa) {
        this.api = api;
        this.qa = qa;
    }

    private Qa qa() {
        return qa;
    }

    /** Whoever may read the project's archive (anyone for a public one); see {@link Qa#checkVisible}. */
    private void reader(HttpServerExchange ex) {
        qa().checkVisible(ApiRequests.param(ex, "project"), Api.token(ex));
    }

    List<Api.Route> table() {
        return List.of(
                new Api.Route(
                                "POST",
                                "/api/v1/coverage/{project}/{commit}",
                                "Store a commit's coverage: multipart/form-data "
                                        + "parts named 'file' (JaCoCo XML, Cobertura XML, lcov; merged; query: branch, archive: the archive a new "
                                        + "project belongs to; only those who may write it store the project's reports)",
                                true,
                                this::upload)
                        .query("branch", "archive")
                        .body("multipart/form-data"),
                new Api.Route(
                                "GET",
                                "/api/v1/coverage/{project}",
                                "A commit's coverage with its files (query: commit; default " + "the newest)",
                                true,
                                ex -> {
                                    reader(ex);
                                    return qa().showCoverage()
                                            .project(ApiRequests.param(ex, "project"))
                                            .commit(ApiRequests.query(ex, "commit"))
                                            .call();
                                })
                        .query("commit"),
                new Api.Route(
                                "GET",
                                "/api/v1/coverage/{project}/trend",
                                "Coverage per commit, oldest first (query: branch, limit)",
                                true,
                                ex -> {
                                    reader(ex);
                                    return qa().coverageTrend()
                                            .project(ApiRequests.param(ex, "project"))
                                            .branch(ApiRequests.query(ex, "branch"))
                                            .limit(ApiRequests.intQuery(ex, "limit", 1000))
                                            .call();
                                })
                        .query("branch", "limit"),
                new Api.Route(
                                "GET",
                                "/api/v1/coverage/{project}/least",
                                "The files with the most missed lines (query: commit, " + "limit)",
                                true,
                                ex -> {
                                    reader(ex);
                                    return qa().leastCovered()
                                            .project(ApiRequests.param(ex, "project"))
                                            .commit(ApiRequests.query(ex, "commit"))
                                            .limit(ApiRequests.intQuery(ex, "limit", 20))
                                            .call();
                                })
                        .query("commit", "limit"),
                new Api.Route(
                                "GET",
                                "/api/v1/coverage/{project}/diff",
                                "What changed per file between two commits (query: from, " + "to)",
                                true,
                                ex -> {
                                    reader(ex);
                                    return qa().coverageDiff()
                                            .project(ApiRequests.param(ex, "project"))
                                            .commits(
                                                    ApiRequests.required(ApiRequests.query(ex, "from"), "from"),
                                                    ApiRequests.required(ApiRequests.query(ex, "to"), "to"))
                                            .call();
                                })
                        .query("from", "to"));
    }

    private Object upload(HttpServerExchange ex) throws Exception {
        api.ppa().authenticate().token(Api.token(ex)).toWrite(null).call();
        Qa q = qa();
        Path dir = Files.createTempDirectory(Files.createDirectories(api.ppa().workDirectory()), "coverage-");
        try {
            List<Path> files = api.receiveFiles(ex, dir);
            return q.uploadCoverage()
                    .caller(Api.token(ex))
                    .archive(ApiRequests.query(ex, "archive"))
                    .project(ApiRequests.param(ex, "project"))
                    .commit(ApiRequests.param(ex, "commit"))
                    .branch(ApiRequests.query(ex, "branch"))
                    .files(files)
                    .names(files.stream().map(f -> f.getFileName().toString()).toList())
                    .call();
        } finally {
            FileTrees.delete(dir);
        }
    }
}
