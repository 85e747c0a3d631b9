package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private final BuildApi builds;
    private final PipelineApi pipelineApi;
    private final CoverageApi coverageApi;
    private final RebuildApi rebuildApi;

    Api(Forge forge, BodyGuard guard) {
        this.ppa = forge.archive();
        this.guard = guard;
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

    private static final AttachmentKey<Route> ROUTE = AttachmentKey.create(Route.class);
    private static final String JSON_BODY = "application/json";

    List<Route> table() {
        List<Route> all = new ArrayList<>(core());
        all.addAll(all.size() - 2, builds.table()); // before health and the OpenAPI document
        all.addAll(all.size() - 2, pipelineApi.table());
        all.addAll(all.size() - 2, coverageApi.table());
        all.addAll(all.size() - 2, rebuildApi.table());
        return all;
    }

    private List<Route> core() {
        return List.of(
                new Route(
                        "GET",
                        "/api/v1/archives",
                        "List archives with the number of sources per series (private archives "
                                + "only with a token that may read them)",
                        false,
                        ex -> ppa.listArchives().call().stream()
                                .filter(a -> mayRead(ex, a.archive().name()))
                                .toList()),
                new Route(
                                "POST",
                                "/api/v1/archives",
                                "Create an archive (admin token): JSON {name, series[], architectures[], "
                                        + "components[], description, key: ed25519|rsa4096|none}",
                                true,
                                this::createArchive)
                        .body(JSON_BODY),
                new Route(
                                "GET",
                                "/api/v1/archives/{archive}/packages",
                                "What an archive publishes (query: series)",
                                false,
                                ex -> ppa.list()
                                        .archive(readable(ex, param(ex, "archive")))
                                        .series(query(ex, "series"))
                                        .call())
                        .query("series"),
                new Route(
                        "GET",
                        "/api/v1/archives/{archive}/history/{source}",
                        "Every publication of a source",
                        false,
                        ex -> ppa.history()
                                .archive(readable(ex, param(ex, "archive")))
                                .source(param(ex, "source"))
                                .call()),
                new Route(
                                "GET",
                                "/api/v1/archives/{archive}/uploads",
                                "The archive's upload log, newest first (query: limit, " + "default 50)",
                                false,
                                ex -> ppa.listUploads()
                                        .archive(readable(ex, param(ex, "archive")))
                                        .limit(intQuery(ex, "limit", 50))
                                        .call())
                        .query("limit"),
                new Route(
                        "GET",
                        "/api/v1/archives/{archive}/keys",
                        "The archive's signing keys",
                        false,
                        ex -> ppa.listKeys()
                                .archive(readable(ex, param(ex, "archive")))
                                .call()),
                new Route(
                                "POST",
                                "/api/v1/archives/{archive}/keys",
                                "Give the archive its first signing key (admin token; "
                                        + "query: type=ed25519|rsa4096, userId)",
                                true,
                                ex -> {
                                    authorize(ex, null, true);
                                    return ppa.generateKey()
                                            .archive(param(ex, "archive"))
                                            .type(query(ex, "type"))
                                            .userId(query(ex, "userId"))
                                            .call();
                                })
                        .query("type", "userId"),
                new Route(
                                "POST",
                                "/api/v1/archives/{archive}/keys/rotate",
                                "Start a key transition: a new key certified by the "
                                        + "current one signs alongside it (admin token; query: type, userId)",
                                true,
                                ex -> {
                                    authorize(ex, null, true);
                                    return ppa.rotateKey()
                                            .archive(param(ex, "archive"))
                                            .type(query(ex, "type"))
                                            .userId(query(ex, "userId"))
                                            .call();
                                })
                        .query("type", "userId"),
                new Route(
                        "POST",
                        "/api/v1/archives/{archive}/keys/{key}/retire",
                        "End a key transition: the key stops signing " + "(admin token)",
                        true,
                        ex -> {
                            authorize(ex, null, true);
                            return ppa.retireKey()
                                    .archive(param(ex, "archive"))
                                    .key(param(ex, "key"))
                                    .call();
                        }),
                new Route(
                                "GET",
                                "/api/v1/skew",
                                "Version skew (query: archives=A,B,..., series)",
                                false,
                                ex -> ppa.skew()
                                        .archives(
                                                List.of(required(query(ex, "archives"), "archives")
                                                                .split(","))
                                                        .stream()
                                                        .map(a -> readable(ex, a))
                                                        .toList())
                                        .series(query(ex, "series"))
                                        .call())
                        .query("archives", "series"),
                new Route(
                                "POST",
                                "/api/v1/archives/{archive}/include",
                                "Include uploaded .deb/.dsc/.changes files "
                                        + "(multipart/form-data parts named 'file'; query: series, component, allowDowngrade, skipRefused: skip "
                                        + "what the rules refuse, listed in 'skipped', and include the rest)",
                                true,
                                this::include)
                        .query("series", "component", "allowDowngrade", "skipRefused")
                        .body("multipart/form-data"),
                new Route("POST", "/api/v1/archives/{archive}/publish", "Republish (query: series)", true, ex -> {
                            authorize(ex, param(ex, "archive"), false);
                            return ppa.publish()
                                    .archive(param(ex, "archive"))
                                    .series(query(ex, "series"))
                                    .call();
                        })
                        .query("series"),
                new Route(
                                "POST",
                                "/api/v1/archives/{archive}/remove",
                                "Remove a source: JSON {source, series, reason}",
                                true,
                                ex -> {
                                    JsonNode body = body(ex);
                                    authorize(ex, param(ex, "archive"), false);
                                    return ppa.remove()
                                            .archive(param(ex, "archive"))
                                            .source(text(body, "source", true))
                                            .series(text(body, "series", false))
                                            .reason(text(body, "reason", true))
                                            .call();
                                })
                        .body(JSON_BODY),
                new Route(
                                "POST",
                                "/api/v1/copy",
                                "Copy sources: JSON {sources[], from, to, series, toSeries, withBinaries}",
                                true,
                                ex -> {
                                    JsonNode body = body(ex);
                                    authorize(ex, text(body, "to", true), false);
                                    List<String> sources = new ArrayList<>();
                                    body.path("sources").forEach(n -> sources.add(n.asText()));
                                    return ppa.copy()
                                            .sources(sources)
                                            .from(readable(ex, text(body, "from", true)))
                                            .to(text(body, "to", true))
                                            .series(text(body, "series", false))
                                            .toSeries(text(body, "toSeries", false))
                                            .withBinaries(
                                                    body.path("withBinaries").asBoolean(false))
                                            .call();
                                })
                        .body(JSON_BODY),
                new Route(
                                "POST",
                                "/api/v1/sync",
                                "Sync one archive into another: JSON {from, to, series, dryRun, allowDowngrade} "
                                        + "(a dry run needs no token)",
                                true,
                                ex -> {
                                    JsonNode body = body(ex);
                                    boolean dryRun = body.path("dryRun").asBoolean(false);
                                    if (!dryRun) {
                                        authorize(ex, text(body, "to", true), false);
                                    }
                                    return ppa.sync()
                                            .from(readable(ex, text(body, "from", true)))
                                            .to(readable(ex, text(body, "to", true)))
                                            .series(text(body, "series", false))
                                            .dryRun(dryRun)
                                            .allowDowngrade(
                                                    body.path("allowDowngrade").asBoolean(false))
                                            .call();
                                })
                        .body(JSON_BODY),
                new Route(
                        "GET",
                        "/api/v1/archives/{archive}",
                        "One archive with the number of sources per series",
                        false,
                        ex -> ppa.listArchives()
                                .name(readable(ex, param(ex, "archive")))
                                .call()
                                .get(0)),
                new Route(
                                "POST",
                                "/api/v1/archives/{archive}/settings",
                                "Change how an archive publishes, then republish "
                                        + "(admin token): JSON {origin, label, notAutomatic, butAutomaticUpgrades, validFor, keepSuperseded, "
                                        + "private}, durations ISO-8601 (PT0S removes Valid-Until); absent fields keep their value",
                                true,
                                ex -> {
                                    JsonNode body = body(ex);
                                    authorize(ex, null, true);
                                    return ppa.configureArchive()
                                            .archive(param(ex, "archive"))
                                            .origin(text(body, "origin", false))
                                            .label(text(body, "label", false))
                                            .notAutomatic(flag(body, "notAutomatic"))
                                            .butAutomaticUpgrades(flag(body, "butAutomaticUpgrades"))
                                            .validFor(duration(body, "validFor"))
                                            .keepSuperseded(duration(body, "keepSuperseded"))
                                            .privateArchive(flag(body, "private"))
                                            .call();
                                })
                        .body(JSON_BODY),
                new Route(
                                "GET",
                                "/api/v1/archives/{archive}/sources",
                                "A deb822 .sources stanza for apt, the archive's keys "
                                        + "inline (query: url, the base the archives are served at; series; debSrc=false)",
                                false,
                                ex -> ppa.aptSources()
                                        .archive(readable(ex, param(ex, "archive")))
                                        .url(required(query(ex, "url"), "url"))
                                        .series(query(ex, "series"))
                                        .withSources(!"false".equals(query(ex, "debSrc")))
                                        .call())
                        .query("url", "series", "debSrc"),
                new Route(
                                "GET",
                                "/api/v1/archives/{archive}/keys/export",
                                "The archive's active public key(s), ASCII-armoured, "
                                        + "as a JSON string (query: key, one key active or retired)",
                                false,
                                ex -> ppa.exportKey()
                                        .archive(readable(ex, param(ex, "archive")))
                                        .key(query(ex, "key"))
                                        .call())
                        .query("key"),
                new Route(
                        "GET",
                        "/api/v1/archives/{archive}/uploaders",
                        "The archive's uploaders keyring",
                        false,
                        ex -> ppa.listUploaders()
                                .archive(readable(ex, param(ex, "archive")))
                                .call()),
                new Route(
                                "POST",
                                "/api/v1/archives/{archive}/uploaders",
                                "Add (or refresh) uploader public key(s): the body is "
                                        + "the key file, e.g. from 'gpg --export --armor KEYID' (admin token; query: "
                                        + "name, the file's name as messages call it)",
                                true,
                                ex -> {
                                    authorize(ex, null, true);
                                    return ppa.addUploader()
                                            .archive(param(ex, "archive"))
                                            .key(limited(ex, MAX_KEY_FILE, "a key file", false), keyFileName(ex))
                                            .call();
                                })
                        .query("name")
                        .body("application/pgp-keys"),
                new Route(
                        "POST",
                        "/api/v1/archives/{archive}/uploaders/{key}/remove",
                        "Take a key out of the uploaders keyring " + "(admin token)",
                        true,
                        ex -> {
                            authorize(ex, null, true);
                            return ppa.removeUploader()
                                    .archive(param(ex, "archive"))
                                    .key(param(ex, "key"))
                                    .call();
                        }),
                new Route(
                        "GET", "/api/v1/tokens", "List tokens, never the tokens themselves (admin token)", true, ex -> {
                            authorize(ex, null, true);
                            return ppa.listTokens().call();
                        }),
                new Route(
                                "POST",
                                "/api/v1/tokens",
                                "Create a token, returned once: JSON {name, role: admin|uploader, archive} "
                                        + "(admin token)",
                                true,
                                ex -> {
                                    JsonNode body = body(ex);
                                    authorize(ex, null, true);
                                    var create = ppa.createToken()
                                            .name(text(body, "name", true))
                                            .archive(text(body, "archive", false));
                                    if (body.hasNonNull("role")) {
                                        create.role(text(body, "role", true));
                                    }
                                    return create.call();
                                })
                        .body(JSON_BODY),
                new Route(
                        "POST",
                        "/api/v1/tokens/{name}/revoke",
                        "Revoke a token: requests with it fail from now on (admin " + "token)",
                        true,
                        ex -> {
                            authorize(ex, null, true);
                            ppa.revokeToken().name(param(ex, "name")).call();
                            return Map.of("revoked", param(ex, "name"));
                        }),
                new Route(
                        "GET",
                        "/api/v1/health",
                        "For monitors and load balancers: {status: ok} once the metadata store answers",
                        false,
                        ex -> {
                            ppa.metadata().read(tx -> tx.archives().size());
                            return Map.of("status", "ok");
                        }),
                new Route("GET", "/api/v1/openapi.json", "This API, as an OpenAPI 3 document", false, ex -> openApi()));
    }

    HttpHandler routes() {
        RoutingHandler r = new RoutingHandler();
        for (Route route : table()) {
            r.add(route.method(), route.path(), wrap(route));
        }
        return r.setFallbackHandler(ex -> error(
                ex, 404, "NOT_FOUND", "no such API endpoint: " + ex.getRequestMethod() + " " + ex.getRequestPath()));
    }

    /** The OpenAPI document, made from the same table the routes are: it cannot drift from them. */
    private JsonNode openApi() {
        var doc = JSON.createObjectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "ppaforge API").put("version", "1");
        var bearer = doc.putObject("components").putObject("securitySchemes");
        bearer.putObject("bearer").put("type", "http").put("scheme", "bearer");
        bearer.putObject("basic").put("type", "http").put("scheme", "basic");
        var paths = doc.putObject("paths");
        for (Route route : table()) {
            String openApiPath = route.path().replaceFirst("^/api/v1", "");
            var op = (paths.has(openApiPath) ? (ObjectNode) paths.get(openApiPath) : paths.putObject(openApiPath))
                    .putObject(route.method().toLowerCase(Locale.ROOT));
            op.put("summary", route.summary());
            var params = op.putArray("parameters");
            var m = Pattern.compile("\\{(\\w+)}").matcher(route.path());
            while (m.find()) {
                params.addObject()
                        .put("name", m.group(1))
                        .put("in", "path")
                        .put("required", true)
                        .putObject("schema")
                        .put("type", "string");
            }
            for (String q : route.query()) {
                params.addObject()
                        .put("name", q)
                        .put("in", "query")
                        .put("required", "archives".equals(q) || "url".equals(q))
                        .putObject("schema")
                        .put(
                                "type",
                                switch (q) {
                                    case "limit", "offset", "wait" -> "integer";
                                    case "allowDowngrade", "debSrc", "skipRefused" -> "boolean";
                                    default -> "string";
                                });
            }
            if (route.body() != null) {
                var schema = op.putObject("requestBody")
                        .put("required", true)
                        .putObject("content")
                        .putObject(route.body())
                        .putObject("schema");
                if (JSON_BODY.equals(route.body())) {
                    schema.put("type", "object").put("description", route.summary());
                } else if ("multipart/form-data".equals(route.body())) {
                    schema.put("type", "object")
                            .putObject("properties")
                            .putObject("file")
                            .put("type", "array")
                            .putObject("items")
                            .put("type", "string")
                            .put("format", "binary");
                } else {
                    schema.put("type", "string").put("format", "binary");
                }
            }
            if (route.needsToken()) {
                var security = op.putArray("security");
                security.addObject().putArray("bearer");
                security.addObject().putArray("basic");
            }
            var responses = op.putObject("responses");
            responses.putObject("200").put("description", "the verb's result as JSON");
            responses
                    .putObject("default")
                    .put(
                            "description",
                            "{\"error\": {\"code\", \"message\"}}: 400 bad input, 401/403 "
                                    + "credentials, 404, 409 refused by an archive rule, 413 too large, 503 busy");
        }
        doc.putArray("servers").addObject().put("url", "/api/v1");
        return doc;
    }

    private Object createArchive(HttpServerExchange ex) throws IOException {
        JsonNode body = body(ex);
        authorize(ex, null, true);
        List<String> series = new ArrayList<>();
        body.path("series").forEach(n -> series.add(n.asText()));
        List<String> archs = new ArrayList<>();
        body.path("architectures").forEach(n -> archs.add(n.asText()));
        String key = text(body, "key", false);
        var create = ppa.createArchive()
                .name(text(body, "name", true))
                .series(series)
                .architectures(archs)
                .description(text(body, "description", false));
        if (key != null) {
            create.key("none".equals(key) ? null : key);
        }
        if (body.has("components")) {
            List<String> components = new ArrayList<>();
            body.path("components").forEach(n -> components.add(n.asText()));
            create.components(components);
        }
        return create.call();
    }

    /** multipart/form-data with one or more "file" parts, each keeping its file name (a .dsc needs its files beside it). */
    private Object include(HttpServerExchange ex) throws Exception {
        String archive = param(ex, "archive");
        authorize(ex, archive, false);
        Path dir = Files.createTempDirectory(
                Files.createDirectories(ppa.workDirectory()), "include-"); // swept at start if killed
        try {
            List<Path> files = new ArrayList<>();
            for (Path target : receiveFiles(ex, dir)) {
                String name = target.getFileName().toString();
                if (!name.endsWith(".deb") && !name.endsWith(".dsc") && !name.endsWith(".changes")) {
                    continue; // files a .dsc or .changes lists: they are found beside it
                }
                files.add(target);
            }
            return ppa.include()
                    .archive(archive)
                    .series(query(ex, "series"))
                    .component(query(ex, "component"))
                    .files(files)
                    .allowDowngrade(Boolean.parseBoolean(query(ex, "allowDowngrade")))
                    .skipRefused(Boolean.parseBoolean(query(ex, "skipRefused")))
                    .call();
        } finally {
            FileTrees.delete(dir);
        }
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
        MultiPartParserDefinition multipart =
                new io.undertow.server.handlers.form.MultiPartParserDefinition(spool).setDefaultEncoding("UTF-8");
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

    /**
     * {@code archive}, when the request may read it: anyone may read a public archive, a private one needs a token
     * that covers it (401/403 otherwise), as for its apt tree.
     */
    String readable(HttpServerExchange ex, String archive) {
        ppa.authenticate().token(token(ex)).toRead(archive);
        return archive;
    }

    boolean mayRead(HttpServerExchange ex, String archive) {
        try {
            readable(ex, archive);
            return true;
        } catch (ForgeException e) {
            return false;
        }
    }

    /** A worker's call: a worker token (or an admin token). */
    ApiToken authenticateWorker(HttpServerExchange ex) {
        return ppa.authenticate().token(token(ex)).workerOnly().call();
    }

    void authorize(HttpServerExchange ex, String archive, boolean admin) {
        var auth = ppa.authenticate().token(token(ex)).toWrite(archive);
        if (admin) {
            auth.adminOnly();
        }
        auth.call();
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

    static String param(HttpServerExchange ex, String name) {
        return ex.getQueryParameters().get(name).getFirst();
    }

    /** A whole-number query parameter ({@code absent} when not given); anything else is a 400 naming it. */
    static int intQuery(HttpServerExchange ex, String name, int absent) {
        long v = longQuery(ex, name, absent);
        if (v != (int) v) {
            throw ForgeException.invalid(name + " is too large: " + v);
        }
        return (int) v;
    }

    /** A whole-number query parameter that may be large (a byte offset). */
    static long longQuery(HttpServerExchange ex, String name, long absent) {
        String v = query(ex, name);
        try {
            return v == null ? absent : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ForgeException.invalid(name + " is a whole number, not '" + v + "'");
        }
    }

    /** The name a client gave its key file (a plain file name, so messages can quote it), else "the uploaded key". */
    private static String keyFileName(HttpServerExchange ex) {
        String name = query(ex, "name");
        return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}") ? name : "the uploaded key";
    }

    static String query(HttpServerExchange ex, String name) {
        Route route = ex.getAttachment(ROUTE);
        if (route == null || !route.query().contains(name)) { // keeps the OpenAPI document true
            throw new IllegalStateException(
                    "query parameter '" + name + "' is not declared by its route in Api.table()");
        }
        Deque<String> v = ex.getQueryParameters().get(name);
        return v == null || v.isEmpty() || v.getFirst().isEmpty() ? null : v.getFirst();
    }

    static String required(String value, String name) {
        if (value == null) {
            throw ForgeException.invalid("missing parameter '" + name + "'");
        }
        return value;
    }

    /** JSON bodies are small (names, flags): at most this many bytes, 413 past it. */
    static final int MAX_JSON_BODY = 1 << 20;
    /** An uploaded key file (a few public keys with their signatures) at most. */
    static final int MAX_KEY_FILE = 1 << 20;

    static JsonNode body(HttpServerExchange ex) throws IOException {
        byte[] bytes = limited(ex, MAX_JSON_BODY, "a JSON request body", true);
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw ForgeException.invalid("the request body is not JSON: " + e.getMessage());
        }
    }

    private static Boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ForgeException.invalid("field '" + field + "' must be true or false, not " + n);
        }
        return n.asBoolean();
    }

    private static Duration duration(JsonNode body, String field) {
        String v = text(body, field, false);
        try {
            return v == null ? null : Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw ForgeException.invalid(
                    "field '" + field + "' must be an ISO-8601 duration such as P7D or PT12H, not '" + v + "'");
        }
    }

    /** The raw request body, refused (413) past {@code max} bytes, and (400) when empty unless that is allowed. */
    static byte[] limited(HttpServerExchange ex, int max, String what, boolean mayBeEmpty) throws IOException {
        byte[] bytes = ex.getInputStream().readNBytes(max + 1);
        if (bytes.length > max) {
            throw new ForgeException(ForgeException.Kind.TOO_LARGE, what + " is limited to " + max + " bytes");
        }
        if (bytes.length == 0 && !mayBeEmpty) {
            throw ForgeException.invalid("the request body is empty: send " + what);
        }
        return bytes;
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ForgeException.invalid("missing field '" + field + "'");
            }
            return null;
        }
        return n.asText();
    }
}
