package org.ppaforge.client.http;

import java.util.List;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.client.wire.ApiPaths;
import org.ppaforge.client.wire.Json;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.StepLog;

/** The PipelineClient over the server's API, with the transport's token as the caller. */
public final class HttpPipelineClient implements PipelineClient {
    private final HttpTransport remote;

    public HttpPipelineClient(HttpTransport remote) {
        this.remote = remote;
    }

    @Override
    public Pipeline create(String name, String git, String branch, String file) {
        return remote.post(
                ApiPaths.V1 + "/pipelines",
                HttpTransport.body("name", name, "git", git, "branch", branch, "file", file),
                Json.of(Pipeline.class));
    }

    @Override
    public List<Pipeline> list() {
        return remote.get(ApiPaths.V1 + "/pipelines", Json.listOf(Pipeline.class));
    }

    @Override
    public String key(String name) {
        return remote.get(ApiPaths.V1 + "/pipelines/" + ApiPaths.segment(name) + "/key", Json.of(String.class));
    }

    @Override
    public Run start(String name, String ref, String series) {
        return remote.post(
                ApiPaths.V1 + "/pipelines/" + ApiPaths.segment(name) + "/runs"
                        + ApiPaths.query("ref", ref, "series", series),
                null,
                Json.of(Run.class));
    }

    @Override
    public List<Run> runs(String pipeline, int limit) {
        return remote.get(
                ApiPaths.V1 + "/pipelines/runs"
                        + ApiPaths.query("pipeline", pipeline, "limit", Integer.toString(limit)),
                Json.listOf(Run.class));
    }

    @Override
    public Run run(long id) {
        return remote.get(ApiPaths.V1 + "/pipelines/runs/" + id, Json.of(Run.class));
    }

    @Override
    public StepLog log(long run, String step, long offset) {
        return remote.get(
                ApiPaths.V1 + "/pipelines/runs/" + run + "/log/" + ApiPaths.segment(step)
                        + ApiPaths.query("offset", Long.toString(offset)),
                Json.of(StepLog.class));
    }

    @Override
    public Run cancel(long id) {
        return remote.post(ApiPaths.V1 + "/pipelines/runs/" + id + "/cancel", null, Json.of(Run.class));
    }

    @Override
    public Run runHere(long id) {
        throw new IllegalArgumentException(
                "--here runs on the local data directory: leave out --server (the server runs "
                        + "queued runs itself)");
    }
}
