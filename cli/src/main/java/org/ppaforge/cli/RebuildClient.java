package org.ppaforge.cli;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.qa.Qa;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;

/** What the rebuild commands ask, on the local data directory (the QA verbs) or on a server (the API). */
interface RebuildClient extends AutoCloseable {
    RebuildSet create(
            String name,
            String from,
            String fromSeries,
            List<String> packages,
            String into,
            String series,
            String schedule,
            String webhook,
            String fromKey);

    List<RebuildSet> list();

    /** Locally: runs it now and waits. On a server: asks for a run (null: the server runs it when its runner is free). */
    RebuildRun run(String name, boolean force) throws InterruptedException;

    List<RebuildRun> runs(String name, int limit);

    RebuildRun results(String name, LocalDate date);

    @Override
    void close();

    static RebuildClient of(DataDir dataDir) {
        return dataDir.server() != null ? new Remote(dataDir.remote()) : new Local(dataDir.forge());
    }

    final class Local implements RebuildClient {
        private final Ppaforge ppa;
        private final Builds builds;
        private final Qa qa;

        private final Forge forge;

        Local(Forge forge) {
            this.forge = forge;
            this.ppa = forge.archive();
            this.builds = forge.farm();
            this.qa = forge.qa();
        }

        @Override
        public RebuildSet create(
                String name,
                String from,
                String fromSeries,
                List<String> packages,
                String into,
                String series,
                String schedule,
                String webhook,
                String fromKey) {
            return qa.rebuilds().create(name, from, fromSeries, packages, into, series, schedule, webhook, fromKey);
        }

        @Override
        public List<RebuildSet> list() {
            return qa.rebuilds().list();
        }

        @Override
        public RebuildRun run(String name, boolean force) throws InterruptedException {
            return qa.rebuilds().run(name, force);
        }

        @Override
        public List<RebuildRun> runs(String name, int limit) {
            return qa.rebuilds().runs(name, limit);
        }

        @Override
        public RebuildRun results(String name, LocalDate date) {
            return qa.rebuilds().results(name, date);
        }

        @Override
        public void close() {
            forge.close();
        }
    }

    final class Remote implements RebuildClient {
        private final org.ppaforge.cli.Remote remote;

        Remote(org.ppaforge.cli.Remote remote) {
            this.remote = remote;
        }

        private static String path(String name) {
            return "/api/v1/rebuilds/" + org.ppaforge.cli.Remote.encode(name);
        }

        @Override
        public RebuildSet create(
                String name,
                String from,
                String fromSeries,
                List<String> packages,
                String into,
                String series,
                String schedule,
                String webhook,
                String fromKey) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("from", from);
            body.put("fromSeries", fromSeries);
            body.put("packages", packages);
            body.put("into", into);
            body.put("series", series);
            body.put("schedule", schedule);
            body.put("webhook", webhook);
            body.put("fromKey", fromKey);
            return remote.post("/api/v1/rebuilds", body, org.ppaforge.cli.Remote.of(RebuildSet.class));
        }

        @Override
        public List<RebuildSet> list() {
            return remote.get("/api/v1/rebuilds", org.ppaforge.cli.Remote.listOf(RebuildSet.class));
        }

        @Override
        public RebuildRun run(String name, boolean force) {
            remote.post(
                    path(name) + "/runs" + org.ppaforge.cli.Remote.query("force", Boolean.toString(force)),
                    null,
                    org.ppaforge.cli.Remote.of(RebuildSet.class));
            return null;
        }

        @Override
        public List<RebuildRun> runs(String name, int limit) {
            return remote.get(
                    path(name) + "/runs" + org.ppaforge.cli.Remote.query("limit", Integer.toString(limit)),
                    org.ppaforge.cli.Remote.listOf(RebuildRun.class));
        }

        @Override
        public RebuildRun results(String name, LocalDate date) {
            return remote.get(
                    path(name) + "/results"
                            + org.ppaforge.cli.Remote.query("date", date == null ? null : date.toString()),
                    org.ppaforge.cli.Remote.of(RebuildRun.class));
        }

        @Override
        public void close() {}
    }
}
