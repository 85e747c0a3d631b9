package org.ppaforge.qa.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tells a webhook what a rebuild run found: a JSON POST of its regressions and changes, retried (three attempts, 1 s and
 * 4 s apart) until the receiver answers 2xx. Returns what happened, for the run's log; never fails the run.
 */
final class Notifier {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));
    static long[] pauses = {1000, 4000};

    /** What a run tells its webhook. */
    record Message(
            String set,
            long run,
            List<RebuildResult> regressions,
            List<String> newlyFailing,
            List<String> newlyPassing) {}

    private Notifier() {}

    static String send(String url, Message m) throws InterruptedException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            return "webhook: cannot write the message: " + e.getMessage();
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String last = null;
        for (int attempt = 0; attempt <= pauses.length; attempt++) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .header("User-Agent", "ppaforge-rebuilds")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return "webhook: told " + url + (attempt == 0 ? "" : " (attempt " + (attempt + 1) + ")");
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException | IllegalArgumentException e) {
                last = e.getMessage();
            }
            if (attempt < pauses.length) {
                Thread.sleep(pauses[attempt]);
            }
        }
        return "webhook: " + url + " did not take the message after " + (pauses.length + 1) + " attempts (" + last
                + ")";
    }
}
