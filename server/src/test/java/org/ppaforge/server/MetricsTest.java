package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * The server's metrics and readiness answer: /metrics to admin tokens only, the separate metrics port without one, the
 * meters an include moves (requests by route template, uploads accepted and refused, publish durations, the build
 * queue), no series made from the paths clients send, and a real Prometheus (Debian's) scraping both endpoints (with the
 * admin token from a credentials file, and without) and refusing to scrape with a wrong token.
 */
@Timeout(180)
class MetricsTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;
    private Ppaforge ppa;
    private PpaServer server;
    private MetricsServer metricsServer;
    private String base;
    private String admin;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        admin = ppa.createToken().name("admin").role("admin").call().secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        metricsServer = new MetricsServer(forge.metrics(), "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        metricsServer.close();
        server.close();
        forge.close();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> include(String version) throws Exception {
        Path f = work.resolve("tool_" + version + "_amd64.deb");
        Files.write(
                f,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: tool\nVersion: " + version
                                        + "\nArchitecture: amd64\nMaintainer: T <t@example.org>\nDescription: test\n",
                                "tool"))
                        .toBytes());
        String boundary = "b" + UUID.randomUUID();
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/include"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Authorization", "Bearer " + admin)
                        .POST(Multipart.files(boundary, f))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long seriesCount(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{")).count();
    }

    @Test
    void metricsNeedAnAdminTokenAndCountWhatHappened() throws Exception {
        assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(401);
        String uploader = ppa.createToken()
                .name("up")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        assertThat(get(base + "/metrics", uploader).statusCode()).isEqualTo(403);
        assertThat(get(base + "/metrics", "ppf_no-such-token-here").statusCode())
                .isEqualTo(401);

        assertThat(include("1.0").statusCode()).isEqualTo(200);
        assertThat(include("0.9").statusCode()).isEqualTo(409); // older than the published one: refused
        assertThat(get(base + "/api/v1/health", null).statusCode()).isEqualTo(200);
        assertThat(get(base + "/trunk/dists/noble/InRelease", null).statusCode())
                .isEqualTo(200);

        HttpResponse<String> m = get(base + "/metrics", admin);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String s = m.body();
        assertThat(s)
                .contains("ppaforge_uploads_total{result=\"accepted\",via=\"api\"} 1.0")
                .contains("ppaforge_uploads_total{result=\"refused\",via=\"api\"} 1.0")
                .contains(
                        "http_server_requests_seconds_count{method=\"POST\",route=\"/api/v1/archives/{archive}/include\",status=\"200\"} 1")
                .contains(
                        "http_server_requests_seconds_count{method=\"GET\",route=\"/{archive}/dists\",status=\"200\"} 1")
                .contains("ppaforge_publish_seconds_count{archive=\"trunk\"}")
                .contains("ppaforge_builds{state=\"waiting\"}")
                .contains("ppaforge_builds_oldest_age_seconds{state=\"waiting\"}")
                .contains("jvm_memory_used_bytes");

        // Whatever paths clients send, the routes stay a few templates: no series per path.
        long before = seriesCount(s, "http_server_requests_seconds_count");
        for (int i = 0; i < 50; i++) {
            get(base + "/random-" + i + "/x%20y", null);
            get(base + "/api/v1/nothing-" + i, null);
            get(base + "/trunk/pool/main/t/tool/missing-" + i + ".deb", null);
        }
        String after = get(base + "/metrics", admin).body();
        assertThat(seriesCount(after, "http_server_requests_seconds_count")).isLessThanOrEqualTo(before + 4);
        assertThat(after).doesNotContain("random-").doesNotContain("nothing-").doesNotContain("missing-");

        // No archive can take the path: /metrics is the server's own.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ppa.createArchive()
                        .name("metrics")
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call())
                .hasMessageContaining("reserved");

        // The metrics port answers without a token, and nothing else.
        String mport = "http://127.0.0.1:" + metricsServer.port();
        HttpResponse<String> open = get(mport + "/metrics", null);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).contains("ppaforge_uploads_total");
        assertThat(get(mport + "/trunk/dists/noble/InRelease", null).statusCode())
                .isEqualTo(404);
        assertThat(get(mport + "/api/v1/archives", null).statusCode()).isEqualTo(404);
    }

    @Test
    void readinessSaysWhatFails() throws Exception {
        HttpResponse<String> ok = get(base + "/api/v1/ready", null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode j = Api.JSON.readTree(ok.body());
        assertThat(j.get("ready").asBoolean()).isTrue();
        assertThat(j.get("checks").get("database").asText()).isEqualTo("ok");
        assertThat(j.get("checks").get("blobs").asText()).isEqualTo("ok");

        // The pool's place taken by a file: the pool cannot take blobs, the server is not ready (but alive).
        Path pool = ((org.ppaforge.archive.blob.FileBlobStore) ppa.blobs()).root();
        Path moved = work.resolve("pool-moved");
        Files.move(pool, moved);
        Files.writeString(pool, "not a directory");
        try {
            HttpResponse<String> bad = get(base + "/api/v1/ready", null);
            assertThat(bad.statusCode()).isEqualTo(503);
            JsonNode b = Api.JSON.readTree(bad.body());
            assertThat(b.get("ready").asBoolean()).isFalse();
            assertThat(b.get("checks").get("blobs").asText()).isNotEqualTo("ok");
            assertThat(b.get("checks").get("database").asText()).isEqualTo("ok");
            assertThat(get(base + "/api/v1/health", null).statusCode()).isEqualTo(200);
        } finally {
            Files.delete(pool);
            Files.move(moved, pool);
        }
        assertThat(get(base + "/api/v1/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRealPrometheusScrapesBothEndpoints() throws Exception {
        assertThat(Path.of("/usr/bin/prometheus"))
                .as("Debian's prometheus (apt-get install prometheus)")
                .exists();
        assertThat(include("1.0").statusCode()).isEqualTo(200);
        Path token = work.resolve("token");
        Files.writeString(token, admin);
        Path wrong = work.resolve("wrong");
        Files.writeString(wrong, "ppf_a-wrong-token-for-the-test");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = work.resolve("prometheus.yml");
        Files.writeString(
                config,
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                        + "  - job_name: main\n    authorization:\n      credentials_file: " + token + "\n"
                        + "    static_configs:\n      - targets: ['127.0.0.1:" + server.port() + "']\n"
                        + "  - job_name: wrong\n    authorization:\n      credentials_file: " + wrong + "\n"
                        + "    static_configs:\n      - targets: ['127.0.0.1:" + server.port() + "']\n"
                        + "  - job_name: port\n"
                        + "    static_configs:\n      - targets: ['127.0.0.1:" + metricsServer.port() + "']\n");
        Process p = new ProcessBuilder(
                        "/usr/bin/prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + work.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .start();
        try {
            String prom = "http://127.0.0.1:" + port;
            JsonNode up = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                try {
                    up = query(prom, "up");
                    if (up.size() == 3) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            assertThat(up).as(Files.readString(work.resolve("prometheus.log"))).isNotNull();
            assertThat(up.size()).isEqualTo(3);
            for (JsonNode r : up) {
                String job = r.get("metric").get("job").asText();
                assertThat(r.get("value").get(1).asText()).as(job).isEqualTo(job.equals("wrong") ? "0" : "1");
            }
            JsonNode accepted = query(prom, "ppaforge_uploads_total{via=\"api\",result=\"accepted\"}");
            assertThat(accepted.size()).isEqualTo(2); // main and port: the same server's counter
            for (JsonNode r : accepted) {
                assertThat(r.get("value").get(1).asText()).isEqualTo("1");
            }
            assertThat(query(prom, "ppaforge_builds{state=\"waiting\",job=\"main\"}")
                            .size())
                    .isEqualTo(1);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private JsonNode query(String prom, String q) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                prom + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new java.io.IOException("prometheus answered " + r.statusCode() + ": " + r.body());
        }
        return Api.JSON.readTree(r.body()).get("data").get("result");
    }
}
