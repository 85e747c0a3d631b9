package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * The build farm's HTTP endpoints against a stranger, the wrong token, a worker that does not hold the build and
 * malformed input: each gets a 4xx with a clear message, nothing changes; a private archive's builds do not exist to
 * those who may not read it.
 */
class BuildApiTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    PpaServer server;
    String base;
    String uploader;
    String worker;
    String admin;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.createArchive()
                .name("secret")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.configureArchive().archive("secret").privateArchive(true).call();
        builds.createChroot()
                .series("noble")
                .architecture("amd64")
                .tarball(Files.writeString(work.resolve("c.tar.zst"), "chroot"))
                .call();
        for (String a : List.of("trunk", "secret")) {
            Path dir = Files.createDirectories(work.resolve(a));
            ppa.include()
                    .archive(a)
                    .series("noble")
                    .files(List.of(SourcePackages.buildSourceUpload(dir, a + "tool", "1.0", "1", "noble")))
                    .call();
        }
        uploader = ppa.createToken()
                .name("pat")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        worker = ppa.createToken().name("builder").role("worker").call().secret();
        admin = ppa.createToken().name("root").role("admin").call().secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Api.JSON.readTree(r.body());
    }

    private static String message(HttpResponse<String> r) throws Exception {
        return json(r).path("error").path("message").asText();
    }

    @Test
    void strangersSeePublicBuildsOnlyAndCannotActOnThem() throws Exception {
        HttpResponse<String> all = send("GET", "/api/v1/builds", null, null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).findValuesAsText("archive")).containsExactly("trunk");
        long secretId = builds.list().archive("secret").call().get(0).id();
        long trunkId = builds.list().archive("trunk").call().get(0).id();
        HttpResponse<String> hidden = send("GET", "/api/v1/builds/" + secretId, null, null);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(message(hidden)).isEqualTo("there is no build " + secretId);
        assertThat(message(send("GET", "/api/v1/builds/424242", null, null))).isEqualTo("there is no build 424242");
        assertThat(send("GET", "/api/v1/builds?archive=secret", null, null).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/api/v1/builds/" + secretId, admin, null).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/v1/builds/abc", null, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/builds?state=exploded", null, null)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(message(r)).contains("unknown build state 'exploded'");
        });
        assertThat(send("POST", "/api/v1/builds/" + trunkId + "/cancel", null, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "/api/v1/builds/" + trunkId + "/cancel", worker, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/api/v1/builds/" + trunkId + "/cancel", uploader, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(builds.show().id(trunkId).call().state().label()).isEqualTo("cancelled");
    }

    @Test
    void onlyWorkerTokensLeaseAndOnlyTheHolderReports() throws Exception {
        String lease = "{\"worker\": \"w1\", \"architectures\": [\"amd64\"]}";
        assertThat(send("POST", "/api/v1/workers/lease", null, lease).statusCode())
                .isEqualTo(401);
        HttpResponse<String> byUploader = send("POST", "/api/v1/workers/lease", uploader, lease);
        assertThat(byUploader.statusCode()).isEqualTo(403);
        assertThat(message(byUploader)).contains("this needs a worker token");
        assertThat(message(send("POST", "/api/v1/workers/lease", worker, "{\"worker\": \"w1\"}")))
                .contains("needs the architectures");
        assertThat(send("POST", "/api/v1/workers/lease", worker, "{not json").statusCode())
                .isEqualTo(400);
        assertThat(message(send(
                        "POST",
                        "/api/v1/workers/lease",
                        worker,
                        "{\"worker\": \"w1\", \"architectures\": [\"amd64'; --\"]}")))
                .isEqualTo("invalid architecture 'amd64'; --'");
        assertThat(send(
                                "POST",
                                "/api/v1/workers/lease",
                                worker,
                                "{\"worker\": \"w1\", \"architectures\": [" + "\"a\",".repeat(5000) + "\"b\"]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/api/v1/builds?limit=abc", null, null).statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/api/v1/builds?limit=0", null, null).statusCode())
                .isEqualTo(400);
        // A revoked worker token: 401.
        String revoked =
                ppa.createToken().name("old-builder").role("worker").call().secret();
        ppa.revokeToken().name("old-builder").call();
        HttpResponse<String> byRevoked = send("POST", "/api/v1/workers/lease", revoked, lease);
        assertThat(byRevoked.statusCode()).isEqualTo(401);
        assertThat(message(byRevoked)).contains("token 'old-builder' was revoked");
        // A worker token writes nothing else.
        HttpResponse<String> include = send("POST", "/api/v1/archives/trunk/publish", worker, null);
        assertThat(include.statusCode()).isEqualTo(403);
        assertThat(message(include)).contains("worker token: it may only lease builds");

        HttpResponse<String> leased = send("POST", "/api/v1/workers/lease", worker, lease);
        assertThat(leased.statusCode()).isEqualTo(200);
        JsonNode l = json(leased);
        long id = l.path("build").path("id").asLong();
        assertThat(l.path("build").path("archive").asText()).isEqualTo("secret"); // private first
        assertThat(l.path("dsc").asText()).isEqualTo("secrettool_1.0-1.dsc");
        // The worker fetches the source files and the chroot; nothing outside the build's source.
        HttpResponse<String> dsc =
                send("GET", "/api/v1/builds/" + id + "/files/secrettool_1.0-1.dsc?worker=w1", worker, null);
        assertThat(dsc.statusCode()).isEqualTo(200);
        assertThat(dsc.body()).contains("Source: secrettool");
        assertThat(send("GET", "/api/v1/builds/" + id + "/files/..%2F..%2Fppaforge.db?worker=w1", worker, null)
                        .statusCode())
                .isIn(400, 404);
        assertThat(send("GET", "/api/v1/builds/" + id + "/files/secrettool_1.0-1.dsc?worker=w1", uploader, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("GET", "/api/v1/chroots/noble/amd64/tarball", worker, null)
                        .body())
                .isEqualTo("chroot");
        assertThat(send("GET", "/api/v1/chroots/noble/arm64/tarball", worker, null)
                        .statusCode())
                .isEqualTo(404);
        // The worker reads the private archive it builds (its tree, for build-dependencies).
        assertThat(send("GET", "/secret/dists/noble/InRelease", worker, null).statusCode())
                .isEqualTo(200);

        // Another worker name: 409, and nothing changes.
        HttpResponse<String> stolen =
                send("POST", "/api/v1/builds/" + id + "/result?worker=w2&outcome=failed", worker, null);
        assertThat(stolen.statusCode()).isEqualTo(409);
        assertThat(message(stolen)).contains("is not held by worker 'w2'");
        assertThat(send("POST", "/api/v1/builds/" + id + "/heartbeat?worker=w2", worker, null)
                        .statusCode())
                .isEqualTo(409);
        assertThat(send("POST", "/api/v1/builds/" + id + "/log?worker=bad%20name", worker, "x")
                        .statusCode())
                .isEqualTo(400);
        assertThat(message(send("POST", "/api/v1/builds/" + id + "/result?worker=w1&outcome=exploded", worker, null)))
                .contains("outcome is built, failed, dependency-wait or given-back");
        assertThat(builds.show().id(id).call().state().label()).isEqualTo("building");

        // A second worker token under the first one's (public) name: the lease is the token's, not the name's (fails on
        // the code before leases were bound to tokens: the name alone was checked).
        String other =
                ppa.createToken().name("other-builder").role("worker").call().secret();
        for (String path : List.of("/result?worker=w1&outcome=failed", "/heartbeat?worker=w1", "/log?worker=w1")) {
            HttpResponse<String> r =
                    send("POST", "/api/v1/builds/" + id + path, other, path.startsWith("/log") ? "trojan\n" : null);
            assertThat(r.statusCode()).as(path).isEqualTo(409);
            assertThat(message(r)).contains("is not held by worker 'w1' with this token");
        }
        assertThat(send("GET", "/api/v1/builds/" + id + "/files/secrettool_1.0-1.dsc?worker=w1", other, null)
                        .statusCode())
                .isEqualTo(409);
        assertThat(builds.show().id(id).call().state().label()).isEqualTo("building");
        // The token is what holds the lease, a name only labels it: the holder may leave the name out, another token
        // may not.
        assertThat(send("POST", "/api/v1/builds/" + id + "/heartbeat", worker, null)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> nameless = send("POST", "/api/v1/builds/" + id + "/heartbeat", other, null);
        assertThat(nameless.statusCode()).isEqualTo(409);
        assertThat(message(nameless)).contains("is not held by this worker token");

        // The lease's read credential: the build's own private archive while it builds, nothing else, and never the
        // worker's token (the build's apt gets this one).
        String read = l.path("readToken").asText();
        assertThat(read).startsWith("ppf_build" + id + "_").isNotEqualTo(worker);
        HttpRequest.Builder basic = HttpRequest.newBuilder(URI.create(base + "/secret/dists/noble/InRelease"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("build:" + read).getBytes()));
        assertThat(http.send(basic.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/api/v1/archives/trunk/publish", read, null).statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "/api/v1/builds/" + id + "/heartbeat?worker=w1", read, null)
                        .statusCode())
                .isEqualTo(401);

        // A built result's parts are spooled outside the results directory: the check sees only the files sent (the
        // spool file once showed up as a file the .changes does not list).
        String boundary = "b" + System.nanoTime();
        String changes =
                "Format: 1.8\nDate: Thu, 03 Dec 2026 10:00:00 +0000\nSource: secrettool\nVersion: 1.0-1\nArchitecture: amd64\nDistribution: noble\n"
                        + "Maintainer: T <t@example.org>\nChanges:\n x\nFiles:\n 00000000000000000000000000000000 3 misc optional "
                        + "secrettool_1.0-1_amd64.deb\n";
        String multipart = "--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"secrettool_1.0-1_amd64.changes\"\r\n\r\n"
                + changes + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"secrettool_1.0-1_amd64.deb\"\r\n\r\n"
                + "abc\r\n--" + boundary + "--\r\n";
        HttpResponse<String> spooled = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/builds/" + id + "/result?worker=w1&outcome=built"))
                        .header("Authorization", "Bearer " + worker)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(multipart))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(spooled.statusCode()).as(spooled.body()).isEqualTo(200);
        assertThat(json(spooled).path("state").asText()).isEqualTo("FAILED_TO_UPLOAD");
        assertThat(json(spooled).path("message").asText())
                .doesNotContain("undertow")
                .contains("secrettool_1.0-1_amd64.deb");
        try (var left = Files.list(data.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
        builds.retry().id(id).call();
        assertThat(json(send("POST", "/api/v1/workers/lease", worker, lease))
                        .path("build")
                        .path("id")
                        .asLong())
                .isEqualTo(id);
        assertThat(send("POST", "/api/v1/builds/" + id + "/log?worker=w1", worker, "line one\n")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/api/v1/builds/" + id + "/log?worker=w1", worker, "x".repeat((1 << 20) + 1))
                        .statusCode())
                .isEqualTo(413);
        assertThat(send("GET", "/api/v1/builds/" + id + "/log?offset=zz", admin, null)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> heartbeat = send("POST", "/api/v1/builds/" + id + "/heartbeat?worker=w1", worker, null);
        assertThat(json(heartbeat).path("cancel").asBoolean()).isFalse();
        HttpResponse<String> failed =
                send("POST", "/api/v1/builds/" + id + "/result?worker=w1&outcome=failed", worker, null);
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(json(failed).path("state").asText()).isEqualTo("FAILED_TO_BUILD");
        // The lease ended: its read credential reads nothing any more.
        assertThat(http.send(basic.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
        // The public archive's build gets a credential that does not reach the private archive.
        JsonNode trunkLease = json(send("POST", "/api/v1/workers/lease", worker, lease));
        assertThat(trunkLease.path("build").path("archive").asText()).isEqualTo("trunk");
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/secret/dists/noble/InRelease"))
                                        .header(
                                                "Authorization",
                                                "Bearer "
                                                        + trunkLease
                                                                .path("readToken")
                                                                .asText())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/api/v1/builds/" + id + "/log", admin, null).body())
                .contains("line one");
        // Nothing waits now for arm64: 204 at once.
        assertThat(send("POST", "/api/v1/workers/lease", worker, "{\"worker\": \"w1\", \"architectures\": [\"arm64\"]}")
                        .statusCode())
                .isEqualTo(204);
        // And the OpenAPI document lists the build farm's endpoints.
        assertThat(send("GET", "/api/v1/openapi.json", null, null).body())
                .contains("/workers/lease")
                .contains("/builds/{id}/log");
    }
}
