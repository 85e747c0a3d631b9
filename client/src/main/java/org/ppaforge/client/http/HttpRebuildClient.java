package org.ppaforge.client.http;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.client.RebuildClient;
import org.ppaforge.client.wire.ApiPaths;
import org.ppaforge.client.wire.Json;
import org.ppaforge.common.ForgeException;
import org.ppaforge.qa.rebuild.BackportRequest;
import org.ppaforge.qa.rebuild.CreateBackport;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.RebuildSetRequest;

/** The RebuildClient over the server's API, with the transport's token as the caller. */
public final class HttpRebuildClient implements RebuildClient {
    private final HttpTransport remote;

    public HttpRebuildClient(HttpTransport remote) {
        this.remote = remote;
    }

    private static String path(String name) {
        return ApiPaths.V1 + "/rebuilds/" + ApiPaths.segment(name);
    }

    @Override
    public RebuildSet create(RebuildSetRequest request) {
        return remote.post(ApiPaths.V1 + "/rebuilds", request, Json.of(RebuildSet.class));
    }

    @Override
    public List<RebuildSet> list() {
        return remote.get(ApiPaths.V1 + "/rebuilds", Json.listOf(RebuildSet.class));
    }

    @Override
    public RebuildRun run(String name, boolean force, Consumer<String> progress) {
        remote.post(
                path(name) + "/runs" + ApiPaths.query("force", Boolean.toString(force)),
                null,
                Json.of(RebuildSet.class));
        return null;
    }

    @Override
    public List<RebuildRun> runs(String name, int limit) {
        return remote.get(
                path(name) + "/runs" + ApiPaths.query("limit", Integer.toString(limit)), Json.listOf(RebuildRun.class));
    }

    @Override
    public RebuildRun results(String name, LocalDate date) {
        return remote.get(
                path(name) + "/results" + ApiPaths.query("date", date == null ? null : date.toString()),
                Json.of(RebuildRun.class));
    }

    @Override
    public CreateBackport.Result backport(BackportRequest request) {
        throw ForgeException.invalid(
                "ppa backport runs on the server's own data directory: leave out --server (it unpacks and packs the "
                        + "source with dpkg-source there)");
    }
}
