package org.ppaforge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.qa.Qa;

/** What the pipeline commands ask, on the local data directory (the verbs) or on a server (the API). */
interface PipelineClient extends AutoCloseable {
    Pipeline create(String name, String git, String branch, String file) throws IOException;

    List<Pipeline> list();

    String key(String name) throws IOException;

    Run start(String name, String ref);

    List<Run> runs(String pipeline, int limit);

    Run run(long id);

    /** A step's log from a byte offset: the text and the offset to ask from next. */
    Map.Entry<String, Long> log(long run, String step, long offset) throws IOException;

    Run cancel(long id);

    /** Runs queued runs here until {@code id} has run (local only). */
    Run runHere(long id) throws InterruptedException;

    @Override
    void close();

    static PipelineClient of(DataDir dataDir) {
        return dataDir.server() != null ? new RemoteClient(dataDir.remote()) : new LocalClient(dataDir.forge());
    }

    final class LocalClient implements PipelineClient {
        private final Ppaforge ppa;
        private final Builds builds;
        private final Pipelines pipelines;
        private final Qa qa;

        private final Forge forge;

        LocalClient(Forge forge) {
            this.forge = forge;
            this.ppa = forge.archive();
            this.builds = forge.farm();
            this.pipelines = forge.pipelines();
            this.qa = forge.qa();
        }

        @Override
        public Pipeline create(String name, String git, String branch, String file) throws IOException {
            return pipelines.create(name, git, branch, file);
        }

        @Override
        public List<Pipeline> list() {
            return pipelines.list();
        }

        @Override
        public String key(String name) throws IOException {
            return pipelines.publicKey(name);
        }

        @Override
        public Run start(String name, String ref) {
            return pipelines.start(name, "manual", ref);
        }

        @Override
        public List<Run> runs(String pipeline, int limit) {
            return pipelines.runs(pipeline, limit);
        }

        @Override
        public Run run(long id) {
            return pipelines.run(id);
        }

        @Override
        public Map.Entry<String, Long> log(long run, String step, long offset) throws IOException {
            pipelines.run(run);
            Path f = pipelines.logFile(run, step);
            byte[] all = Files.exists(f) ? Files.readAllBytes(f) : new byte[0];
            int from = (int) Math.min(Math.max(offset, 0), all.length);
            return Map.entry(new String(all, from, all.length - from, StandardCharsets.UTF_8), (long) all.length);
        }

        @Override
        public Run cancel(long id) {
            return pipelines.cancel(id);
        }

        @Override
        public Run runHere(long id) throws InterruptedException {
            Run done;
            do {
                done = pipelines.runner().runNext();
            } while (done != null && done.id() != id);
            return pipelines.run(id);
        }

        @Override
        public void close() {
            forge.close();
        }
    }

    final class RemoteClient implements PipelineClient {
        private final Remote remote;

        RemoteClient(Remote remote) {
            this.remote = remote;
        }

        @Override
        public Pipeline create(String name, String git, String branch, String file) {
            return remote.post(
                    "/api/v1/pipelines",
                    Remote.body("name", name, "git", git, "branch", branch, "file", file),
                    Remote.of(Pipeline.class));
        }

        @Override
        public List<Pipeline> list() {
            return remote.get("/api/v1/pipelines", Remote.listOf(Pipeline.class));
        }

        @Override
        public String key(String name) {
            return remote.get("/api/v1/pipelines/" + Remote.encode(name) + "/key", Remote.of(String.class));
        }

        @Override
        public Run start(String name, String ref) {
            return remote.post(
                    "/api/v1/pipelines/" + Remote.encode(name) + "/runs" + Remote.query("ref", ref),
                    null,
                    Remote.of(Run.class));
        }

        @Override
        public List<Run> runs(String pipeline, int limit) {
            return remote.get(
                    "/api/v1/pipelines/runs" + Remote.query("pipeline", pipeline, "limit", Integer.toString(limit)),
                    Remote.listOf(Run.class));
        }

        @Override
        public Run run(long id) {
            return remote.get("/api/v1/pipelines/runs/" + id, Remote.of(Run.class));
        }

        record Chunk(long run, String step, String text, long next, boolean complete) {}

        @Override
        public Map.Entry<String, Long> log(long run, String step, long offset) {
            Chunk c = remote.get(
                    "/api/v1/pipelines/runs/" + run + "/log/" + Remote.encode(step)
                            + Remote.query("offset", Long.toString(offset)),
                    Remote.of(Chunk.class));
            return Map.entry(c.text(), c.next());
        }

        @Override
        public Run cancel(long id) {
            return remote.post("/api/v1/pipelines/runs/" + id + "/cancel", null, Remote.of(Run.class));
        }

        @Override
        public Run runHere(long id) {
            throw new IllegalArgumentException(
                    "--here runs on the local data directory: leave out --server (the server runs "
                            + "queued runs itself)");
        }

        @Override
        public void close() {}
    }
}
