package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * Clients that try to hold the server: slow bodies with and without a token, many at once from one address, paths
 * of thousands of characters. Reads (health, InRelease, the key) must keep answering, and nothing reaches the queue.
 */
class HostileClientTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    PpaServer server;
    String token;
    HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<Socket> sockets = new ArrayList<>();
    /** What the HTTP stack logs as a failed request (an exception a handler let out): none may happen. */
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    final Handler failed = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                failures.add(r.getMessage() + " " + r.getThrown());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(RealDebs.build(work, "hello", "1.0", "amd64", "xz")))
                .call();
        token = ppa.createToken()
                .name("ci")
                .role("uploader")
                .archive("trunk")
                .call()
                .secret();
        Logger.getLogger("io.undertow").addHandler(failed);
        // Short pace rules so the test sees a slow body cut off within seconds.
        server = new PpaServer(
                        forge,
                        "127.0.0.1",
                        0,
                        new PpaServer.Timeouts(
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(60),
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(2),
                                64 * 1024))
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        // What failed while the test's requests were answered; not what the shutdown itself logs (an exchange that ends
        // while its I/O thread is stopping is reported as "Thread is terminating", and its answer was already sent).
        Logger.getLogger("io.undertow").removeHandler(failed);
        List<String> seen = List.copyOf(failures);
        server.close();
        forge.close();
        assertThat(seen)
                .as("requests that failed with an exception in the server")
                .isEmpty();
    }

    /** A connection that sends a PUT's headers (a large Content-Length) and then the body one byte at a time. */
    private Socket slowPut(String path, String authorization) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        sockets.add(s);
        s.setSoTimeout(15_000);
        s.getOutputStream()
                .write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n"
                                + (authorization == null ? "" : "Authorization: Bearer " + authorization + "\r\n")
                                + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private void dribble(List<Socket> slow, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write('x');
                    } catch (Exception e) {
                        // closed by the server: what it should do
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private int read(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void slowUploadsWithAndWithoutATokenDoNotStopReads() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            slow.add(slowPut("/upload/trunk/slow" + i + ".dsc", null));
            slow.add(slowPut("/upload/trunk/held" + i + ".dsc", token));
        }
        AtomicBoolean stop = new AtomicBoolean();
        dribble(slow, stop);
        try {
            Thread.sleep(500);
            // 32 connections dribbling bodies: every read still answers (each within the client's 5 s timeout).
            for (int i = 0; i < 10; i++) {
                assertThat(read("/api/v1/health")).isEqualTo(200);
                assertThat(read("/trunk/dists/noble/InRelease")).isEqualTo(200);
                assertThat(read("/trunk/key.asc")).isEqualTo(200);
                assertThat(read("/api/v1/archives/trunk/packages")).isEqualTo(200);
            }
        } finally {
            stop.set(true);
        }
        // Anonymous: answered 401 before the body, or 429 when eight from this address were in flight already. With a
        // token:
        // its own threads, at most 16 at once per token, each cut off once it falls behind the pace.
        int anonymous = 0;
        int cut = 0;
        for (int i = 0; i < slow.size(); i++) {
            String answer = statusLine(slow.get(i).getInputStream());
            if (i % 2 == 0) {
                assertThat(answer).startsWith("HTTP/1.1 4").matches("HTTP/1.1 (401|429).*");
                anonymous++;
            } else {
                assertThat(answer)
                        .as("an upload with a token, cut off for its pace")
                        .isEmpty();
                cut++;
            }
        }
        assertThat(anonymous).isEqualTo(16);
        assertThat(cut).isEqualTo(16);
        assertThat(incoming()).isEmpty();
    }

    @Test
    void slowSignInFormsDoNotStopPagesOrReads() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            sockets.add(s);
            s.setSoTimeout(15_000);
            s.getOutputStream()
                    .write(
                            ("POST /+signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                            + "Content-Length: 500000\r\n\r\ntoken=")
                                    .getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        AtomicBoolean stop = new AtomicBoolean();
        dribble(slow, stop);
        try {
            Thread.sleep(500);
            for (int i = 0; i < 10; i++) {
                assertThat(read("/")).isEqualTo(200);
                assertThat(read("/trunk")).isEqualTo(200);
                assertThat(read("/trunk/dists/noble/InRelease")).isEqualTo(200);
            }
        } finally {
            stop.set(true);
        }
        // As for uploads: at most 8 forms at once from one address (429 for the rest), those cut off once behind the
        // pace.
        int tooMany = 0;
        int cut = 0;
        for (Socket s : slow) {
            String answer = statusLine(s.getInputStream());
            if (answer.startsWith("HTTP/1.1 429")) {
                tooMany++;
            } else if (answer.isEmpty()) {
                cut++;
            }
        }
        assertThat(tooMany).isEqualTo(24 - BodyGuard.PER_CLIENT);
        assertThat(cut).isEqualTo(BodyGuard.PER_CLIENT);
    }

    /**
     * Eight slow form posts from each of four addresses (the per-address limit, from 127.0.0.2 to .5) take every thread
     * anonymous bodies may have; an uploader's write and a worker's call, with their tokens, are answered at once all the
     * same. On the old code the 32 slow posts held all 32 body threads and the authenticated requests waited 30-40 s.
     */
    @Test
    void slowPostsFromManyAddressesLeaveThreadsForTokenHolders() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int a = 2; a <= 5; a++) {
            for (int i = 0; i < BodyGuard.PER_CLIENT; i++) {
                Socket s = new Socket(
                        InetAddress.getByName("127.0.0.1"), server.port(), InetAddress.getByName("127.0.0." + a), 0);
                sockets.add(s);
                s.setSoTimeout(15_000);
                s.getOutputStream()
                        .write(("POST /+signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                        + "application/x-www-form-urlencoded\r\nContent-Length: 500000\r\n\r\ntoken=")
                                .getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        dribble(slow, stop);
        String worker = ppa.createToken().name("w").role("worker").call().secret();
        try {
            Thread.sleep(500);
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> publish = http.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + server.port() + "/api/v1/archives/trunk/publish"))
                                .header("Authorization", "Bearer " + token)
                                .timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(publish.statusCode()).as(publish.body()).isEqualTo(200);
                HttpResponse<String> lease = http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/workers/lease"))
                                .header("Authorization", "Bearer " + worker)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"worker\": \"w\", \"architectures\": [\"amd64\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(lease.statusCode())
                        .as(lease.body())
                        .isIn(204, 404); // no build farm here: answered, not queued
                assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
            }
            // A further anonymous post from yet another address: 429 at once (all public threads are held).
            Socket extra = new Socket(
                    InetAddress.getByName("127.0.0.1"), server.port(), InetAddress.getByName("127.0.0.6"), 0);
            sockets.add(extra);
            extra.setSoTimeout(5000);
            extra.getOutputStream()
                    .write(("POST /+signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(extra.getInputStream())).startsWith("HTTP/1.1 429");
        } finally {
            stop.set(true);
        }
    }

    @Test
    void aStalledUploadIsCutOffAndLeavesNothing() throws Exception {
        Socket s = slowPut("/upload/trunk/stall_1.0.dsc", token);
        s.getOutputStream().write("only a little".getBytes(StandardCharsets.US_ASCII));
        long t0 = System.nanoTime();
        assertThat(statusLine(s.getInputStream())).isEmpty(); // closed: no answer can follow a body that never came
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        Thread.sleep(200);
        assertThat(incoming()).isEmpty();
        assertThat(read("/api/v1/health")).isEqualTo(200);
    }

    @Test
    void pathsOfThousandsOfCharactersGet414NotAStackOverflow() throws Exception {
        String deep = "/a".repeat(4500);
        for (String path : List.of(
                "/trunk/dists" + deep,
                "/trunk/pool/x" + "/b".repeat(4500),
                "/api/v1/archives" + deep,
                "/upload/trunk" + deep,
                "/" + "x".repeat(9000))) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path.substring(0, 20)).isEqualTo(414);
            assertThat(r.body()).contains("longer than 4096 characters");
        }
        // Just under the limit, a deep tree path is an ordinary 404.
        assertThat(read("/trunk/dists" + "/a".repeat(2000))).isEqualTo(404);
    }

    /** The first line of the answer, or "" when the server closed the connection without one. */
    private static String statusLine(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                sb.append((char) c);
            }
        } catch (SocketException e) {
            return sb.toString().strip();
        }
        return sb.toString().strip();
    }

    /** The queue, once the threads that read cut-off bodies have cleaned up (within a few seconds). */
    private List<String> incoming() throws Exception {
        long until = System.nanoTime() + 5_000_000_000L;
        List<String> files = queued();
        while (!files.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
            files = queued();
        }
        return files;
    }

    private List<String> queued() throws Exception {
        Path dir = data.resolve("incoming/trunk");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) { // every uploader's queue (incoming/trunk/@TOKEN/)
            return s.filter(p -> !Files.isDirectory(p))
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }
}
