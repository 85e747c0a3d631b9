package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.Pipelines;

/** The push webhook over HTTP, as GitHub (Basic credentials in the hook URL), GitLab (X-Gitlab-Token) and Gitea send it. */
class PipelineApiTest {
    @TempDir
    Path data;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    Pipelines pipelines;
    PpaServer server;
    String base;
    String token;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        pipelines = forge.pipelines();
        pipelines
                .create()
                .name("mytool")
                .git("https://git.example.org/mytool.git")
                .branch("main")
                .file(null)
                .call();
        token = ppa.createToken().name("hooks").role("uploader").call().secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    private HttpResponse<String> hook(String pipeline, String header, String value, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/pipelines/" + pipeline + "/trigger"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            b.header(header, value);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delivery(String resource, String token, String... headers) throws Exception {
        String body;
        try (var in = PipelineApiTest.class.getResourceAsStream("/webhooks/" + resource)) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/pipelines/mytool/trigger"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1].replace("TOKEN", token));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Deliveries as each forge sends them: the push payloads in the shape GitHub, GitLab, Gitea and Forgejo document
     * (every field, not only 'ref'), with their event headers and each forge's way of carrying the token.
     */
    @Test
    void realDeliveriesOfGitHubGitLabGiteaAndForgejoQueueRunsAndTheRestIsIgnored() throws Exception {
        String basic =
                "Basic " + Base64.getEncoder().encodeToString(("hook:" + token).getBytes(StandardCharsets.UTF_8));
        List<HttpResponse<String>> pushes = List.of(
                delivery(
                        "github-push.json",
                        token,
                        "X-GitHub-Event",
                        "push",
                        "X-GitHub-Delivery",
                        "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                        "User-Agent",
                        "GitHub-Hookshot/044aadd",
                        "Authorization",
                        basic),
                delivery(
                        "gitlab-push.json",
                        token,
                        "X-Gitlab-Event",
                        "Push Hook",
                        "X-Gitlab-Instance",
                        "https://gitlab.example.org",
                        "X-Gitlab-Event-UUID",
                        "13792a34-cac6-4fda-95a8-c58e00a3954e",
                        "X-Gitlab-Token",
                        "TOKEN"),
                delivery(
                        "gitea-push.json",
                        token,
                        "X-Gitea-Event",
                        "push",
                        "X-Gitea-Event-Type",
                        "push",
                        "X-Gitea-Delivery",
                        "f6266f16-1bf3-46a5-9ea4-602e06ead473",
                        "X-GitHub-Event",
                        "push",
                        "X-Gogs-Event",
                        "push",
                        "Authorization",
                        basic),
                delivery(
                        "forgejo-push.json",
                        token,
                        "X-Forgejo-Event",
                        "push",
                        "X-Forgejo-Delivery",
                        "a1b2c3d4-1bf3-46a5-9ea4-602e06ead473",
                        "X-Gitea-Event",
                        "push",
                        "X-GitHub-Event",
                        "push",
                        "Authorization",
                        "Bearer TOKEN"));
        for (HttpResponse<String> r : pushes) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"state\":\"queued\"");
        }
        assertThat(pipelines.runs("mytool", 10))
                .hasSize(4)
                .allSatisfy(r -> assertThat(r.trigger()).isEqualTo("webhook"));
        // GitHub's ping when the hook is made, and a GitLab tag push: answered, nothing queued.
        HttpResponse<String> ping =
                delivery("github-ping.json", token, "X-GitHub-Event", "ping", "Authorization", basic);
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).contains("a ping, not a push");
        HttpResponse<String> tag =
                delivery("gitlab-tag-push.json", token, "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", "TOKEN");
        assertThat(tag.statusCode()).isEqualTo(200);
        assertThat(tag.body()).contains("not a push to the pipeline's branch");
        assertThat(pipelines.runs("mytool", 10)).hasSize(4);
        // A delivery without the token, as a forge sends it when the hook's secret was left out: 401, nothing queued.
        assertThat(delivery("gitea-push.json", token, "X-Gitea-Event", "push").statusCode())
                .isEqualTo(401);
        assertThat(pipelines.runs("mytool", 10)).hasSize(4);
    }

    @Test
    void pushesToTheBranchQueueRunsAndEverythingElseIsAnsweredWithoutOne() throws Exception {
        String push = "{\"ref\": \"refs/heads/main\", \"before\": \"0000\", \"after\": \"1111\", \"commits\": []}";
        String basic =
                "Basic " + Base64.getEncoder().encodeToString(("github:" + token).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> github = hook("mytool", "Authorization", basic, push);
        assertThat(github.statusCode()).as(github.body()).isEqualTo(200);
        assertThat(github.body()).contains("\"state\":\"queued\"");
        assertThat(hook("mytool", "X-Gitlab-Token", token, push).statusCode()).isEqualTo(200);
        assertThat(pipelines.runs("mytool", 10))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.trigger()).isEqualTo("webhook"));

        assertThat(hook("mytool", "Authorization", "Bearer " + token, "{\"ref\": \"refs/heads/other\"}")
                        .body())
                .contains("not a push to the pipeline's branch");
        assertThat(hook("mytool", null, null, push).statusCode()).isEqualTo(401);
        assertThat(hook("mytool", "X-Gitlab-Token", "wrong-token-wrong-token-1", push)
                        .statusCode())
                .isEqualTo(401);
        String worker = ppa.createToken().name("w").role("worker").call().secret();
        assertThat(hook("mytool", "Authorization", "Bearer " + worker, push).statusCode())
                .isEqualTo(403);
        assertThat(hook("nope", "Authorization", "Bearer " + token, push).statusCode())
                .isEqualTo(404);
        assertThat(hook("mytool", "Authorization", "Bearer " + token, "{not json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(hook("mytool", "Authorization", "Bearer " + token, "{}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> ping = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/pipelines/mytool/trigger"))
                        .header("Authorization", basic)
                        .header("X-GitHub-Event", "ping")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"zen\": \"x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ping.body()).contains("a ping, not a push");
        assertThat(pipelines.runs("mytool", 10)).hasSize(2);
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String bearer, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pipelinesAndRunsOverTheApi() throws Exception {
        String admin = ppa.createToken().name("root").role("admin").call().secret();
        // Signed out: the pipelines of public archives only; one no run has tied to an archive is not among them.
        HttpResponse<String> anonymous = get("/api/v1/pipelines", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).doesNotContain("mytool");
        assertThat(get("/api/v1/pipelines", token).body())
                .contains("\"gitUrl\":\"https://git.example.org/mytool.git\"");
        assertThat(post("/api/v1/pipelines", token, "{\"name\": \"x\", \"git\": \"https://h/x.git\"}")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> created =
                post("/api/v1/pipelines", admin, "{\"name\": \"other\", \"git\": \"https://h/o.git\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(post("/api/v1/pipelines", admin, "{\"name\": \"runs\", \"git\": \"https://h/o.git\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/pipelines/other/key", null).body()).contains("BEGIN PGP PUBLIC KEY BLOCK");
        HttpResponse<String> queued = post("/api/v1/pipelines/other/runs?ref=v1.0", token, null);
        assertThat(queued.statusCode()).isEqualTo(200);
        long id = Api.JSON.readTree(queued.body()).path("id").asLong();
        assertThat(post("/api/v1/pipelines/other/runs?ref=..%2Fx", token, null).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/pipelines/runs?pipeline=other", token).body()).contains("\"ref\":\"v1.0\"");
        assertThat(get("/api/v1/pipelines/runs/" + id, token).body()).contains("\"state\":\"queued\"");
        assertThat(get("/api/v1/pipelines/runs/" + id + "/log/check", token).body())
                .contains("\"text\":\"\"");
        assertThat(get("/api/v1/pipelines/runs/" + id + "/log/..", token).statusCode())
                .isIn(400, 404);
        assertThat(get("/api/v1/pipelines/runs/424242", token).statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/pipelines/runs/" + id + "/cancel", token, null).body())
                .contains("\"state\":\"cancelled\"");
        assertThat(post("/api/v1/pipelines/runs/" + id + "/cancel", token, null).statusCode())
                .isEqualTo(409);
        assertThat(get("/api/v1/openapi.json", null).body())
                .contains("/pipelines/runs/{id}/callback/{secret}")
                .contains("/pipelines/{name}/trigger");
    }

    private HttpResponse<String> post(String path, String bearer) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + bearer)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A private archive's pipeline and runs are missing to a token that may not read the archive: list, run, step log,
     * queue, cancel and trigger, word for word as a missing one (on the old code each of these answered, with the log).
     */
    @Test
    void aPrivateArchivesPipelineIsMissingToThoseWhoMayNotReadIt() throws Exception {
        ppa.createArchive()
                .name("secret")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.configureArchive().archive("secret").privateArchive(true).call();
        ppa.createArchive()
                .name("open")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        pipelines
                .create()
                .name("hidden")
                .git("https://git.example.org/hidden.git")
                .branch("main")
                .file(null)
                .call();
        var run =
                pipelines.start().pipeline("hidden").trigger("manual").ref(null).call();
        pipelines.store().setArchive(run.id(), "secret");
        pipelines.appendLog(run.id(), "check", "the private project's test output\n");
        var queued = pipelines
                .start()
                .pipeline("hidden")
                .trigger("manual")
                .ref(null)
                .call(); // not yet read its definition: the pipeline's archive counts
        String stranger = ppa.createToken()
                .name("stranger")
                .role("uploader")
                .archive("open")
                .call()
                .secret();
        String insider = ppa.createToken()
                .name("insider")
                .role("uploader")
                .archive("secret")
                .call()
                .secret();

        assertThat(get("/api/v1/pipelines", stranger).body())
                .doesNotContain("hidden")
                .contains("mytool");
        assertThat(get("/api/v1/pipelines", insider).body()).contains("hidden");
        assertThat(get("/api/v1/pipelines/runs", stranger).body()).doesNotContain("hidden");
        for (long id : new long[] {run.id(), queued.id()}) {
            HttpResponse<String> r = get("/api/v1/pipelines/runs/" + id, stranger);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("there is no pipeline run " + id);
            assertThat(post("/api/v1/pipelines/runs/" + id + "/cancel", stranger)
                            .statusCode())
                    .isEqualTo(404);
        }
        HttpResponse<String> log = get("/api/v1/pipelines/runs/" + run.id() + "/log/check", stranger);
        assertThat(log.statusCode()).isEqualTo(404);
        assertThat(log.body()).doesNotContain("private project");
        assertThat(post("/api/v1/pipelines/hidden/runs", stranger).statusCode()).isEqualTo(404);
        assertThat(hook("hidden", "Authorization", "Bearer " + stranger, "{\"ref\": \"refs/heads/main\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v1/pipelines/runs?pipeline=hidden", stranger).statusCode())
                .isEqualTo(404);
        assertThat(pipelines.runs("hidden", 10)).hasSize(2);
        assertThat(pipelines.run(queued.id()).state()).isEqualTo("queued");

        // Those who may read it see it all; the log comes in pages from an offset.
        assertThat(get("/api/v1/pipelines/runs/" + run.id() + "/log/check", insider)
                        .body())
                .contains("private project");
        assertThat(get("/api/v1/pipelines/runs/" + run.id() + "/log/check?offset=8", insider)
                        .body())
                .contains("\"next\":34")
                .doesNotContain("the private");
        assertThat(get("/api/v1/pipelines/runs/" + run.id() + "/log/check?offset=x", insider)
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/v1/pipelines/runs/" + queued.id() + "/cancel", insider)
                        .statusCode())
                .isEqualTo(200);
    }

    /** The install test's callback secret never reaches the server's log (on the old code the whole path was logged). */
    @Test
    void callbackSecretsAreBlankedInTheLog() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        server.close();
        server = new PpaServer(forge, "127.0.0.1", 0, PpaServer.Timeouts.DEFAULT, null, lines::add).start();
        base = "http://127.0.0.1:" + server.port();
        var run =
                pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
        String secret = "s3cr3t-callback-value-0123456789";
        post("/api/v1/pipelines/runs/" + run.id() + "/callback/" + secret + "?result=pass", token);
        post("/api/v1/pipelines/runs/" + run.id() + "/callback/" + secret + "?result=pass&token=" + secret, token);
        for (int i = 0; i < 50 && lines.size() < 2; i++) {
            Thread.sleep(20);
        }
        assertThat(lines)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> assertThat(l).doesNotContain(secret).contains("/callback/***"));
        assertThat(WriteLog.blankSecrets("/x?url=http://user:pw@h/a&token=abc"))
                .isEqualTo("/x?url=http://***@h/a&token=***");
    }
}
