package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.CompleteBuild;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * The memory findings, each against a real {@code ppa serve} process with bin/ppa's 1 GiB heap, while a client asks
 * for the health check and apt's InRelease five times a second: a 129 MB lcov upload, four anonymous reads at once of a
 * build whose log is 64 MiB, a .deb of long names, relation fields apt cannot parse. Each gets its 4xx (or its pages),
 * health and apt answer within 5 s throughout, and afterwards apt-get update reads the archive. On the old code the
 * lcov upload held the heap for a minute and answered 500, the log reads answered 500 out of memory, and the long
 * names made every later publish fail.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileFindingsTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void theMemoryFindingsLeaveHealthAndAptAnswering() throws Exception {
        String token;
        long buildId;
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
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
            builds.createChroot()
                    .series("noble")
                    .architecture("amd64")
                    .tarball(Files.writeString(work.resolve("c.tar.zst"), "x"))
                    .call();
            ppa.include()
                    .archive("trunk")
                    .series("noble")
                    .files(List.of(SourcePackages.buildSourceUpload(
                            Files.createDirectories(work.resolve("src")), "tool", "1.0", "1", "noble")))
                    .call();
            var lease = builds.lease()
                    .worker("w1")
                    .architectures(List.of("amd64"))
                    .call()
                    .orElseThrow();
            buildId = lease.build().id();
            String mib = "a build log line that goes on and on and on, as build logs do ........................\n"
                    .repeat(11_916);
            for (int i = 0; i < 64; i++) {
                builds.logs().append(buildId, mib);
            }
            builds.complete()
                    .build(buildId)
                    .worker("w1")
                    .outcome(CompleteBuild.Outcome.FAILED)
                    .message("x")
                    .call();
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--port",
                "0",
                "--workers",
                "0",
                "--data-dir",
                data.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var out = PpaProcesses.output(server);
        StringBuilder seen = new StringBuilder();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> slow = new CopyOnWriteArrayList<>();
        AtomicLong worst = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Matcher url = PpaProcesses.waitFor(out, "ppaforge serving .* at (http://127\\.0\\.0\\.1:\\d+)/$", seen);
            assertThat(url).as(seen.toString()).isNotNull();
            String base = url.group(1);
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // the server's request log
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            drain.setDaemon(true);
            drain.start();
            Thread watch = new Thread(() -> {
                while (!stop.get()) {
                    for (String path : List.of("/api/v1/health", "/trunk/dists/noble/InRelease")) {
                        long t0 = System.nanoTime();
                        try {
                            int status = http.send(
                                            HttpRequest.newBuilder(URI.create(base + path))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            worst.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                            if (status != 200) {
                                slow.add(path + ": " + status);
                            }
                        } catch (Exception e) {
                            slow.add(path + ": " + e + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watch.setDaemon(true);
            watch.start();

            // 129 MB of lcov: refused at the record limit, a 400 naming it, in bounded memory.
            Path lcov = work.resolve("huge.info");
            try (BufferedWriter w = Files.newBufferedWriter(lcov)) {
                w.write("SF:src/a.c\n");
                for (int i = 1; i <= 17_000_000; i++) {
                    w.write("DA:");
                    w.write(Integer.toString(i % 1000 + 1));
                    w.write(",1\n");
                }
                w.write("end_of_record\n");
            }
            assertThat(Files.size(lcov)).isGreaterThan(129_000_000L);
            long lcovStart = System.nanoTime();
            HttpResponse<String> coverage =
                    post(http, base + "/api/v1/coverage/huge/0123abcd?archive=trunk", token, lcov);
            System.out.printf(
                    "findings: %d MB lcov refused after %.1f s%n",
                    Files.size(lcov) / 1_000_000, (System.nanoTime() - lcovStart) / 1e9);
            assertThat(coverage.statusCode()).as(coverage.body()).isEqualTo(400);
            assertThat(coverage.body()).contains("line records");

            // Four anonymous readers of a 64 MiB log at once: each gets a page.
            List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reads.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/builds/" + buildId + "/log"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long readStart = System.nanoTime();
            for (var r : reads) {
                HttpResponse<String> page = r.get(60, TimeUnit.SECONDS);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body().length())
                        .as("one page of JSON-escaped text")
                        .isBetween(1 << 19, (1 << 20) * 11 / 10);
            }
            System.out.printf(
                    "findings: four 1 MiB pages of a 64 MiB log in %.2f s%n", (System.nanoTime() - readStart) / 1e9);
            // The build page shows the log's end.
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/+builds/" + buildId))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);

            // Long names and relation fields apt cannot parse: 400, and the archive publishes and reads on.
            Path longNames = Files.write(
                    work.resolve("longnames_1.0_all.deb"),
                    new DebWriter(Deb822Reader.parseSingle(
                                    "Package: longnames\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@example.org>\nDescription: d\n",
                                    "t"))
                            .file("usr/share/" + "n".repeat(5000), new byte[1])
                            .toBytes());
            Path relations = Files.write(
                    work.resolve("evil_1.0_all.deb"),
                    new DebWriter(Deb822Reader.parseSingle(
                                    "Package: evil\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@example.org>\nDepends: libc6 (>= 2.0), evil (<< 1.0\n"
                                            + "Description: d\n",
                                    "t"))
                            .file("usr/share/doc/evil/x", new byte[1])
                            .toBytes());
            for (Path deb : List.of(longNames, relations)) {
                HttpResponse<String> r = post(http, base + "/api/v1/archives/trunk/include?series=noble", token, deb);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            }
            HttpResponse<String> publish = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/archives/trunk/publish"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(publish.statusCode()).as(publish.body()).isEqualTo(200);
            Thread.sleep(1000);
            stop.set(true);
            try (Forge forge = Forge.open(ForgeConfig.of(data))) {
                Ppaforge ppa = forge.archive();
                AptClient apt = new AptClient(
                        work.resolve("apt"),
                        ppa.aptSources().archive("trunk").url(base).call());
                apt.update().orFail("apt-get update");
                assertThat(apt.policy("hello")).contains("Candidate: 1.0");
            }
            System.out.printf("findings: slowest health or InRelease answer meanwhile: %d ms%n", worst.get());
            assertThat(slow)
                    .as("health and InRelease, every 200 ms, each within 5 s")
                    .isEmpty();
            assertThat(server.isAlive()).isTrue();
        } finally {
            stop.set(true);
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String token, Path file) throws Exception {
        String boundary = "b" + System.nanoTime();
        var body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(
                        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                                + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                        StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .timeout(Duration.ofMinutes(3))
                        .POST(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
