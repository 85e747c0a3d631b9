package org.ppaforge.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.server.handlers.form.MultiPartParserDefinition;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.client.wire.HttpStatuses;
import org.ppaforge.client.wire.Json;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.pool.PoolPath;
import org.ppaforge.forge.Forge;

/**
 * The JSON API under {@code /api/v1}: each endpoint configures one verb, calls it and
 * renders its result; the rules live in the verbs. Writes need a token
 * ({@code Authorization: Bearer TOKEN}, or HTTP Basic with the token as password).
 * Errors are {@code {"error": {"code": ..., "message": ...}}} with 400 (bad input),
 * 401/403 (credentials), 404, 409 (refused by an archive rule), 413 (too large), 503 (busy).
 */
final class Api {
    static final ObjectMapper JSON = Json.MAPPER;

    private final Ppaforge ppa;
    private final BodyGuard guard;
    private final ArchiveApi archives;
    private final BuildApi builds;
    private final PipelineApi pipelineApi;
    private final CoverageApi coverageApi;
    private final RebuildApi rebuildApi;
    private final Readiness readiness;

    Api(Forge forge, BodyGuard guard) {
        this.ppa = forge.archive();
        this.guard = guard;
        this.readiness = new Readiness(forge);
        this.archives = new ArchiveApi(this, forge.archive());
        this.builds = new BuildApi(this, forge.farm());
        this.pipelineApi = new PipelineApi(this, forge.pipelines());
        this.coverageApi = new CoverageApi(this, forge.qa());
        this.rebuildApi = new RebuildApi(this, forge.qa());
    }

    Ppaforge ppa() {
        return ppa;
    }

    /** An endpoint's result that writes its own response (files, 204). */
    interface Raw {
        void send(HttpServerExchange ex) throws IOException;
    }

    interface Endpoint {
        Object handle(HttpServerExchange exchange) throws Exception;
    }

    /**
     * One endpoint: how it is reached, what it does, whether it needs a token, the query parameters it reads and the
     * content type of its request body (null: none). The OpenAPI document is made from these, and an endpoint may read
     * only the query parameters its route declares.
     */
    record Route(
            String method,
            String path,
            String summary,
            boolean needsToken,
            Endpoint endpoint,
            List<String> query,
            String body) {
        Route(String method, String path, String summary, boolean needsToken, Endpoint endpoint) {
            this(method, path, summary, needsToken, endpoint, List.of(), null);
        }

        Route query(String... names) {
            return new Route(method, path, summary, needsToken, endpoint, List.of(names), body);
        }

        Route body(String contentType) {
            return new Route(method, path, summary, needsToken, endpoint, query, contentType);
        }
    }

    static final AttachmentKey<Route> ROUTE = AttachmentKey.create(Route.class);
    static final String JSON_BODY = "application/json";

    List<Route> table() {
        List<Route> all = new ArrayList<>(archives.table());
        all.addAll(builds.table());
        all.addAll(pipelineApi.table());
        all.addAll(coverageApi.table());
        all.addAll(rebuildApi.table());
        all.addAll(List.of(
                new Route(
                        "GET",
                        "/api/v1/health",
                        "For monitors and load balancers: {status: ok} once the metadata store answers",
                        false,
                        ex -> {
                            ppa.metadata().read(tx -> tx.archives().size());
                            return Map.of("status", "ok");
                        }),
                new Route(
                        "GET",
                        "/api/v1/ready",
                        "For load balancers and orchestrators: 200 {ready: true, checks} when the databases answer, "
                                + "the pool takes files and the publish directory is writable; else 503 naming what failed",
                        false,
                        ex -> readiness.answer()),
                new Route(
                        "GET",
                        "/api/v1/openapi.json",
                        "This API, as an OpenAPI 3 document",
                        false,
                        ex -> OpenApi.document(table()))));
        return all;
    }

    HttpHandler routes() {
        RoutingHandler r = new RoutingHandler();
        for (Route route : table()) {
            r.add(route.method(), route.path(), wrap(route));
        }
        return r.setFallbackHandler(ex -> error(
                ex, 404, "NOT_FOUND", "no such API endpoint: " + ex.getRequestMethod() + " " + ex.getRequestPath()));
    }

    /** Who makes this request, for the verbs to decide what it may do: its token, or none. */
    Caller caller(HttpServerExchange ex) {
        return Caller.token(token(ex));
    }

    /** A worker's call: a worker token (or an admin token). */
    ApiToken authenticateWorker(HttpServerExchange ex) {
        return ppa.authenticate().token(token(ex)).workerOnly().call();
    }

    /** The token from {@code Authorization: Bearer T} or from HTTP Basic (any user, the token as password). */
    static String token(HttpServerExchange ex) {
        String h = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (h == null) {
            return null;
        }
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).strip();
        }
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private HttpHandler wrap(Route route) {
        Endpoint endpoint = route.endpoint();
        boolean writes = route.body() != null || !"GET".equals(route.method()); // under BodyGuard's rules
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange ex) throws Exception {
                if (ex.isInIoThread()) {
                    // Verbs block (database, files): off the I/O threads; requests with bodies on the body threads,
                    // under the per-client limit and the pace rule.
                    if (writes) {
                        guard.dispatch(ex, this);
                    } else {
                        ex.dispatch(this);
                    }
                    return;
                }
                ex.startBlocking();
                ex.putAttachment(ROUTE, route);
                try {
                    Object result = endpoint.handle(ex);
                    if (result instanceof Raw raw) {
                        raw.send(ex);
                        return;
                    }
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ex.getResponseSender().send(JSON.writeValueAsString(result));
                } catch (ForgeException e) {
                    int status = HttpStatuses.of(e.kind());
                    if (status == 401) {
                        ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Basic realm=\"ppaforge\"");
                    }
                    error(ex, status, e.kind().name(), e.getMessage());
                } catch (FormatException | IllegalArgumentException e) {
                    error(ex, 400, "INVALID", e.getMessage());
                } catch (IOException e) {
                    if (e.getClass().getSimpleName().contains("RequestTooBig")
                            || String.valueOf(e.getMessage()).contains("too large")) {
                        error(
                                ex,
                                413,
                                "TOO_LARGE",
                                "the upload is larger than the limit of "
                                        + ppa.uploadLimits().maxUploadBytes() + " bytes");
                    } else {
                        error(ex, 500, "IO", e.getMessage());
                    }
                }
            }
        };
    }

    static void error(HttpServerExchange ex, int status, String code, String message) throws IOException {
        ex.setStatusCode(status);
        // The reason phrase carries the short message too: some clients (dput) print only the status line.
        ex.setReasonPhrase(reasonPhrase(message));
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        var node = JSON.createObjectNode();
        node.putObject("error").put("code", code).put("message", message);
        ex.getResponseSender().send(JSON.writeValueAsString(node));
    }

    /** One line of visible ASCII, at most 200 characters: what a status line can carry. */
    static String reasonPhrase(String message) {
        String m = message == null
                ? "error"
                : message.replaceAll("[^\\x20-\\x7e]", " ").strip();
        return m.length() > 200 ? m.substring(0, 197) + "..." : m;
    }

    /**
     * Saves the multipart/form-data parts named 'file' into {@code dir} under their (checked) file names, within the
     * upload size limit: the saved files.
     */
    List<Path> receiveFiles(HttpServerExchange ex, Path dir) throws IOException {
        long length = ex.getRequestContentLength();
        long maxUploadBytes = ppa.uploadLimits().maxUploadBytes();
        if (length > maxUploadBytes) {
            throw new ForgeException(
                    ForgeException.Kind.TOO_LARGE,
                    "the upload is "
                            + UploadLimits.human(length) + ": the limit per upload is "
                            + UploadLimits.human(maxUploadBytes));
        }
        ex.setMaxEntitySize(maxUploadBytes);
        BodyGuard.limit(ex, maxUploadBytes); // a chunked body has no length to check above
        String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ForgeException.invalid("send the files as multipart/form-data parts named 'file'");
        }
        Matcher b =
                Pattern.compile("(?i);\\s*boundary=(\"([^\"]*)\"|([^;\\s]*))").matcher(type);
        String boundary = !b.find() ? null : b.group(2) != null ? b.group(2) : b.group(3);
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw ForgeException.invalid(
                    "the multipart/form-data body needs a boundary of 1 to 70 characters (RFC 2046)");
        }
        // Large parts are spooled beside the request's directory (same prefix: swept at start if the server was killed;
        // removed when the parts are copied), never into the system's temporary directory nor among the request's
        // files.
        Path spool = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".spool"));
        try {
            return receiveFiles(ex, dir, spool);
        } finally {
            FileTrees.delete(spool);
        }
    }

    private List<Path> receiveFiles(HttpServerExchange ex, Path dir, Path spool) throws IOException {
        MultiPartParserDefinition multipart = new MultiPartParserDefinition(spool).setDefaultEncoding("UTF-8");
        FormDataParser parser = FormParserFactory.builder(false)
                .addParsers(multipart)
                .withDefaultCharset("UTF-8")
                .build()
                .createParser(ex);
        if (parser == null) {
            throw ForgeException.invalid("send the files as multipart/form-data parts named 'file'");
        }
        FormData form;
        try {
            form = parser.parseBlocking();
        } catch (IOException | RuntimeException e) { // a client gone meanwhile gets no answer whatever is thrown
            if (BodyGuard.tooBig(e)) {
                throw new ForgeException(
                        ForgeException.Kind.TOO_LARGE,
                        "the upload is larger than the limit per upload of "
                                + UploadLimits.human(ppa.uploadLimits().maxUploadBytes()));
            }
            throw ForgeException.invalid("malformed multipart/form-data body: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        Deque<FormData.FormValue> values = form.get("file");
        if (values == null || values.isEmpty()) {
            throw ForgeException.invalid("no 'file' parts in the request");
        }
        List<Path> files = new ArrayList<>();
        for (FormData.FormValue v : values) {
            if (!v.isFileItem()) {
                throw ForgeException.invalid("the 'file' part must be a file");
            }
            String name;
            try {
                name = PoolPath.checkFileName(v.getFileName(), "uploaded file");
            } catch (FormatException e) {
                throw ForgeException.invalid(e.getMessage());
            }
            Path target = dir.resolve(name);
            // A small (or empty) part is held in memory, a large one in a file: read it either way.
            try (var in = v.getFileItem().getInputStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            files.add(target);
        }
        return files;
    }
}
