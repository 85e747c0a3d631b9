package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.CompleteBuild;
import org.ppaforge.farm.Holder;
import org.ppaforge.farm.SetDependencies;

/**
 * The build farm's endpoints: builds for users (list, show, log, retry, cancel) and the worker protocol (lease,
 * heartbeat, log, files, chroot, result). A worker is a client like dput: the embedded worker of {@code ppa serve} and
 * one on another machine make the same calls. Builds of a private archive are invisible to callers who may not read it.
 */
final class BuildApi {
    /** A log chunk a worker sends at most (it sends every second or so). */
    static final int MAX_LOG_CHUNK = 1 << 20;

    private final Api api;
    private final Builds builds;

    BuildApi(Api api, Builds builds) {
        this.api = api;
        this.builds = builds;
    }

    private Builds farm() {
        return builds;
    }

    /** A build the caller may see (a private archive's builds are missing to others, in the same words). */
    private Build visible(HttpServerExchange ex) {
        return farm().show().caller(api.caller(ex)).id(id(ex)).call();
    }

    private static long id(HttpServerExchange ex) {
        String raw = ApiRequests.param(ex, "id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ForgeException.invalid("a build number is a whole number, not '" + raw + "'");
        }
    }

    /** The name a worker gives, when it gives one (a label: its token is what holds a lease). */
    private String worker(HttpServerExchange ex) {
        String w = ApiRequests.query(ex, "worker");
        if (w != null && !w.matches("[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}")) {
            throw ForgeException.invalid("invalid worker name '" + w + "': letters, digits and . _ @ : -, at most 64");
        }
        return w; // null: the token alone
    }

    private void workerToken(HttpServerExchange ex) {
        api.authenticateWorker(ex);
    }

    /** The caller as a lease holder: its worker token (what counts) and the name it gives, if any. */
    private Holder holder(HttpServerExchange ex) {
        return Holder.of(api.authenticateWorker(ex), worker(ex));
    }

    List<Api.Route> table() {
        return List.of(
                new Api.Route(
                                "GET",
                                "/api/v1/builds",
                                "Builds, newest first (query: archive, state, source, limit)",
                                false,
                                ex -> {
                                    String state = ApiRequests.query(ex, "state");
                                    return farm().list()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.query(ex, "archive"))
                                            .state(state == null ? null : BuildState.parse(state))
                                            .source(ApiRequests.query(ex, "source"))
                                            .limit(ApiRequests.intQuery(ex, "limit", 100))
                                            .call();
                                })
                        .query("archive", "state", "source", "limit"),
                new Api.Route(
                        "GET",
                        "/api/v1/builds/{id}",
                        "One build, with the last lines of its log",
                        false,
                        ex -> new Shown(visible(ex), farm().logs().tail(id(ex), 20))),
                new Api.Route(
                                "GET",
                                "/api/v1/builds/{id}/log",
                                "A build's log from a byte offset (query: offset; the answer's "
                                        + "'next' is the offset to ask from next, 'complete' says the build ended)",
                                false,
                                ex -> {
                                    visible(ex);
                                    String offset = ApiRequests.query(ex, "offset");
                                    return farm().logs().read(id(ex), offset == null ? 0 : Long.parseLong(offset));
                                })
                        .query("offset"),
                new Api.Route(
                        "POST",
                        "/api/v1/builds/{id}/retry",
                        "Queue a failed, dependency-waiting or cancelled build again "
                                + "(a token that may write its archive)",
                        true,
                        ex -> {
                            return farm().retry()
                                    .caller(api.caller(ex))
                                    .id(id(ex))
                                    .call();
                        }),
                new Api.Route(
                        "POST",
                        "/api/v1/builds/{id}/cancel",
                        "Cancel a build; a running one stops at its worker's next "
                                + "heartbeat (a token that may write its archive)",
                        true,
                        ex -> {
                            return farm().cancel()
                                    .caller(api.caller(ex))
                                    .id(id(ex))
                                    .call();
                        }),
                new Api.Route(
                        "GET",
                        "/api/v1/archives/{archive}/dependencies",
                        "What the archive's builds take "
                                + "build-dependencies from after the archive itself, in order",
                        false,
                        ex -> farm().dependencies()
                                .caller(api.caller(ex))
                                .archive(ApiRequests.param(ex, "archive"))
                                .call()),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/dependencies",
                                "Set what the archive's builds take "
                                        + "build-dependencies from (admin token): JSON {archives[]: other archives in order, externals[]: {line: "
                                        + "'deb URL SUITE COMPONENTS' (the suite may say {series}), key: its public key}, series: "
                                        + "the one series the externals are for}; an absent field keeps its value",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    api.caller(ex).admin(api.ppa()); // before the fields are read
                                    List<String> archives = null;
                                    if (body.has("archives")
                                            && !body.get("archives").isNull()) {
                                        archives = new ArrayList<>();
                                        for (JsonNode n : body.get("archives")) {
                                            archives.add(n.asText());
                                        }
                                    }
                                    List<SetDependencies.External> externals = null;
                                    if (body.has("externals")
                                            && !body.get("externals").isNull()) {
                                        externals = new ArrayList<>();
                                        for (JsonNode n : body.get("externals")) {
                                            externals.add(new SetDependencies.External(
                                                    ApiRequests.text(n, "line", true),
                                                    ApiRequests.text(n, "key", true)
                                                            .getBytes(StandardCharsets.ISO_8859_1)));
                                        }
                                    }
                                    return farm().setDependencies()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.param(ex, "archive"))
                                            .archives(archives)
                                            .externals(externals)
                                            .series(ApiRequests.text(body, "series", false))
                                            .call();
                                })
                        .body("application/json"),
                new Api.Route(
                        "GET",
                        "/api/v1/chroots",
                        "The build environments per series and architecture",
                        false,
                        ex -> farm().listChroots().call()),
                new Api.Route(
                                "POST",
                                "/api/v1/workers/lease",
                                "Worker: lease the next build (worker token; JSON {worker, "
                                        + "architectures[], wait: seconds to wait for one, at most 60}); 204 when none",
                                true,
                                ex -> {
                                    var token = api.authenticateWorker(ex);
                                    JsonNode body = ApiRequests.body(ex);
                                    List<String> archs = new ArrayList<>();
                                    body.path("architectures").forEach(n -> archs.add(n.asText()));
                                    var lease = farm().lease()
                                            .worker(Holder.of(token, ApiRequests.text(body, "worker", true)))
                                            .architectures(archs)
                                            .waitMillis(body.path("wait").asLong(0) * 1000)
                                            .call();
                                    if (lease.isEmpty()) {
                                        return (Api.Raw) e -> {
                                            e.setStatusCode(204);
                                            e.endExchange();
                                        };
                                    }
                                    return lease.get();
                                })
                        .body("application/json"),
                new Api.Route(
                                "POST",
                                "/api/v1/builds/{id}/heartbeat",
                                "Worker: still building (worker token; query: worker); "
                                        + "the answer's 'cancel' says to stop",
                                true,
                                ex -> {
                                    return farm().heartbeat()
                                            .build(id(ex))
                                            .worker(holder(ex))
                                            .call();
                                })
                        .query("worker"),
                new Api.Route(
                                "POST",
                                "/api/v1/builds/{id}/log",
                                "Worker: append to the build's log (worker token; query: "
                                        + "worker; the body is text, at most 1 MiB)",
                                true,
                                ex -> {
                                    farm().heartbeat()
                                            .build(id(ex))
                                            .worker(holder(ex))
                                            .call(); // only the holder writes, and writing is a sign of life
                                    byte[] text = ApiRequests.limited(ex, MAX_LOG_CHUNK, "a log chunk", true);
                                    return Map.of(
                                            "appended",
                                            farm().logs().append(id(ex), new String(text, StandardCharsets.UTF_8)));
                                })
                        .query("worker")
                        .body("text/plain"),
                new Api.Route(
                                "GET",
                                "/api/v1/builds/{id}/files/{name}",
                                "Worker: a file of the build's source package (worker "
                                        + "token; query: worker; only the lease's holder)",
                                true,
                                ex -> {
                                    Build b = farm().heartbeat()
                                            .build(id(ex))
                                            .worker(holder(ex))
                                            .held();
                                    String name = ApiRequests.param(ex, "name");
                                    var lease = farm().archive()
                                            .metadata()
                                            .read(tx -> tx.sourceDetails(List.of(b.sourceId())))
                                            .get(b.sourceId());
                                    var file = lease == null
                                            ? null
                                            : lease.files().stream()
                                                    .filter(f -> f.filename().equals(name))
                                                    .findFirst()
                                                    .orElse(null);
                                    if (file == null) {
                                        throw ForgeException.notFound(
                                                "build " + b.id() + " has no source file '" + name + "'");
                                    }
                                    return blob(file.sha256(), file.size(), "application/octet-stream");
                                })
                        .query("worker"),
                new Api.Route(
                        "GET",
                        "/api/v1/chroots/{series}/{arch}/tarball",
                        "Worker: the chroot tarball (worker token)",
                        true,
                        ex -> {
                            workerToken(ex);
                            var c = farm().store()
                                    .chroot(ApiRequests.param(ex, "series"), ApiRequests.param(ex, "arch"))
                                    .orElseThrow(() -> ForgeException.notFound("there is no chroot for "
                                            + ApiRequests.param(ex, "series") + "/" + ApiRequests.param(ex, "arch")));
                            return blob(c.sha256(), c.size(), "application/zstd");
                        }),
                new Api.Route(
                                "POST",
                                "/api/v1/builds/{id}/result",
                                "Worker: how the build ended (worker token; query: worker, "
                                        + "outcome=built|failed|dependency-wait|given-back (the worker stops: the build is queued again), unmet; for built, the .changes and its files as "
                                        + "multipart/form-data parts named 'file')",
                                true,
                                this::result)
                        .query("worker", "outcome", "unmet")
                        .body("multipart/form-data"));
    }

    /** A build with the end of its log. */
    record Shown(Build build, String logTail) {}

    private Api.Raw blob(String sha256, long size, String type) {
        return ex -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
            ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, size);
            try (InputStream in = farm().archive().blobs().open(sha256);
                    OutputStream out = ex.getOutputStream()) {
                in.transferTo(out);
            }
        };
    }

    private Object result(HttpServerExchange ex) throws IOException {
        long id = id(ex);
        Holder w = holder(ex);
        String outcome = ApiRequests.required(ApiRequests.query(ex, "outcome"), "outcome");
        CompleteBuild.Outcome o = switch (outcome) {
            case "built" -> CompleteBuild.Outcome.BUILT;
            case "failed" -> CompleteBuild.Outcome.FAILED;
            case "dependency-wait" -> CompleteBuild.Outcome.DEPENDENCY_WAIT;
            case "given-back" -> CompleteBuild.Outcome.GIVEN_BACK;
            default ->
                throw ForgeException.invalid(
                        "outcome is built, failed, dependency-wait or given-back, not '" + outcome + "'");
        };
        farm().heartbeat()
                .build(id)
                .worker(w)
                .call(); // 409 before reading a body for a build this worker does not hold
        Path dir = Files.createTempDirectory(
                Files.createDirectories(farm().archive().workDirectory()), "include-build-");
        try {
            if (o == CompleteBuild.Outcome.BUILT) {
                api.receiveFiles(ex, dir);
            }
            return farm().complete()
                    .build(id)
                    .worker(w)
                    .outcome(o)
                    .unmet(ApiRequests.query(ex, "unmet"))
                    .results(dir)
                    .call();
        } finally {
            FileTrees.delete(dir);
        }
    }
}
