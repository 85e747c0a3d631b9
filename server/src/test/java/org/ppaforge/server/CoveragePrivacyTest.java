package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.Qa;

/**
 * A private archive's coverage project is missing, over the API and on the pages, to a token that may not read the
 * archive, as the archive's builds and pipelines are (on the old code any token read any project).
 */
@Timeout(60)
class CoveragePrivacyTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void aPrivateArchivesProjectIsMissingToStrangers() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Qa qa = forge.qa();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("hidden")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.configureArchive().archive("hidden").privateArchive(true).call();
            Path lcov = Files.writeString(work.resolve("c.info"), "SF:src/a.c\nDA:1,1\nDA:2,0\nend_of_record\n");
            qa.uploadCoverage()
                    .project("openproj")
                    .archive("trunk")
                    .commit("aaaa1111")
                    .files(List.of(lcov))
                    .call();
            qa.uploadCoverage()
                    .project("secretproj")
                    .archive("hidden")
                    .commit("bbbb2222")
                    .files(List.of(lcov))
                    .call();
            String stranger = ppa.createToken()
                    .name("stranger")
                    .role("uploader")
                    .archive("trunk")
                    .call()
                    .secret();
            String insider = ppa.createToken()
                    .name("insider")
                    .role("uploader")
                    .archive("hidden")
                    .call()
                    .secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String base = "http://127.0.0.1:" + server.port();
                HttpClient http = HttpClient.newHttpClient();
                for (String path : List.of(
                        "/api/v1/coverage/secretproj",
                        "/api/v1/coverage/secretproj/trend",
                        "/api/v1/coverage/secretproj/least",
                        "/api/v1/coverage/secretproj/diff?from=bbbb2222&to=bbbb2222")) {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .header("Authorization", "Bearer " + stranger)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path).isEqualTo(404);
                    assertThat(r.body()).as(path).contains("project 'secretproj' has no coverage");
                }
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/api/v1/coverage/secretproj"))
                                                .header("Authorization", "Bearer " + insider)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/api/v1/coverage/openproj"))
                                                .header("Authorization", "Bearer " + stranger)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
                // Signed out: a public archive's project is there, over the API and on the pages; a private one's is
                // missing, with the missing project's words.
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/api/v1/coverage/openproj"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
                HttpResponse<String> secret = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/coverage/secretproj"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(secret.statusCode()).isEqualTo(404);
                assertThat(secret.body()).contains("project 'secretproj' has no coverage");
                String visitorList = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/+coverage"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(visitorList).contains("openproj").doesNotContain("secretproj");
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/+coverage/openproj"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .contains("Coverage of openproj");
                // The pages: signed in as the stranger, the list leaves the project out and its page is missing.
                HttpResponse<String> signIn = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/+signin"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("token=" + stranger))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String cookie =
                        signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
                String list = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/+coverage"))
                                        .header("Cookie", cookie)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(list).contains("openproj").doesNotContain("secretproj");
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/+coverage/secretproj"))
                                                .header("Cookie", cookie)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(404);
            }
        }
    }
}
