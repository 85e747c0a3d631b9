package org.ppaforge.farm.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.farm.Redactor;
import org.ppaforge.farm.sbuild.Sbuild;

/**
 * A build worker: a client of a ppaforge server's API, like dput. It leases a build (a long poll), fetches the chroot
 * tarball (cached by its SHA-256) and the source files, runs sbuild in unshare mode against the archive (and its
 * dependencies) served by that server, sends the log as it comes (which also renews the lease), asks every few seconds
 * whether to stop, and returns the results. Killed, it simply stops heartbeating: the server gives the build to another
 * worker when the lease runs out.
 */
public final class Worker implements Runnable {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String server;
    private final String token;
    private final String name;
    private final List<String> architectures;
    private final Path directory;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Consumer<String> say = line -> {};
    private Duration heartbeat = Duration.ofSeconds(5);
    private int pollSeconds = 20;
    private volatile Thread thread;

    /**
     * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
     * @param directory where chroot tarballs are cached and builds run
     */
    public Worker(String server, String token, String name, List<String> architectures, Path directory) {
        this.server = server.replaceAll("/+$", "");
        this.token = token;
        this.name = name;
        this.architectures = List.copyOf(architectures);
        this.directory = directory;
    }

    /** Where the worker reports what it does (one line per step). */
    public Worker say(Consumer<String> say) {
        this.say = say;
        return this;
    }

    public Worker heartbeat(Duration every) {
        this.heartbeat = every;
        return this;
    }

    /** How long one lease request waits for a build to come (default 20 s). */
    public Worker pollSeconds(int seconds) {
        this.pollSeconds = seconds;
        return this;
    }

    /** Stops asking for builds; a build running now is finished first. */
    public void stop() {
        running.set(false);
    }

    /** Stops and waits until the worker's loop has ended (at most a lease request and the build in hand). */
    public void stopAndWait(Duration timeout) throws InterruptedException {
        stop();
        Thread t = thread;
        if (t != null) {
            t.join(timeout.toMillis());
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running.get()) {
            try {
                JsonNode lease = lease();
                if (lease != null) {
                    build(lease);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                say.accept("worker " + name + ": " + e.getMessage() + " (trying again in 5 s)");
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Asks for a build, waiting up to 20 s for one: null when none came. */
    JsonNode lease() throws IOException, InterruptedException {
        String body =
                JSON.writeValueAsString(Map.of("worker", name, "architectures", architectures, "wait", pollSeconds));
        HttpResponse<String> r = send(request("/api/v1/workers/lease")
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        return r.statusCode() == 204 ? null : JSON.readTree(r.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            String message = r.body();
            try {
                message = JSON.readTree(r.body()).path("error").path("message").asText(r.body());
            } catch (IOException e) {
                // not JSON: as it is
            }
            throw new IOException(
                    r.request().method() + " " + r.uri().getPath() + ": " + r.statusCode() + " " + message);
        }
        return r;
    }

    private void download(String path, Path target, String sha256) throws IOException, InterruptedException {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        HttpResponse<Path> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(tmp));
        if (r.statusCode() != 200) {
            Files.deleteIfExists(tmp);
            throw new IOException("GET " + path + ": " + r.statusCode());
        }
        String got = Checksums.of(tmp).sha256();
        if (!got.equals(sha256)) {
            Files.deleteIfExists(tmp);
            throw new IOException("GET " + path + ": SHA-256 " + got + ", expected " + sha256);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void build(JsonNode lease) throws IOException, InterruptedException {
        JsonNode b = lease.path("build");
        long id = b.path("id").asLong();
        String title = b.path("source").asText() + " " + b.path("version").asText() + " "
                + b.path("architecture").asText();
        say.accept("worker " + name + ": building " + id + " (" + title + ")");
        Path dir = directory.resolve("builds").resolve(Long.toString(id));
        FileTrees.delete(dir);
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("out"));
        String readToken = lease.path("readToken").asText(null);
        LogPump log = new LogPump(id, readToken);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-" + name + "-heartbeat");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean cancelled = new AtomicBoolean();
        Process[] process = new Process[1];
        Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet(); // sbuild's process tree
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        Process running = process[0];
                        if (running != null) {
                            running.descendants().forEach(seen::add);
                        }
                        log.flush();
                        HttpResponse<String> r = send(request("/api/v1/builds/" + id + "/heartbeat?worker=" + enc(name))
                                .POST(HttpRequest.BodyPublishers.noBody()));
                        if (JSON.readTree(r.body()).path("cancel").asBoolean()
                                && cancelled.compareAndSet(false, true)) {
                            log.add("\nppaforge worker: stopping sbuild (cancelled)\n");
                            Process p = process[0];
                            if (p != null) {
                                p.descendants().forEach(seen::add);
                                seen.forEach(ProcessHandle::destroy); // sbuild cleans up on SIGTERM
                                p.destroy();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        say.accept("worker " + name + ": heartbeat for build " + id + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                0,
                heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            Path chroot = chroot(lease, log);
            for (JsonNode f : lease.path("files")) {
                String fname = f.path("name").asText();
                if (fname.contains("/") || fname.startsWith(".")) {
                    throw new IOException("the server named a source file '" + fname + "'");
                }
                download(
                        "/api/v1/builds/" + id + "/files/" + enc(fname) + "?worker=" + enc(name),
                        src.resolve(fname),
                        f.path("sha256").asText());
            }
            List<Sbuild.ExtraRepository> repos = new ArrayList<>();
            for (JsonNode r : lease.path("repositories")) {
                repos.add(repository(r, dir, readToken));
            }
            Sbuild sbuild = new Sbuild()
                    .chroot(chroot)
                    .distribution(b.path("series").asText())
                    .architecture(b.path("architecture").asText())
                    .archAll(b.path("archAll").asBoolean())
                    .buildDir(out)
                    .repositories(repos);
            log.add("ppaforge worker " + name + ": "
                    + String.join(
                            " ", sbuild.command(src.resolve(lease.path("dsc").asText()))) + "\n");
            Sbuild.Outcome o = sbuild.run(src.resolve(lease.path("dsc").asText()), log::add, p -> process[0] = p);
            ticker.shutdown();
            ticker.awaitTermination(30, TimeUnit.SECONDS);
            if (cancelled.get()) { // nothing of the stopped build may outlive it: what ignored SIGTERM gets SIGKILL
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
                seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            }
            log.end();
            if (o.successful() && !cancelled.get()) {
                result(id, "built", null, out);
            } else if (o.dependencyWait() && !cancelled.get()) {
                result(id, "dependency-wait", o.unmet(), null);
            } else {
                result(id, "failed", null, null);
            }
            say.accept("worker " + name + ": build " + id + " (" + title + ") "
                    + (cancelled.get()
                            ? "stopped"
                            : o.successful()
                                    ? "built"
                                    : o.dependencyWait()
                                            ? "waits for " + o.unmet()
                                            : "failed (sbuild status " + o.status() + ")"));
        } catch (IOException e) {
            ticker.shutdownNow();
            log.add("\nppaforge worker " + name + ": " + e.getMessage() + "\n");
            log.end();
            try {
                result(id, "failed", null, null);
            } catch (IOException again) {
                say.accept("worker " + name + ": build " + id + ": " + again.getMessage());
            }
            throw e;
        } finally {
            ticker.shutdownNow();
            FileTrees.delete(dir);
        }
    }

    /** The chroot tarball from the cache, fetched once per SHA-256. */
    private Path chroot(JsonNode lease, LogPump log) throws IOException, InterruptedException {
        String sha = lease.path("chrootSha256").asText(null);
        JsonNode b = lease.path("build");
        if (sha == null || sha.equals("null")) {
            throw new IOException("no chroot for " + b.path("series").asText() + "/"
                    + b.path("architecture").asText());
        }
        Path cache = Files.createDirectories(directory.resolve("chroots"));
        Path tarball = cache.resolve(sha + ".tar.zst");
        if (!Files.exists(tarball)) {
            log.add("ppaforge worker " + name + ": fetching the chroot tarball ("
                    + lease.path("chrootSize").asLong() / (1 << 20) + " MiB)\n");
            download(
                    "/api/v1/chroots/" + enc(b.path("series").asText()) + "/"
                            + enc(b.path("architecture").asText()) + "/tarball",
                    tarball,
                    sha);
        }
        return tarball;
    }

    /**
     * An archive of this server becomes an extra repository for sbuild, its key fetched from the server. Its URL carries
     * the lease's read credential (good for this build's archives while it builds), never this worker's token: what a
     * build can read, it can print.
     */
    private Sbuild.ExtraRepository repository(JsonNode r, Path dir, String readToken)
            throws IOException, InterruptedException {
        String archive = r.path("archive").asText(null);
        if (archive == null || archive.equals("null")) { // an external repository, with the key it is signed with
            String key = r.path("key").asText(null);
            Path keyFile = null;
            if (key != null && !key.equals("null")) {
                keyFile = Files.writeString(Files.createTempFile(dir, "external-", ".asc"), key);
            }
            return new Sbuild.ExtraRepository(
                    "deb " + r.path("url").asText() + " " + r.path("suite").asText() + " "
                            + r.path("components").asText(),
                    keyFile);
        }
        Path key = dir.resolve(archive + ".asc");
        HttpResponse<Path> k = http.send(
                request("/" + enc(archive) + "/key.asc").GET().build(), HttpResponse.BodyHandlers.ofFile(key));
        URI base = URI.create(server);
        String url = base.getScheme() + "://" + (readToken == null ? "" : "build:" + readToken + "@")
                + base.getAuthority() + "/" + archive;
        return new Sbuild.ExtraRepository(
                "deb " + (k.statusCode() == 200 ? "" : "[trusted=yes] ") + url + " "
                        + r.path("suite").asText() + " " + r.path("components").asText(),
                k.statusCode() == 200 ? key : null);
    }

    private void result(long id, String outcome, String unmet, Path out) throws IOException, InterruptedException {
        String query = "?worker=" + enc(name) + "&outcome=" + outcome + (unmet == null ? "" : "&unmet=" + enc(unmet));
        HttpRequest.Builder req = request("/api/v1/builds/" + id + "/result" + query);
        if (out == null) {
            send(req.POST(HttpRequest.BodyPublishers.noBody()));
            return;
        }
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(out)) {
            s.filter(p -> p.getFileName().toString().endsWith(".changes")).forEach(files::add);
        }
        if (files.size() != 1) {
            throw new IOException("sbuild left " + files.size() + " .changes files in " + out);
        }
        var changes = Changes.parse(
                Files.readString(files.get(0)), files.get(0).getFileName().toString());
        for (var f : changes.files()) {
            files.add(out.resolve(f.name()));
        }
        String boundary = "ppaforge-" + Long.toHexString(System.nanoTime());
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(HttpRequest.BodyPublishers.ofString(
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; " + "filename=\""
                            + f.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofFile(f));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        send(req.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The build's log on its way to the server, in chunks. The lease's read credential (in the URLs of private dependency
     * archives that sbuild prints) and, as a second line of defence, the worker's token are blanked here, across chunk
     * boundaries, before anything leaves the worker. (A build can still print the read credential disguised; it is void
     * once the build ends.)
     */
    private final class LogPump {
        private final long id;
        private final StringBuilder pending = new StringBuilder();
        private final Redactor redactor;

        LogPump(long id, String readToken) {
            this.id = id;
            this.redactor = new Redactor(Arrays.asList(token, readToken), this::ready); // drops missing ones
        }

        void add(String text) {
            redactor.accept(text);
        }

        private synchronized void ready(String text) {
            pending.append(text);
        }

        /** The log has ended: what the redactor held back goes too. */
        void end() throws IOException, InterruptedException {
            redactor.flush();
            flush();
        }

        void flush() throws IOException, InterruptedException {
            while (true) {
                String chunk;
                synchronized (this) {
                    if (pending.length() == 0) {
                        return;
                    }
                    int n = Math.min(pending.length(), 512 * 1024);
                    chunk = pending.substring(0, n);
                    pending.delete(0, n);
                }
                send(request("/api/v1/builds/" + id + "/log?worker=" + enc(name))
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(chunk)));
            }
        }
    }
}
