package org.ppaforge.client.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ppaforge.client.FarmClient;
import org.ppaforge.client.wire.ApiPaths;
import org.ppaforge.client.wire.FarmRequests;
import org.ppaforge.client.wire.Json;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.CreateChroot;
import org.ppaforge.farm.SetDependencies;
import org.ppaforge.farm.store.BuildStore;

/** The FarmClient over the server's API, with the transport's token as the caller. */
public final class HttpFarmClient implements FarmClient {
    private final HttpTransport remote;

    public HttpFarmClient(HttpTransport remote) {
        this.remote = remote;
    }

    /** The API's answer for one build: the build and the end of its log. */
    record Shown(Build build, String logTail) {}

    @Override
    public List<Build> list(String archive, BuildState state, String source, int limit) {
        return remote.get(
                ApiPaths.V1 + "/builds"
                        + ApiPaths.query(
                                "archive",
                                archive,
                                "state",
                                state == null ? null : state.label(),
                                "source",
                                source,
                                "limit",
                                Integer.toString(limit)),
                Json.listOf(Build.class));
    }

    @Override
    public Build show(long id) {
        return shown(id).build();
    }

    private Shown shown(long id) {
        return remote.get(ApiPaths.V1 + "/builds/" + id, Json.of(Shown.class));
    }

    @Override
    public String logTail(long id) {
        return shown(id).logTail();
    }

    @Override
    public BuildLogs.Chunk log(long id, long offset) {
        return remote.get(
                ApiPaths.V1 + "/builds/" + id + "/log" + ApiPaths.query("offset", Long.toString(offset)),
                Json.of(BuildLogs.Chunk.class));
    }

    @Override
    public Build retry(long id) {
        return remote.post(ApiPaths.V1 + "/builds/" + id + "/retry", null, Json.of(Build.class));
    }

    @Override
    public CreateChroot.Result createChroot(FarmRequests.CreateChroot request, Consumer<String> progress) {
        throw ForgeException.invalid("a build environment is made on the server's machine (mmdebstrap runs there): "
                + "run 'ppa chroot create' there, without --server");
    }

    @Override
    public void removeChroot(String series, String architecture) {
        throw ForgeException.invalid("a build environment is removed on the server's machine: run 'ppa chroot remove' "
                + "there, without --server");
    }

    @Override
    public List<Chroot> listChroots() {
        return remote.get(ApiPaths.V1 + "/chroots", Json.listOf(Chroot.class));
    }

    @Override
    public List<BuildStore.ArchiveDependency> dependencies(String archive) {
        return remote.get(ApiPaths.archive(archive, "/dependencies"), Json.listOf(BuildStore.ArchiveDependency.class));
    }

    @Override
    public List<BuildStore.ArchiveDependency> setDependencies(
            String archive, List<String> archives, List<SetDependencies.External> externals, String series) {
        List<Map<String, String>> e = externals == null
                ? null
                : externals.stream()
                        .map(x -> Map.of("line", x.line(), "key", new String(x.key(), StandardCharsets.ISO_8859_1)))
                        .toList();
        return remote.post(
                ApiPaths.archive(archive, "/dependencies"),
                HttpTransport.body("archives", archives, "externals", e, "series", series),
                Json.listOf(BuildStore.ArchiveDependency.class));
    }

    @Override
    public Build cancel(long id) {
        return remote.post(ApiPaths.V1 + "/builds/" + id + "/cancel", null, Json.of(Build.class));
    }
}
