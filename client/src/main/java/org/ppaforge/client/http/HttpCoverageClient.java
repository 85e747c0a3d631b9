package org.ppaforge.client.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ppaforge.client.CoverageClient;
import org.ppaforge.client.wire.ApiPaths;
import org.ppaforge.client.wire.Json;
import org.ppaforge.qa.CoverageDiff;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.LeastCovered;
import org.ppaforge.qa.ShowCoverage;

/** The CoverageClient over the server's API, with the transport's token as the caller. */
public final class HttpCoverageClient implements CoverageClient {
    private final HttpTransport remote;

    public HttpCoverageClient(HttpTransport remote) {
        this.remote = remote;
    }

    private static String path(String project) {
        return ApiPaths.V1 + "/coverage/" + ApiPaths.segment(project);
    }

    @Override
    public CoverageSummary upload(String project, String archive, String commit, String branch, List<Path> files)
            throws IOException {
        byte[] body = remote.postFiles(
                path(project) + "/" + ApiPaths.segment(commit) + ApiPaths.query("branch", branch, "archive", archive),
                files);
        return HttpTransport.parse(body, Json.of(CoverageSummary.class));
    }

    @Override
    public ShowCoverage.Result show(String project, String commit) {
        return remote.get(path(project) + ApiPaths.query("commit", commit), Json.of(ShowCoverage.Result.class));
    }

    @Override
    public List<CoverageSummary> trend(String project, String branch, int limit) {
        return remote.get(
                path(project) + "/trend" + ApiPaths.query("branch", branch, "limit", Integer.toString(limit)),
                Json.listOf(CoverageSummary.class));
    }

    @Override
    public LeastCovered.Result least(String project, String commit, int limit) {
        return remote.get(
                path(project) + "/least" + ApiPaths.query("commit", commit, "limit", Integer.toString(limit)),
                Json.of(LeastCovered.Result.class));
    }

    @Override
    public CoverageDiff.Result diff(String project, String from, String to) {
        return remote.get(
                path(project) + "/diff" + ApiPaths.query("from", from, "to", to), Json.of(CoverageDiff.Result.class));
    }
}
