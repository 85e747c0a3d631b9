package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.client.http.Trust;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * The web session's promises: its cookie is Secure over HTTPS (and only then), and a restart of the server signs
 * everyone out (sessions live in the server's memory only).
 */
@Timeout(120)
class SessionsTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> signIn(HttpClient http, String base, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + token))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String home(HttpClient http, String base, String cookie) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/"))
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void theCookieIsSecureOverHttpsOnly() throws Exception {
        Path[] cert = Tools.selfSignedCertificate(dir.resolve("tls"));
        try (Forge forge = Forge.open(ForgeConfig.of(dir.resolve("data")))) {
            String admin = forge.archive()
                    .createToken()
                    .name("root")
                    .role("admin")
                    .call()
                    .secret();
            try (PpaServer tls = new PpaServer(
                                    forge, "127.0.0.1", 0, PpaServer.Timeouts.DEFAULT, Tls.context(cert[0], cert[1]))
                            .start();
                    PpaServer plain = new PpaServer(forge, "127.0.0.1", 0).start()) {
                HttpClient https = HttpClient.newBuilder()
                        .sslContext(Trust.trusting(cert[0]))
                        .build();
                String secure = signIn(https, "https://127.0.0.1:" + tls.port(), admin)
                        .headers()
                        .firstValue("Set-Cookie")
                        .orElseThrow();
                assertThat(secure).contains("; Secure").contains("HttpOnly").contains("SameSite=Strict");
                String cleartext = signIn(HttpClient.newHttpClient(), "http://127.0.0.1:" + plain.port(), admin)
                        .headers()
                        .firstValue("Set-Cookie")
                        .orElseThrow();
                assertThat(cleartext).doesNotContain("Secure").contains("HttpOnly");
            }
        }
    }

    @Test
    void aRestartSignsEveryoneOut() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (Forge forge = Forge.open(ForgeConfig.of(dir.resolve("data")))) {
            String admin = forge.archive()
                    .createToken()
                    .name("root")
                    .role("admin")
                    .call()
                    .secret();
            String cookie;
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String base = "http://127.0.0.1:" + server.port();
                cookie = signIn(http, base, admin)
                        .headers()
                        .firstValue("Set-Cookie")
                        .orElseThrow()
                        .split(";")[0];
                assertThat(home(http, base, cookie)).contains("id=\"signed-in-as\">root<");
            }
            try (PpaServer again = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String page = home(http, "http://127.0.0.1:" + again.port(), cookie);
                assertThat(page).doesNotContain("signed-in-as").contains("id=\"sign-in-link\"");
            }
        }
    }
}
