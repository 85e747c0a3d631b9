package org.ppaforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;

/**
 * The archive core's endpoints: archives and their settings, packages, include, copy, sync, skew, remove, history,
 * publish, apt sources, keys, uploaders, uploads and tokens. Each configures one verb and calls it.
 */
final class ArchiveApi {
    private final Api api;
    private final Ppaforge ppa;

    ArchiveApi(Api api, Ppaforge ppa) {
        this.api = api;
        this.ppa = ppa;
    }

    List<Api.Route> table() {
        return List.of(
                new Api.Route(
                        "GET",
                        "/api/v1/archives",
                        "List archives with the number of sources per series (private archives "
                                + "only with a token that may read them)",
                        false,
                        ex -> ppa.listArchives().caller(api.caller(ex)).call()),
                new Api.Route(
                                "POST",
                                "/api/v1/archives",
                                "Create an archive (admin token): JSON {name, series[], architectures[], "
                                        + "components[], description, key: ed25519|rsa4096|none}",
                                true,
                                this::createArchive)
                        .body(Api.JSON_BODY),
                new Api.Route(
                                "GET",
                                "/api/v1/archives/{archive}/packages",
                                "What an archive publishes (query: series)",
                                false,
                                ex -> ppa.list()
                                        .caller(api.caller(ex))
                                        .archive(ApiRequests.param(ex, "archive"))
                                        .series(ApiRequests.query(ex, "series"))
                                        .call())
                        .query("series"),
                new Api.Route(
                        "GET",
                        "/api/v1/archives/{archive}/history/{source}",
                        "Every publication of a source",
                        false,
                        ex -> ppa.history()
                                .caller(api.caller(ex))
                                .archive(ApiRequests.param(ex, "archive"))
                                .source(ApiRequests.param(ex, "source"))
                                .call()),
                new Api.Route(
                                "GET",
                                "/api/v1/archives/{archive}/uploads",
                                "The archive's upload log, newest first (query: limit, " + "default 50)",
                                false,
                                ex -> ppa.listUploads()
                                        .caller(api.caller(ex))
                                        .archive(ApiRequests.param(ex, "archive"))
                                        .limit(ApiRequests.intQuery(ex, "limit", 50))
                                        .call())
                        .query("limit"),
                new Api.Route(
                        "GET",
                        "/api/v1/archives/{archive}/keys",
                        "The archive's signing keys",
                        false,
                        ex -> ppa.listKeys()
                                .caller(api.caller(ex))
                                .archive(ApiRequests.param(ex, "archive"))
                                .call()),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/keys",
                                "Give the archive its first signing key (admin token; "
                                        + "query: type=ed25519|rsa4096, userId)",
                                true,
                                ex -> {
                                    return ppa.generateKey()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.param(ex, "archive"))
                                            .type(ApiRequests.query(ex, "type"))
                                            .userId(ApiRequests.query(ex, "userId"))
                                            .call();
                                })
                        .query("type", "userId"),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/keys/rotate",
                                "Start a key transition: a new key certified by the "
                                        + "current one signs alongside it (admin token; query: type, userId)",
                                true,
                                ex -> {
                                    return ppa.rotateKey()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.param(ex, "archive"))
                                            .type(ApiRequests.query(ex, "type"))
                                            .userId(ApiRequests.query(ex, "userId"))
                                            .call();
                                })
                        .query("type", "userId"),
                new Api.Route(
                        "POST",
                        "/api/v1/archives/{archive}/keys/{key}/retire",
                        "End a key transition: the key stops signing " + "(admin token)",
                        true,
                        ex -> {
                            return ppa.retireKey()
                                    .caller(api.caller(ex))
                                    .archive(ApiRequests.param(ex, "archive"))
                                    .key(ApiRequests.param(ex, "key"))
                                    .call();
                        }),
                new Api.Route(
                                "GET",
                                "/api/v1/skew",
                                "Version skew (query: archives=A,B,..., series, dependencies=true: also binaries whose "
                                        + "dependencies the set names but cannot satisfy)",
                                false,
                                ex -> ppa.skew()
                                        .caller(api.caller(ex))
                                        .archives(List.of(
                                                ApiRequests.required(ApiRequests.query(ex, "archives"), "archives")
                                                        .split(",")))
                                        .series(ApiRequests.query(ex, "series"))
                                        .dependencies("true".equals(ApiRequests.query(ex, "dependencies")))
                                        .call())
                        .query("archives", "series", "dependencies"),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/include",
                                "Include uploaded .deb/.dsc/.changes files "
                                        + "(multipart/form-data parts named 'file'; query: series, component, allowDowngrade, skipRefused: skip "
                                        + "what the rules refuse, listed in 'skipped', and include the rest)",
                                true,
                                this::include)
                        .query("series", "component", "allowDowngrade", "skipRefused")
                        .body("multipart/form-data"),
                new Api.Route("POST", "/api/v1/archives/{archive}/publish", "Republish (query: series)", true, ex -> {
                            return ppa.publish()
                                    .caller(api.caller(ex))
                                    .archive(ApiRequests.param(ex, "archive"))
                                    .series(ApiRequests.query(ex, "series"))
                                    .call();
                        })
                        .query("series"),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/remove",
                                "Remove a source: JSON {source, series, reason}",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    return ppa.remove()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.param(ex, "archive"))
                                            .source(ApiRequests.text(body, "source", true))
                                            .series(ApiRequests.text(body, "series", false))
                                            .reason(ApiRequests.text(body, "reason", true))
                                            .call();
                                })
                        .body(Api.JSON_BODY),
                new Api.Route(
                                "POST",
                                "/api/v1/copy",
                                "Copy sources: JSON {sources[], from, to, series, toSeries, withBinaries, "
                                        + "withDependencies, withBuildDependencies, satisfiedBy[], dryRun} (a dry run needs only read access)",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    boolean dryRun = body.path("dryRun").asBoolean(false);
                                    if (dryRun) {
                                        api.caller(ex).read(ppa, ApiRequests.text(body, "to", true));
                                    } else {
                                        api.caller(ex)
                                                .write(ppa, ApiRequests.text(body, "to", true)); // before the rest
                                    }
                                    List<String> sources = ApiRequests.texts(body, "sources");
                                    List<String> satisfiedBy = ApiRequests.texts(body, "satisfiedBy");
                                    return ppa.copy()
                                            .caller(api.caller(ex))
                                            .sources(sources)
                                            .from(ApiRequests.text(body, "from", true))
                                            .to(ApiRequests.text(body, "to", true))
                                            .series(ApiRequests.text(body, "series", false))
                                            .toSeries(ApiRequests.text(body, "toSeries", false))
                                            .withBinaries(
                                                    body.path("withBinaries").asBoolean(false))
                                            .withDependencies(body.path("withDependencies")
                                                    .asBoolean(false))
                                            .satisfiedBy(satisfiedBy)
                                            .dryRun(dryRun)
                                            .call();
                                })
                        .body(Api.JSON_BODY),
                new Api.Route(
                                "POST",
                                "/api/v1/sync",
                                "Sync one archive into another: JSON {from, to, series, dryRun, allowDowngrade, "
                                        + "withDependencies, satisfiedBy} "
                                        + "(a dry run needs no token)",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    boolean dryRun = body.path("dryRun").asBoolean(false);
                                    return ppa.sync()
                                            .caller(api.caller(ex))
                                            .from(ApiRequests.text(body, "from", true))
                                            .to(ApiRequests.text(body, "to", true))
                                            .series(ApiRequests.text(body, "series", false))
                                            .dryRun(dryRun)
                                            .allowDowngrade(
                                                    body.path("allowDowngrade").asBoolean(false))
                                            .withDependencies(body.path("withDependencies")
                                                    .asBoolean(false))
                                            .satisfiedBy(ApiRequests.texts(body, "satisfiedBy"))
                                            .call();
                                })
                        .body(Api.JSON_BODY),
                new Api.Route(
                        "GET",
                        "/api/v1/archives/{archive}",
                        "One archive with the number of sources per series",
                        false,
                        ex -> ppa.listArchives()
                                .caller(api.caller(ex))
                                .name(ApiRequests.param(ex, "archive"))
                                .call()
                                .get(0)),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/settings",
                                "Change how an archive publishes, then republish "
                                        + "(admin token): JSON {origin, label, notAutomatic, butAutomaticUpgrades, validFor, keepSuperseded, "
                                        + "private}, durations ISO-8601 (PT0S removes Valid-Until); absent fields keep their value",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    return ppa.configureArchive()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.param(ex, "archive"))
                                            .origin(ApiRequests.text(body, "origin", false))
                                            .label(ApiRequests.text(body, "label", false))
                                            .notAutomatic(ApiRequests.flag(body, "notAutomatic"))
                                            .butAutomaticUpgrades(ApiRequests.flag(body, "butAutomaticUpgrades"))
                                            .validFor(ApiRequests.duration(body, "validFor"))
                                            .keepSuperseded(ApiRequests.duration(body, "keepSuperseded"))
                                            .privateArchive(ApiRequests.flag(body, "private"))
                                            .call();
                                })
                        .body(Api.JSON_BODY),
                new Api.Route(
                                "GET",
                                "/api/v1/archives/{archive}/sources",
                                "A deb822 .sources stanza for apt, the archive's keys "
                                        + "inline (query: url, the base the archives are served at; series; debSrc=false; "
                                        + "keyFile: name this keyring file instead, for apt before 2.3.10)",
                                false,
                                ex -> ppa.aptSources()
                                        .caller(api.caller(ex))
                                        .archive(ApiRequests.param(ex, "archive"))
                                        .url(ApiRequests.required(ApiRequests.query(ex, "url"), "url"))
                                        .series(ApiRequests.query(ex, "series"))
                                        .withSources(!"false".equals(ApiRequests.query(ex, "debSrc")))
                                        .keyFile(ApiRequests.query(ex, "keyFile"))
                                        .call())
                        .query("url", "series", "debSrc", "keyFile"),
                new Api.Route(
                                "GET",
                                "/api/v1/archives/{archive}/keys/export",
                                "The archive's active public key(s), ASCII-armoured, "
                                        + "as a JSON string (query: key, one key active or retired)",
                                false,
                                ex -> ppa.exportKey()
                                        .caller(api.caller(ex))
                                        .archive(ApiRequests.param(ex, "archive"))
                                        .key(ApiRequests.query(ex, "key"))
                                        .call())
                        .query("key"),
                new Api.Route(
                        "GET",
                        "/api/v1/archives/{archive}/uploaders",
                        "The archive's uploaders keyring",
                        false,
                        ex -> ppa.listUploaders()
                                .caller(api.caller(ex))
                                .archive(ApiRequests.param(ex, "archive"))
                                .call()),
                new Api.Route(
                                "POST",
                                "/api/v1/archives/{archive}/uploaders",
                                "Add (or refresh) uploader public key(s): the body is "
                                        + "the key file, e.g. from 'gpg --export --armor KEYID' (admin token; query: "
                                        + "name, the file's name as messages call it)",
                                true,
                                ex -> {
                                    api.caller(ex).admin(ppa); // before the key file is read
                                    return ppa.addUploader()
                                            .caller(api.caller(ex))
                                            .archive(ApiRequests.param(ex, "archive"))
                                            .key(
                                                    ApiRequests.limited(
                                                            ex, ApiRequests.MAX_KEY_FILE, "a key file", false),
                                                    ApiRequests.keyFileName(ex))
                                            .call();
                                })
                        .query("name")
                        .body("application/pgp-keys"),
                new Api.Route(
                        "POST",
                        "/api/v1/archives/{archive}/uploaders/{key}/remove",
                        "Take a key out of the uploaders keyring " + "(admin token)",
                        true,
                        ex -> {
                            return ppa.removeUploader()
                                    .caller(api.caller(ex))
                                    .archive(ApiRequests.param(ex, "archive"))
                                    .key(ApiRequests.param(ex, "key"))
                                    .call();
                        }),
                new Api.Route(
                        "GET", "/api/v1/tokens", "List tokens, never the tokens themselves (admin token)", true, ex -> {
                            return ppa.listTokens().caller(api.caller(ex)).call();
                        }),
                new Api.Route(
                                "POST",
                                "/api/v1/tokens",
                                "Create a token, returned once: JSON {name, role: admin|uploader, archive} "
                                        + "(admin token)",
                                true,
                                ex -> {
                                    JsonNode body = ApiRequests.body(ex);
                                    api.caller(ex).admin(ppa); // before the fields are read
                                    var create = ppa.createToken()
                                            .caller(api.caller(ex))
                                            .name(ApiRequests.text(body, "name", true))
                                            .archive(ApiRequests.text(body, "archive", false));
                                    if (body.hasNonNull("role")) {
                                        create.role(ApiRequests.text(body, "role", true));
                                    }
                                    return create.call();
                                })
                        .body(Api.JSON_BODY),
                new Api.Route(
                        "POST",
                        "/api/v1/tokens/{name}/revoke",
                        "Revoke a token: requests with it fail from now on (admin " + "token)",
                        true,
                        ex -> {
                            ppa.revokeToken()
                                    .caller(api.caller(ex))
                                    .name(ApiRequests.param(ex, "name"))
                                    .call();
                            return Map.of("revoked", ApiRequests.param(ex, "name"));
                        }));
    }

    Object createArchive(HttpServerExchange ex) throws IOException {
        JsonNode body = ApiRequests.body(ex);
        api.caller(ex).admin(ppa); // before the fields are read
        List<String> series = new ArrayList<>();
        body.path("series").forEach(n -> series.add(n.asText()));
        List<String> archs = new ArrayList<>();
        body.path("architectures").forEach(n -> archs.add(n.asText()));
        String key = ApiRequests.text(body, "key", false);
        var create = ppa.createArchive()
                .caller(api.caller(ex))
                .name(ApiRequests.text(body, "name", true))
                .series(series)
                .architectures(archs)
                .description(ApiRequests.text(body, "description", false));
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
    Object include(HttpServerExchange ex) throws Exception {
        String archive = ApiRequests.param(ex, "archive");
        ppa.include().caller(api.caller(ex)).archive(archive).checkAccess(); // before any file is received
        Path dir = Files.createTempDirectory(
                Files.createDirectories(ppa.workDirectory()), "include-"); // swept at start if killed
        try {
            List<Path> files = new ArrayList<>();
            for (Path target : api.receiveFiles(ex, dir)) {
                String name = target.getFileName().toString();
                if (!name.endsWith(".deb") && !name.endsWith(".dsc") && !name.endsWith(".changes")) {
                    continue; // files a .dsc or .changes lists: they are found beside it
                }
                files.add(target);
            }
            return ppa.include()
                    .caller(api.caller(ex))
                    .archive(archive)
                    .series(ApiRequests.query(ex, "series"))
                    .component(ApiRequests.query(ex, "component"))
                    .files(files)
                    .allowDowngrade(Boolean.parseBoolean(ApiRequests.query(ex, "allowDowngrade")))
                    .skipRefused(Boolean.parseBoolean(ApiRequests.query(ex, "skipRefused")))
                    .call();
        } finally {
            FileTrees.delete(dir);
        }
    }
}
