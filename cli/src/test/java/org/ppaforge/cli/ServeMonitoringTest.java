package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ppa serve --log-format json --metrics-port 0} as a real process: every line it prints is one JSON object
 * with time, level and message; the metrics port it names answers /metrics without a token; the main port's /metrics
 * wants an admin token; /api/v1/ready answers 200. A log format it does not know is refused before it starts.
 */
@Timeout(120)
class ServeMonitoringTest {
    @TempDir
    Path dir;

    @Test
    void jsonLogsAndAMetricsPort() throws Exception {
        Path data = dir.resolve("data");
        ProcessBuilder pb = PpaProcesses.ppa(
                data, "serve", "--port", "0", "--workers", "0", "--metrics-port", "0", "--log-format", "json");
        pb.environment().put("HOME", dir.toString());
        Process server = pb.start();
        try {
            BufferedReader out = PpaProcesses.output(server);
            ObjectMapper json = new ObjectMapper();
            String main = null;
            String metrics = null;
            StringBuilder seen = new StringBuilder();
            for (String line; (main == null || metrics == null) && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                JsonNode o = json.readTree(line); // every line is an object
                assertThat(o.get("time").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(o.get("level").asText()).as(line).isIn("info", "warning");
                String m = o.get("message").asText();
                if (m.matches("ppaforge serving .* at http://127\\.0\\.0\\.1:\\d+/")) {
                    main = m.substring(m.lastIndexOf(" at ") + 4, m.length() - 1);
                } else if (m.matches("\\s*metrics at http://127\\.0\\.0\\.1:\\d+/metrics")) {
                    metrics = m.strip().substring("metrics at ".length());
                }
            }
            assertThat(main).as(seen.toString()).isNotNull();
            assertThat(metrics).as(seen.toString()).isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> m = http.send(
                    HttpRequest.newBuilder(URI.create(metrics)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.body()).contains("ppaforge_builds{state=\"waiting\"}");
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(main + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> ready = http.send(
                    HttpRequest.newBuilder(URI.create(main + "/api/v1/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"ready\":true");
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void anUnknownLogFormatIsRefused() throws Exception {
        ProcessBuilder pb = PpaProcesses.ppa(dir.resolve("data"), "serve", "--port", "0", "--log-format", "xml");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err).contains("--log-format").contains("xml");
    }
}
