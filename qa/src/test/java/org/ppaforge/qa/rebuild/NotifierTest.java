package org.ppaforge.qa.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.qa.Qa;

/** The webhook is retried until it answers 2xx; the Atom feed lists the regressions, escaped. */
class NotifierTest {
    @Test
    void aWebhookThatFailsOnceGetsTheMessageOnTheRetry() throws Exception {
        long[] saved = Notifier.pauses;
        Notifier.pauses = new long[] {50, 50};
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        List<String> bodies = new ArrayList<>();
        hook.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 204, -1);
            ex.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            RebuildResult r = new RebuildResult(
                    3,
                    "smoke",
                    "1.1",
                    "1.1~rebuild20261202.3",
                    true,
                    7L,
                    "FAIL",
                    "FAIL",
                    "regression",
                    "1.0~rebuild20261201.1",
                    Instant.parse("2026-12-01T03:00:00Z"),
                    "autopkgtest exit 4",
                    "k",
                    Instant.now());
            String said =
                    Notifier.send(url, new Notifier.Message("nightly", 3, List.of(r), List.of("smoke"), List.of()));
            assertThat(said).isEqualTo("webhook: told " + url + " (attempt 2)");
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(1))
                    .contains("\"set\":\"nightly\"")
                    .contains("\"newlyFailing\":[\"smoke\"]")
                    .contains("\"lastGoodVersion\":\"1.0~rebuild20261201.1\"")
                    .contains("\"lastGoodAt\":\"2026-12-01T03:00:00Z\"");
            String down = Notifier.send(
                    "http://127.0.0.1:1/nothing", new Notifier.Message("nightly", 3, List.of(), List.of(), List.of()));
            assertThat(down)
                    .startsWith("webhook: http://127.0.0.1:1/nothing did not take the message after 3 attempts");
        } finally {
            hook.stop(0);
            Notifier.pauses = saved;
        }
    }

    @Test
    void theAtomFeedListsRegressionsEscaped(@TempDir Path data) {
        try (Ppaforge ppa = Ppaforge.open(data);
                Builds builds = Builds.open(ppa);
                Qa qa = Qa.open(ppa, builds)) {
            ppa.createArchive()
                    .name("src")
                    .series(List.of("sid"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.createArchive()
                    .name("out")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            qa.rebuilds()
                    .create(RebuildSetRequest.of("nightly", "src", List.of("smoke"), "out")
                            .withWebhook("http://127.0.0.1:9/hook"));
            long run = qa.store().rebuilds().startRun("nightly", Instant.now());
            qa.store()
                    .rebuilds()
                    .putResult(new RebuildResult(
                            run,
                            "smoke",
                            "1.1",
                            "1.1~rebuild20261202.1",
                            true,
                            7L,
                            "FAIL",
                            "FAIL",
                            "regression",
                            "1.0",
                            Instant.parse("2026-12-01T03:00:00Z"),
                            "test <b>broke</b> & more",
                            "k",
                            Instant.now()));
            qa.store().rebuilds().finishRun(run, "1 regression", Instant.now());
            String feed = qa.rebuilds().atom("nightly", "http://x/feed");
            assertThat(feed)
                    .startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                    .contains("<title>smoke 1.1~rebuild20261202.1: regression</title>")
                    .contains("test &lt;b&gt;broke&lt;/b&gt; &amp; more")
                    .contains("last good: 1.0");
            assertThat(qa.rebuilds().list().get(0).webhook()).isEqualTo("http://127.0.0.1:9/hook");
        }
    }
}
