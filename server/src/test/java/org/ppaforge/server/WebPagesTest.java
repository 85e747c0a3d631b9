package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.ppaforge.pipeline.Pipelines;

/**
 * The web pages over HTTP as an attacker sends it: forms without or with a wrong CSRF token, non-admin tokens on admin
 * forms, bad page numbers, long searches, unknown states, oversized and non-form bodies; each gets a 4xx page and changes
 * nothing. Private archives and their builds are missing to strangers on every page, answered word for word as a missing
 * archive. Sessions: HttpOnly, SameSite=Strict cookies that end when their token is revoked.
 */
class WebPagesTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    Pipelines pipelines;
    PpaServer server;
    String base;
    String admin;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .description("<script>alert(1)</script> & friends")
                .call();
        ppa.createArchive()
                .name("hidden")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        ppa.configureArchive().archive("hidden").privateArchive(true).call();
        SourcePackages.buildSourceUpload(work, "webtool", "1.0", "1", "bookworm");
        ppa.include()
                .archive("hidden")
                .series("bookworm")
                .files(List.of(work.resolve("webtool_1.0-1.dsc")))
                .call();
        admin = ppa.createToken().name("root").role("admin").call().secret();
        pipelines = forge.pipelines();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        forge.close();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String... fields) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in; returns the cookie header value and the page's CSRF token. */
    private String[] signIn(String token) throws Exception {
        HttpResponse<String> r = post("/+signin", null, "token", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String page = get("/", cookie).body();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        return new String[] {cookie, csrf};
    }

    @Test
    void pagesEscapeWhatTheyShowAndCarrySafetyHeaders() throws Exception {
        HttpResponse<String> home = get("/", null);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(home.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'");
        assertThat(home.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(home.body())
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends")
                .doesNotContain("<script>alert");
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/trunk"))
                                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPrivateArchiveAndItsBuildsAreMissingToStrangersOnEveryPage() throws Exception {
        assertThat(get("/", null).body()).doesNotContain("hidden");
        for (String path : List.of("/%s", "/%s/+package/webtool", "/%s/+uploads", "/%s/+skew")) {
            HttpResponse<String> hidden = get(path.formatted("hidden"), null);
            HttpResponse<String> missing = get(path.formatted("nosuch"), null);
            assertThat(hidden.statusCode()).as(path).isEqualTo(404).isEqualTo(missing.statusCode());
            assertThat(hidden.body().replace("hidden", "X"))
                    .as(path)
                    .isEqualTo(missing.body().replace("nosuch", "X"));
        }
        long build = builds.list().archive("hidden").limit(1).call().get(0).id();
        assertThat(get("/+builds", null).body()).doesNotContain("webtool");
        assertThat(get("/+builds/" + build, null).statusCode()).isEqualTo(404);
        assertThat(get("/+builds/" + build + "/log", null).statusCode()).isEqualTo(404);
        assertThat(get("/trunk/+skew", null).body()).doesNotContain("hidden");

        String reader = ppa.createToken()
                .name("eyes")
                .role("reader")
                .archive("hidden")
                .call()
                .secret();
        String cookie = signIn(reader)[0];
        assertThat(get("/", cookie).body()).contains("hidden");
        assertThat(get("/hidden/+package/webtool", cookie).body()).contains("webtool (1.0-1)");
        assertThat(get("/+builds/" + build, cookie).statusCode()).isEqualTo(200);
        // Revoking the token ends what it could see, at once.
        ppa.revokeToken().name("eyes").call();
        assertThat(get("/", cookie).body()).doesNotContain("hidden").contains("Sign in");
    }

    @Test
    void formsNeedTheSessionsCsrfTokenAnAdminAndAConfirmation() throws Exception {
        String[] s = signIn(admin);
        int tokens = ppa.listTokens().call().size();
        assertThat(post("/+admin/tokens", s[0], "name", "evil", "role", "admin").statusCode())
                .isEqualTo(403);
        assertThat(post("/+admin/tokens", s[0], "csrf", "forged", "name", "evil", "role", "admin")
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/+admin/tokens", null, "name", "evil", "role", "admin").statusCode())
                .isEqualTo(403);
        assertThat(ppa.listTokens().call()).hasSize(tokens);

        HttpResponse<String> made =
                post("/+admin/tokens", s[0], "csrf", s[1], "name", "ci", "role", "uploader", "archive", "trunk");
        assertThat(made.statusCode()).isEqualTo(200);
        assertThat(made.body()).contains("Token 'ci' created").contains("id=\"new-token\"");
        HttpResponse<String> ask = post("/+admin/tokens/revoke", s[0], "csrf", s[1], "name", "ci");
        assertThat(ask.body()).contains("Revoke token 'ci'?").contains("name=\"confirm\" value=\"yes\"");
        assertThat(ppa.listTokens().call().stream()
                        .filter(t -> t.name().equals("ci"))
                        .findFirst()
                        .orElseThrow()
                        .revokedAt())
                .isNull();
        assertThat(post("/+admin/tokens/revoke", s[0], "csrf", s[1], "name", "ci", "confirm", "yes")
                        .statusCode())
                .isEqualTo(303);
        assertThat(ppa.listTokens().call().stream()
                        .filter(t -> t.name().equals("ci"))
                        .findFirst()
                        .orElseThrow()
                        .revokedAt())
                .isNotNull();

        String uploader = ppa.createToken().name("pat").role("uploader").call().secret();
        String[] u = signIn(uploader);
        HttpResponse<String> refused =
                post("/+admin/keys/rotate", u[0], "csrf", u[1], "archive", "trunk", "confirm", "yes");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("this page needs an admin token");
        assertThat(get("/+admin", u[0]).statusCode()).isEqualTo(403);
        assertThat(ppa.listKeys().archive("trunk").call()).hasSize(1);
        // A worker token cannot sign in; an unknown one gets the form again.
        String worker = ppa.createToken().name("w").role("worker").call().secret();
        assertThat(post("/+signin", null, "token", worker).statusCode()).isEqualTo(403);
        assertThat(post("/+signin", null, "token", "x".repeat(40)).body()).contains("Unknown or revoked token.");
    }

    /**
     * A sign-in posted from another site (login CSRF: the attacker's token in the victim's browser) is refused, and
     * repeated wrong tokens from one address are slowed down (on the old code both were accepted without limit).
     */
    @Test
    void signInChecksTheOriginAndSlowsDownRepeatedFailures() throws Exception {
        String uploader = ppa.createToken().name("pat").role("uploader").call().secret();
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + uploader))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("did not come from this site");
        assertThat(forged.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> same = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", base)
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + uploader))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(same.statusCode()).isEqualTo(303);
        for (int i = 0; i < 5; i++) {
            assertThat(post("/+signin", null, "token", "wrong-" + "x".repeat(30) + i)
                            .statusCode())
                    .isEqualTo(403);
        }
        HttpResponse<String> waiting = post("/+signin", null, "token", uploader); // even the right one waits its turn
        assertThat(waiting.statusCode()).isEqualTo(429);
        assertThat(waiting.body()).contains("Too many failed sign-ins");
        assertThat(waiting.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void badInputGetsA4xxPageNeverA500() throws Exception {
        long trunkSeq = ppa.changeSequence().archive("trunk").call();
        long hiddenSeq = ppa.changeSequence().archive("hidden").call();
        var tokens = ppa.listTokens().call();
        for (String path : List.of(
                "/trunk?page=0",
                "/trunk?page=-1",
                "/trunk?page=abc",
                "/trunk?page=99999999999999999999",
                "/trunk?q=" + "a".repeat(101),
                "/trunk?series=nosuch",
                "/+builds?state=bogus",
                "/+builds/99999",
                "/+builds/1/log?offset=x",
                "/+nosuch",
                "/trunk/+package/nosuch",
                "/+runs/1",
                "/+static/nosuch.css",
                "/trunk/+package/%3Cscript%3E",
                "/+admin")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(400, 499);
            assertThat(r.body()).as(path).contains("role=\"alert\"").doesNotContain("<script>");
        }
        assertThat(get("/trunk?page=9999", null).statusCode()).isEqualTo(200); // past the end: the last page
        HttpResponse<String> text = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("token=x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).isEqualTo(415);
        // A client that asks first (Expect: 100-continue, as curl does for large bodies) is refused before it sends.
        HttpResponse<String> huge = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .expectContinue(true)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + "a".repeat(2 << 20)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<String> badEncoding = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=%zz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badEncoding.statusCode()).isEqualTo(400);
        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create(base + "/trunk"))
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(post("/+signin", null, "token", "").statusCode()).isEqualTo(400);
        // None of it changed anything: no archive moved, no token was made or touched.
        assertThat(ppa.changeSequence().archive("trunk").call()).isEqualTo(trunkSeq);
        assertThat(ppa.changeSequence().archive("hidden").call()).isEqualTo(hiddenSeq);
        assertThat(ppa.listTokens().call()).isEqualTo(tokens);
    }

    @Test
    void pipelinesAndRunsFollowTheirArchivesVisibilityAndArtifactsAreServedAsText() throws Exception {
        pipelines
                .create()
                .name("mytool")
                .git("git://127.0.0.1:9/mytool.git")
                .branch("main")
                .file(null)
                .call();
        long id = pipelines
                .start()
                .pipeline("mytool")
                .trigger("manual")
                .ref(null)
                .call()
                .id();
        Path artifacts = Files.createDirectories(pipelines.artifacts(id).resolve("build"));
        Files.writeString(artifacts.resolve("report.html"), "<script>alert(1)</script>");
        // A pipeline no run has tied to an archive yet may be meant for a private one: visitors and reader tokens do
        // not
        // see it, nor its runs.
        assertThat(get("/+pipelines", null).statusCode()).isEqualTo(200);
        assertThat(get("/+pipelines", null).body()).doesNotContain("mytool");
        assertThat(get("/+runs/" + id, null).statusCode()).isEqualTo(404);
        String reader = ppa.createToken().name("eyes").role("reader").call().secret();
        assertThat(get("/+runs/" + id, signIn(reader)[0]).statusCode()).isEqualTo(404);
        // Once a run ties it to a public archive, a visitor signed out sees the pipeline, its runs and their logs, as
        // on Jenkins or Launchpad; tied to a private archive, they are missing to the visitor, word for word.
        pipelines.store().setArchive(id, "trunk");
        assertThat(get("/+pipelines", null).body()).contains("mytool");
        assertThat(get("/+runs/" + id, null).body()).contains("id=\"run-state\">queued");
        assertThat(get("/+runs/" + id + "/artifacts/build/report.html", null).statusCode())
                .isEqualTo(200);
        assertThat(get("/+runs/" + id, null).body()).doesNotContain("Cancel the run");
        pipelines.store().setArchive(id, "hidden");
        assertThat(get("/+pipelines", null).body()).doesNotContain("mytool");
        HttpResponse<String> privateRun = get("/+runs/" + id, null);
        assertThat(privateRun.statusCode()).isEqualTo(404);
        assertThat(privateRun.body()).contains("there is no pipeline run " + id);
        assertThat(get("/+runs/" + id + "/artifacts/build/report.html", null).statusCode())
                .isEqualTo(404);
        pipelines.store().setArchive(id, null);

        String[] s =
                signIn(ppa.createToken().name("pat").role("uploader").call().secret());
        assertThat(get("/+pipelines", s[0]).body()).contains("mytool").contains("git://127.0.0.1:9/mytool.git");
        HttpResponse<String> run = get("/+runs/" + id, s[0]);
        assertThat(run.body())
                .contains("id=\"run-state\">queued")
                .contains("/+runs/" + id + "/artifacts/build/report.html");
        HttpResponse<String> artifact = get("/+runs/" + id + "/artifacts/build/report.html", s[0]);
        assertThat(artifact.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(artifact.body()).isEqualTo("<script>alert(1)</script>");
        for (String bad : List.of(
                "/+runs/" + id + "/artifacts/../../../../etc/passwd",
                "/+runs/" + id + "/artifacts/%2e%2e/%2e%2e/keys",
                "/+runs/999",
                "/+pipelines/nosuch")) {
            assertThat(get(bad, s[0]).statusCode()).as(bad).isEqualTo(404);
        }
        pipelines.store().setArchive(id, "trunk"); // as the runner does once it read the definition
        assertThat(get("/", s[0]).body()).contains("<a href=\"/+runs/" + id + "\">mytool run " + id + "</a>");
        assertThat(get("/", null).body()).contains("mytool run " + id); // a public archive: visitors see it too
        HttpResponse<String> ask = post("/+runs/" + id + "/cancel", s[0], "csrf", s[1]);
        assertThat(ask.body()).contains("Cancel run " + id + " of mytool?");
        assertThat(pipelines.run(id).state()).isEqualTo("queued");
        assertThat(post("/+runs/" + id + "/cancel", s[0], "csrf", s[1], "confirm", "yes")
                        .statusCode())
                .isEqualTo(303);
        assertThat(pipelines.run(id).state()).isEqualTo("cancelled");

        // A run into the private archive: missing to a token that may not read it, on the pages and the home page.
        pipelines
                .create()
                .name("secret-tool")
                .git("git://127.0.0.1:9/secret.git")
                .branch("main")
                .file(null)
                .call();
        long hidden = pipelines
                .start()
                .pipeline("secret-tool")
                .trigger("manual")
                .ref(null)
                .call()
                .id();
        pipelines.store().setArchive(hidden, "hidden");
        s = signIn(ppa.createToken()
                .name("trunk-only")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret());
        assertThat(get("/+runs/" + hidden, s[0]).statusCode()).isEqualTo(404);
        assertThat(get("/+runs/" + hidden + "/artifacts/x", s[0]).statusCode()).isEqualTo(404);
        assertThat(get("/+pipelines/secret-tool", s[0]).statusCode()).isEqualTo(404);
        assertThat(get("/+pipelines", s[0]).body()).doesNotContain("secret-tool");
        assertThat(get("/", s[0]).body()).doesNotContain("secret-tool");
        assertThat(post("/+runs/" + hidden + "/cancel", s[0], "csrf", s[1], "confirm", "yes")
                        .statusCode())
                .isEqualTo(404);
        String[] root = signIn(admin);
        assertThat(get("/+runs/" + hidden, root[0]).statusCode()).isEqualTo(200);
        assertThat(get("/", root[0]).body()).contains("secret-tool run " + hidden);
    }
}
