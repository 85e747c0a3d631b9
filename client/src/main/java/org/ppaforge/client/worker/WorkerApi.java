package org.ppaforge.client.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.wire.ApiPaths;
import org.ppaforge.client.wire.Json;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.farm.Heartbeat;
import org.ppaforge.farm.LeaseBuild;

/**
 * The worker's side of the build protocol, typed: a lease is read as {@link LeaseBuild.Lease}, a heartbeat's answer as
 * {@link Heartbeat.Result}. Every call carries the worker's token, which is what the server checks a build's lease
 * against; the worker's name only labels it. java.net.http (not the CLI's transport): a worker is long-running, streams
 * multi-megabyte downloads to files and uploads results as one streamed multipart body.
 */
final class WorkerApi {
    private final String server;
    private final String token;
    private final String name;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * How long a build's end (its last log lines and its result) is retried while the server cannot be reached or
     * answers 502/503/504: longer than a server's restart, within the lease (90 s) plus a restart. Past it the
     * lease has run out anyway and the build goes to another worker.
     */
    static final Duration PATIENCE = Duration.ofMinutes(3);

    /** The server could not be reached, or answered that it cannot serve now (502, 503, 504): worth trying again. */
    static final class Unreachable extends IOException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a call does; {@link #patiently} repeats it. */
    interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    WorkerApi(String server, String token, String name) {
        this.server = server.replaceAll("/+$", "");
        this.token = token;
        this.name = name;
    }

    String server() {
        return server;
    }

    /**
     * Runs {@code call}, again after 1, 2, 4… (at most 10) seconds while the server is {@link Unreachable}, for up to
     * {@link #PATIENCE}: a server restarted (or a load balancer's other server taking over) during a build loses none of
     * it. Other failures (a 4xx: the lease is gone, the result refused) are not retried.
     */
    <T> T patiently(String what, java.util.function.Consumer<String> say, Call<T> call)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long wait = 1000;
        while (true) {
            try {
                return call.run();
            } catch (Unreachable e) {
                if (System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw e;
                }
                say.accept("worker " + name + ": " + what + ": " + e.getMessage() + " (trying again in " + wait / 1000
                        + " s)");
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }

    String token() {
        return token;
    }

    /** Asks for a build, waiting up to {@code waitSeconds} for one: empty when none came. */
    Optional<LeaseBuild.Lease> lease(List<String> architectures, int waitSeconds)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(ApiPaths.V1 + "/workers/lease")
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        json(Map.of("worker", name, "architectures", architectures, "wait", waitSeconds)))));
        return r.statusCode() == 204
                ? Optional.empty()
                : Optional.of(Json.MAPPER.readValue(r.body(), LeaseBuild.Lease.class));
    }

    /** Still building; the answer says whether to stop. */
    Heartbeat.Result heartbeat(long build) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(build(build, "/heartbeat")).POST(HttpRequest.BodyPublishers.noBody()));
        return Json.MAPPER.readValue(r.body(), Heartbeat.Result.class);
    }

    void appendLog(long build, String text) throws IOException, InterruptedException {
        send(request(build(build, "/log"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    void sourceFile(long build, String file, Path target, String sha256) throws IOException, InterruptedException {
        download(build(build, "/files/" + ApiPaths.segment(file)), target, sha256);
    }

    void chroot(String series, String architecture, Path target, String sha256)
            throws IOException, InterruptedException {
        download(
                ApiPaths.V1 + "/chroots/" + ApiPaths.segment(series) + "/" + ApiPaths.segment(architecture)
                        + "/tarball",
                target,
                sha256);
    }

    /** An archive's public key into {@code target}; false when the archive has none (unsigned). */
    boolean archiveKey(String archive, Path target) throws IOException, InterruptedException {
        HttpResponse<Path> k = http.send(
                request("/" + ApiPaths.segment(archive) + "/key.asc").GET().build(),
                HttpResponse.BodyHandlers.ofFile(target));
        return k.statusCode() == 200;
    }

    /** How the build ended, with its result files (a .changes and what it lists) when it was built. */
    void result(long build, String outcome, String unmet, List<Path> files) throws IOException, InterruptedException {
        HttpRequest.Builder req = request(build(build, "/result", "outcome", outcome, "unmet", unmet));
        if (files.isEmpty()) {
            send(req.POST(HttpRequest.BodyPublishers.noBody()));
            return;
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

    /** A build's path; the worker's name goes along as a label (the token is what the lease is checked against). */
    private String build(long id, String what, String... moreQuery) {
        String[] query = new String[2 + moreQuery.length];
        query[0] = "worker";
        query[1] = name;
        System.arraycopy(moreQuery, 0, query, 2, moreQuery.length);
        return ApiPaths.V1 + "/builds/" + id + what + ApiPaths.query(query);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpRequest request = b.build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable(
                    request.method() + " " + request.uri().getPath() + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
        if (r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504) {
            throw new Unreachable(r.request().method() + " " + r.uri().getPath() + ": " + r.statusCode(), null);
        }
        if (r.statusCode() >= 300) {
            String message = null;
            try {
                message = HttpTransport.errorMessage(r.body().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // not JSON: the body as it is
            }
            throw new IOException(r.request().method() + " " + r.uri().getPath() + ": " + r.statusCode() + " "
                    + (message == null ? r.body() : message));
        }
        return r;
    }

    private void download(String path, Path target, String sha256) throws IOException, InterruptedException {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        HttpResponse<Path> r;
        try {
            r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(tmp));
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new Unreachable("GET " + path + ": " + e.getMessage(), e);
        }
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

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
