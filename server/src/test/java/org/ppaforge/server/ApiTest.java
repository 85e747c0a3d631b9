package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.Progress;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/** The JSON API on 127.0.0.1: tokens, include uploads, status codes, reason phrases. */
class ApiTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    PpaServer server;
    String base;
    String admin;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data)
                .withArchive(ArchiveSettings.of(data).withUploadLimits(new UploadLimits(64 * 1024, 64 * 1024))));
        ppa = forge.archive();
        for (String a : List.of("trunk", "release")) {
            ppa.createArchive()
                    .name(a)
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
        }
        admin = ppa.createToken().name("admin").role("admin").call().secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    private Path deb(String name, String version, int payloadBytes) throws Exception {
        byte[] payload = new byte[payloadBytes];
        new Random(payloadBytes).nextBytes(payload); // incompressible: the .deb is about this size
        Path f = work.resolve(name + "_" + version + "_amd64.deb");
        Files.write(
                f,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: " + name + "\nVersion: " + version
                                        + "\nArchitecture: amd64\nMaintainer: T <t@example.org>\nDescription: test\n",
                                name))
                        .file("usr/share/doc/" + name + "/README", payload)
                        .toBytes());
        return f;
    }

    private HttpResponse<String> include(String archive, String token, Path... files) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/" + archive + "/include"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(Multipart.files(boundary, files));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Api.JSON.readTree(r.body());
    }

    @Test
    void includeNeedsATokenThatMayWriteThatArchive() throws Exception {
        Path d = deb("tool", "1.0", 10);
        HttpResponse<String> none = include("trunk", null, d);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"ppaforge\"");
        assertThat(include("trunk", "ppf_not-a-real-token-at-all", d).statusCode())
                .isEqualTo(401);

        String uploader = ppa.createToken()
                .name("ci-trunk")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        HttpResponse<String> other = include("release", uploader, d);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(json(other).path("error").path("message").asText()).contains("may write only to archive 'trunk'");

        HttpResponse<String> ok = include("trunk", uploader, d);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).path("publishedBinaries").toString()).contains("tool 1.0 (amd64)");
        assertThat(Files.readString(data.resolve("public/trunk/dists/noble/main/binary-amd64/Packages")))
                .contains("Package: tool\n");

        HttpResponse<String> older = include("trunk", uploader, deb("tool", "0.9", 10));
        assertThat(older.statusCode()).isEqualTo(409);
        assertThat(json(older).path("error").path("message").asText()).contains("older than 1.0");

        ppa.revokeToken().name("ci-trunk").call();
        HttpResponse<String> revoked = include("trunk", uploader, deb("tool", "2.0", 10));
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(json(revoked).path("error").path("message").asText()).contains("revoked");

        // HTTP Basic with the token as password works too (as apt and dput send credentials).
        String basic = Base64.getEncoder().encodeToString(("anyone:" + admin).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> publish = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/publish"))
                        .header("Authorization", "Basic " + basic)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(publish.statusCode()).isEqualTo(200);
    }

    @Test
    void readsAndVerbsAsJson() throws Exception {
        include("trunk", admin, deb("tool", "1.0", 10));
        HttpResponse<String> list = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/packages"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(list).get(0).path("source").asText()).isEqualTo("tool");
        HttpResponse<String> copy = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/copy"))
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"sources\": [\"tool\"], \"from\": \"trunk\", \"to\": \"release\", "
                                        + "\"withBinaries\": true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(200);
        // The copy arrived: release publishes tool 1.0 with its binary (skew alone would also hold with nothing
        // copied).
        JsonNode copied = json(get("/api/v1/archives/release/packages"));
        assertThat(copied).singleElement().satisfies(e -> {
            assertThat(e.path("source").asText()).isEqualTo("tool");
            assertThat(e.path("version").asText()).isEqualTo("1.0");
            assertThat(e.path("binaries").toString()).contains("\"tool\"");
        });
        assertThat(json(copy).toString()).contains("tool");
        HttpResponse<String> skew = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/skew?archives=trunk,release"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(skew).path("rows")).isEmpty();
        HttpResponse<String> bad = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/copy"))
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/nope/packages"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("message").asText()).contains("archive 'nope' does not exist");
        HttpResponse<String> create = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives"))
                        .header(
                                "Authorization",
                                "Bearer " + ppa.createToken().name("up").call().secret())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"x\", \"series\": [\"noble\"], \"architectures\": [\"amd64\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).isEqualTo(403); // uploader tokens cannot create archives

        // A key transition through the API: rotate, then retire the old key.
        String oldKey = json(get("/api/v1/archives/trunk/keys"))
                .get(0)
                .path("fingerprint")
                .asText();
        assertThat(post("/api/v1/archives/trunk/keys/rotate").statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/archives/trunk/keys")))
                .hasSize(2)
                .allSatisfy(k -> assertThat(k.path("active").asBoolean()).isTrue());
        assertThat(post("/api/v1/archives/trunk/keys/" + oldKey + "/retire").statusCode())
                .isEqualTo(200);
        JsonNode keys = json(get("/api/v1/archives/trunk/keys"));
        assertThat(keys)
                .filteredOn(k -> k.path("fingerprint").asText().equals(oldKey))
                .singleElement()
                .satisfies(k -> assertThat(k.path("active").asBoolean()).isFalse());
        assertThat(keys).filteredOn(k -> k.path("active").asBoolean()).hasSize(1);
    }

    @Test
    void privateArchivesAreReadOnlyWithATokenThatCoversThem() throws Exception {
        include("trunk", admin, deb("secret", "1.0", 10));
        include("release", admin, deb("open", "1.0", 10));
        ppa.configureArchive().archive("trunk").privateArchive(true).call();
        String trunkReader = ppa.createToken()
                .name("ci-trunk")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        String releaseOnly = ppa.createToken()
                .name("ci-release")
                .role("uploader")
                .archive("release")
                .call()
                .secret();
        List<String> reads = List.of(
                "/api/v1/archives/trunk/packages",
                "/api/v1/archives/trunk/history/secret",
                "/api/v1/archives/trunk/uploads",
                "/api/v1/archives/trunk/keys",
                "/api/v1/skew?archives=trunk,release");
        for (String path : reads) {
            // Without a token that covers it, a private archive is a missing one, word for word.
            HttpResponse<String> anonymous = get(path, null);
            HttpResponse<String> missing = get(path.replace("trunk", "nosuch"), null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(404).isEqualTo(missing.statusCode());
            assertThat(anonymous.body().replace("trunk", "X"))
                    .as(path)
                    .isEqualTo(missing.body().replace("nosuch", "X"))
                    .doesNotContain("secret\"")
                    .contains("NOT_FOUND")
                    .doesNotContain("archives: release, trunk");
            assertThat(get(path, releaseOnly).body().replace("trunk", "X"))
                    .as(path)
                    .isEqualTo(get(path.replace("trunk", "nosuch"), releaseOnly)
                            .body()
                            .replace("nosuch", "X"));
            assertThat(get(path, trunkReader).statusCode()).as(path).isEqualTo(200);
            assertThat(get(path, admin).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/api/v1/archives/trunk/packages", trunkReader).body()).contains("\"source\":\"secret\"");
        // The archive list leaves out what the caller may not read; public archives stay open to anyone.
        assertThat(json(get("/api/v1/archives", null)).findValuesAsText("name")).containsExactly("release");
        assertThat(json(get("/api/v1/archives", releaseOnly)).findValuesAsText("name"))
                .containsExactly("release");
        assertThat(json(get("/api/v1/archives", trunkReader)).findValuesAsText("name"))
                .containsExactly("release", "trunk");
        assertThat(get("/api/v1/archives/release/packages", null).statusCode()).isEqualTo(200);
        // Copying or syncing out of a private archive needs a token that may read it, even into an archive one may
        // write.
        HttpResponse<String> copy = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/copy"))
                        .header("Authorization", "Bearer " + releaseOnly)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"sources\": [\"secret\"], \"from\": \"trunk\", \"to\": \"release\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(404);
        HttpResponse<String> dryRun = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/sync"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"from\": \"trunk\", \"to\": \"release\", \"dryRun\": true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(404);
        assertThat(dryRun.body()).contains("archive 'trunk' does not exist (archives: release)");
        assertThat(ppa.list().archive("release").call())
                .extracting(p -> p.source())
                .containsExactly("open");
    }

    @Test
    void adminEndpointsRefuseUploaderTokensAndBadBodies() throws Exception {
        String uploader = ppa.createToken()
                .name("ci-trunk")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        for (String path : List.of(
                "/api/v1/tokens",
                "/api/v1/archives/trunk/uploaders",
                "/api/v1/archives/trunk/settings",
                "/api/v1/tokens/admin/revoke")) {
            HttpResponse<String> r = send("POST", path, uploader, "{\"name\": \"x\"}");
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(json(r).path("error").path("message").asText()).as(path).contains("this needs an admin token");
        }
        assertThat(send("GET", "/api/v1/tokens", uploader, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/tokens", null, null).statusCode()).isEqualTo(401);
        assertThat(ppa.listTokens().call()).extracting(t -> t.revokedAt()).containsOnlyNulls();

        HttpResponse<String> empty = send("POST", "/api/v1/archives/trunk/uploaders", admin, "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).path("error").path("message").asText()).contains("the request body is empty");
        HttpResponse<String> notAKey = send("POST", "/api/v1/archives/trunk/uploaders", admin, "hello");
        assertThat(notAKey.statusCode()).as(notAKey.body()).isEqualTo(400);
        HttpResponse<String> huge =
                send("POST", "/api/v1/archives/trunk/uploaders", admin, "x".repeat(ApiRequests.MAX_KEY_FILE + 10));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(ppa.listUploaders().archive("trunk").call()).isEmpty();

        HttpResponse<String> hugeJson = send(
                "POST", "/api/v1/copy", admin, "{\"sources\": [\"" + "x".repeat(ApiRequests.MAX_JSON_BODY) + "\"]}");
        assertThat(hugeJson.statusCode()).isEqualTo(413);
        assertThat(json(hugeJson).path("error").path("message").asText())
                .isEqualTo("a JSON request body is limited to 1048576 bytes");

        HttpResponse<String> badDuration =
                send("POST", "/api/v1/archives/trunk/settings", admin, "{\"validFor\": \"7 days\"}");
        assertThat(badDuration.statusCode()).isEqualTo(400);
        assertThat(json(badDuration).path("error").path("message").asText()).contains("ISO-8601 duration");
        assertThat(send("POST", "/api/v1/archives/trunk/settings", admin, "{\"private\": \"maybe\"}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> ok =
                send("POST", "/api/v1/archives/trunk/settings", admin, "{\"label\": \"Trunk\", \"validFor\": \"P7D\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).path("validFor").asText()).isEqualTo("PT168H");
        assertThat(Files.readString(data.resolve("public/trunk/dists/noble/Release")))
                .contains("Label: Trunk\n");
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keyGenerateAndAnAppliedSyncOverTheApi() throws Exception {
        // An archive without a key gets its first one over the API, and the next publish is signed by it (gpgv checks).
        ppa.createArchive()
                .name("unsigned")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .key(null)
                .call();
        assertThat(data.resolve("public/unsigned/dists/noble/InRelease")).doesNotExist();
        HttpResponse<String> generated = post("/api/v1/archives/unsigned/keys?type=ed25519&userId=Unsigned%20Team");
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String fpr = json(generated).findValue("fingerprint").asText();
        Path key = Files.writeString(
                work.resolve("unsigned.asc"),
                json(get("/api/v1/archives/unsigned/keys/export")).asText());
        Path keyring = work.resolve("unsigned.gpg");
        Tools.run(work, "gpg", "--batch", "--yes", "--output", keyring.toString(), "--dearmor", key.toString())
                .orFail("dearmor");
        Tools.Result gpgv = Tools.run(
                data.resolve("public/unsigned/dists/noble"),
                "gpgv",
                "--status-fd",
                "1",
                "--keyring",
                keyring.toString(),
                "InRelease");
        assertThat(gpgv.out()).as(gpgv.err()).contains("VALIDSIG " + fpr);
        assertThat(post("/api/v1/archives/unsigned/keys?type=ed25519").statusCode())
                .as("a second first key")
                .isEqualTo(409);

        // A sync that is applied (not a dry run): release ends up publishing what trunk does, its tree too.
        include("trunk", admin, deb("alpha", "2.0", 10));
        include("trunk", admin, deb("beta", "1.0", 10));
        include("release", admin, deb("alpha", "1.0", 10));
        HttpResponse<String> sync = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/sync"))
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"from\": \"trunk\", \"to\": \"release\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        assertThat(ppa.list().archive("release").call())
                .extracting(e -> e.source() + " " + e.version())
                .containsExactlyInAnyOrder("alpha 2.0", "beta 1.0");
        assertThat(Files.readString(data.resolve("public/release/dists/noble/main/binary-amd64/Packages")))
                .contains("Package: alpha\nVersion: 2.0\n")
                .contains("Package: beta\n");
    }

    @Test
    void tooLargeUploadsGet413() throws Exception {
        HttpResponse<String> big = include("trunk", admin, deb("big", "1.0", 200 * 1024));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(ppa.list().archive("trunk").call()).isEmpty();
    }

    @Test
    void aChunkedUploadIsStoppedAtTheLimitToo() throws Exception {
        // No Content-Length to check first (as 'ppa include --server' and curl -T - send it): the body is cut off as it
        // goes past the limit, 413, and nothing changes.
        Path big = deb("chunked", "1.0", 200 * 1024);
        String boundary = "b" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        Multipart.files(boundary, big).subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer b) {
                byte[] a = new byte[b.remaining()];
                b.get(a);
                body.writeBytes(a);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        });
        byte[] bytes = body.toByteArray();
        assertThat(bytes.length).isGreaterThan(200 * 1024);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/include"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("limit");
        assertThat(ppa.list().archive("trunk").call()).isEmpty();
    }

    @Test
    void theReasonPhraseCarriesTheMessage() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/archives/trunk/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 401 this needs a token");
        }
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/openapi.json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = json(r);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");
        for (Api.Route route : new Api(forge, null).table()) {
            JsonNode op = doc.path("paths")
                    .path(route.path().replaceFirst("^/api/v1", ""))
                    .path(route.method().toLowerCase());
            assertThat(op.isMissingNode())
                    .as(route.method() + " " + route.path())
                    .isFalse();
            assertThat(op.has("security")).as(route.path()).isEqualTo(route.needsToken());
        }
        JsonNode include = doc.path("paths").path("/archives/{archive}/include").path("post");
        assertThat(include.path("parameters").findValuesAsText("name"))
                .containsExactly("archive", "series", "component", "allowDowngrade", "skipRefused");
        assertThat(include.path("parameters").findValuesAsText("in"))
                .containsExactly("path", "query", "query", "query", "query");
        assertThat(include.path("requestBody").path("content").has("multipart/form-data"))
                .isTrue();
        assertThat(doc.path("paths")
                        .path("/sync")
                        .path("post")
                        .path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("schema")
                        .path("type")
                        .asText())
                .isEqualTo("object");
        assertThat(doc.path("paths")
                        .path("/archives/{archive}/uploaders")
                        .path("post")
                        .path("requestBody")
                        .path("content")
                        .has("application/pgp-keys"))
                .isTrue();
        assertThat(doc.path("paths")
                        .path("/archives/{archive}/packages")
                        .path("get")
                        .has("requestBody"))
                .isFalse();
        // Every query parameter an endpoint reads is declared: one read of an undeclared one would be a 500 in these
        // tests.
        assertThat(get("/api/v1/skew?archives=trunk,release&series=noble").statusCode())
                .isEqualTo(200);
        assertThat(get("/api/v1/archives/trunk/uploads?limit=5").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/archives/trunk/sources?url=http://x.example&series=noble&debSrc=false")
                        .statusCode())
                .isEqualTo(200);
        assertThat(get("/api/v1/archives/trunk/keys/export").statusCode()).isEqualTo(200);
        HttpResponse<String> health = get("/api/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void readsAndWritesToOtherArchivesGoOnWhileALongWriteRuns() throws Exception {
        List<Path> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Path dir = Files.createDirectories(work.resolve("many"));
            Path f = dir.resolve("bulk" + i + "_1.0_amd64.deb");
            Files.write(
                    f,
                    new DebWriter(Deb822Reader.parseSingle(
                                    "Package: bulk" + i + "\nVersion: 1.0\nArchitecture: amd64\n"
                                            + "Maintainer: T <t@example.org>\nDescription: bulk\n",
                                    "bulk"))
                            .toBytes());
            many.add(f);
        }
        Path small = deb("quick", "1.0", 100);
        // A long write to trunk (3,000 packages, then its republish) in another thread of the same server process, held
        // at two points the test chooses: inside its transaction (reads must go on), and after its commit, before its
        // republish (a write to another archive must go on). The overlap is proven, not hoped for.
        var inTransaction = new CountDownLatch(1);
        var publishing = new CountDownLatch(1);
        var readsDone = new CountDownLatch(1);
        var writeDone = new CountDownLatch(1);
        Progress hold = (phase, done, total) -> {
            try {
                if (phase.equals("recording") && done == 1) {
                    inTransaction.countDown();
                    readsDone.await(30, TimeUnit.SECONDS);
                } else if (phase.equals("publishing")) {
                    publishing.countDown();
                    writeDone.await(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        var longWrite = CompletableFuture.supplyAsync(() -> {
            try {
                return ppa.include().archive("trunk").files(many).progress(hold).call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(inTransaction.await(60, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> packages = get("/api/v1/archives/trunk/packages");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(packages.statusCode()).isEqualTo(200);
        assertThat(json(packages)).isEmpty(); // the write is not committed: readers see the state before it
        readsDone.countDown();
        assertThat(publishing.await(60, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> other = include("release", admin, small);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(longWrite).isNotDone(); // still held before its republish while release's write went through
        writeDone.countDown();
        assertThat(longWrite.get().publishedBinaries()).hasSize(3000);
        assertThat(ppa.list().archive("release").call()).hasSize(1);
    }
}
