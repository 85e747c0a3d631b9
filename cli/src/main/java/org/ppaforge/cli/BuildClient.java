package org.ppaforge.cli;

import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;

/**
 * What the build commands ask of the build farm, in one place: on the local data directory (the verbs) or on a server
 * (the API), so a command knows neither a URL nor where it runs.
 */
interface BuildClient extends AutoCloseable {
    List<Build> list(String archive, BuildState state, String source, int limit);

    Build show(long id);

    String logTail(long id);

    BuildLogs.Chunk log(long id, long offset);

    Build retry(long id);

    Build cancel(long id);

    @Override
    void close();

    static BuildClient of(DataDir dataDir) {
        return dataDir.server() != null ? new RemoteClient(dataDir.remote()) : new LocalClient(dataDir.forge());
    }

    final class LocalClient implements BuildClient {
        private final Forge forge;
        private final Ppaforge ppa;
        private final Builds builds;

        LocalClient(Forge forge) {
            this.forge = forge;
            this.ppa = forge.archive();
            this.builds = forge.farm();
        }

        @Override
        public List<Build> list(String archive, BuildState state, String source, int limit) {
            return builds.list()
                    .archive(archive)
                    .state(state)
                    .source(source)
                    .limit(limit)
                    .call();
        }

        @Override
        public Build show(long id) {
            return builds.show().id(id).call();
        }

        @Override
        public String logTail(long id) {
            return builds.logs().tail(id, 20);
        }

        @Override
        public BuildLogs.Chunk log(long id, long offset) {
            return builds.logs().read(id, offset);
        }

        @Override
        public Build retry(long id) {
            return builds.retry().id(id).call();
        }

        @Override
        public Build cancel(long id) {
            return builds.cancel().id(id).call();
        }

        @Override
        public void close() {
            forge.close();
        }
    }

    final class RemoteClient implements BuildClient {
        private final Remote remote;

        RemoteClient(Remote remote) {
            this.remote = remote;
        }

        /** The API's answer for one build: the build and the end of its log. */
        record Shown(Build build, String logTail) {}

        @Override
        public List<Build> list(String archive, BuildState state, String source, int limit) {
            return remote.get(
                    "/api/v1/builds"
                            + Remote.query(
                                    "archive",
                                    archive,
                                    "state",
                                    state == null ? null : state.label(),
                                    "source",
                                    source,
                                    "limit",
                                    Integer.toString(limit)),
                    Remote.listOf(Build.class));
        }

        @Override
        public Build show(long id) {
            return shown(id).build();
        }

        private Shown shown(long id) {
            return remote.get("/api/v1/builds/" + id, Remote.of(Shown.class));
        }

        @Override
        public String logTail(long id) {
            return shown(id).logTail();
        }

        @Override
        public BuildLogs.Chunk log(long id, long offset) {
            return remote.get(
                    "/api/v1/builds/" + id + "/log" + Remote.query("offset", Long.toString(offset)),
                    Remote.of(BuildLogs.Chunk.class));
        }

        @Override
        public Build retry(long id) {
            return remote.post("/api/v1/builds/" + id + "/retry", null, Remote.of(Build.class));
        }

        @Override
        public Build cancel(long id) {
            return remote.post("/api/v1/builds/" + id + "/cancel", null, Remote.of(Build.class));
        }

        @Override
        public void close() {}
    }
}
