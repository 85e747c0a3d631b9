package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.cli.ServeProcesses.Server;
import org.ppaforge.client.Clients;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.common.testing.TestPostgres;

/**
 * Two real {@code ppa serve} processes on one PostgreSQL database and one bucket (s3proxy), each with a data directory
 * of its own: 150 API includes and copies spread over both while apt-style reads check that what one server's InRelease
 * names the other serves; one server is killed (SIGKILL) midway, the other keeps answering and takes over its
 * background tasks; it is started again. At the end every acknowledged include is published exactly once and real apt
 * works through each server.
 */
@Timeout(600)
class SharedStoresServeTest {
    @TempDir
    Path dir;

    private final ServeProcesses processes = new ServeProcesses();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> env = processes.env;

    @AfterEach
    void stopAll() throws Exception {
        processes.close();
    }

    private String run(Path data, String... args) throws Exception {
        return processes.run(data, args);
    }

    private Server serve(Path data) throws Exception {
        return processes.serve(data, 0);
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return processes.get(url);
    }

    private double taskRuns(Server s, String task) throws Exception {
        return processes.taskRuns(s, task);
    }

    @Test
    void twoServersShareTheStoresAndOneSurvivesTheOthersDeath() throws Exception {
        env.putAll(TestS3.server().environment());
        env.put("PPAFORGE_DATABASE", TestPostgres.freshDatabase());
        env.put("PPAFORGE_BLOBS", TestS3.freshBucket());
        env.put("PPAFORGE_KEY_PASSPHRASE", "the servers' passphrase");
        env.put("HOME", dir.toString());
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        run(dataA, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64");
        run(dataA, "archive", "create", "release", "--series", "noble", "--arch", "amd64");
        String admin = run(dataA, "token", "create", "--name", "admin", "--role", "admin")
                .lines()
                .findFirst()
                .orElseThrow();
        String worker = run(dataA, "token", "create", "--name", "workers", "--role", "worker")
                .lines()
                .findFirst()
                .orElseThrow();
        Path tarball = Files.writeString(dir.resolve("noble.tar.zst"), "a build environment stand-in");
        run(dataA, "chroot", "create", "noble", "--arch", "amd64", "--tarball", tarball.toString());

        Server a = serve(dataA);
        Server b = serve(dataB); // A started first: it runs the singleton tasks (gc runs at once)
        long until = System.currentTimeMillis() + 30_000;
        while (taskRuns(a, "gc") == 0 && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        assertThat(taskRuns(a, "gc")).isEqualTo(1);
        assertThat(taskRuns(b, "gc")).as("one server runs gc").isZero();

        Path debs = Files.createDirectories(dir.resolve("debs"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger mismatches = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        Server[] servers = {a, b};
        ExecutorService pool = Executors.newFixedThreadPool(5);
        Future<?> reader = pool.submit(() -> {
            while (writing.get()) {
                for (int i = 0; i < 2; i++) {
                    try {
                        HttpResponse<byte[]> in = get(servers[i].url() + "/trunk/dists/noble/InRelease");
                        if (in.statusCode() != 200) {
                            continue;
                        }
                        Matcher m = java.util.regex.Pattern.compile(
                                        "(?m)^ ([0-9a-f]{64}) +\\d+ (main/binary-amd64/Packages\\.xz)$")
                                .matcher(new String(in.body(), StandardCharsets.UTF_8));
                        if (m.find()) {
                            HttpResponse<byte[]> xz = get(servers[1 - i].url()
                                    + "/trunk/dists/noble/main/binary-amd64/by-hash/SHA256/" + m.group(1));
                            checks.incrementAndGet();
                            if (xz.statusCode() != 200) {
                                mismatches.incrementAndGet();
                            }
                        }
                    } catch (java.io.IOException e) {
                        // a server being killed or started: the other one is checked
                    }
                }
            }
            return null;
        });
        // Phase 1: both alive. Phase 2: A killed; includes sent to A fail (not acknowledged). Phase 3: A back.
        includes(pool, servers, admin, debs, 0, 60, acknowledged);
        leaseEveryBuildOnce(servers, admin, worker);
        copy(b, admin, "pkg0");
        copy(a, admin, "pkg1");
        a.process().destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        includes(pool, servers, admin, debs, 60, 120, acknowledged);
        until = System.currentTimeMillis() + 60_000;
        while (taskRuns(b, "gc") == 0 && System.currentTimeMillis() < until) {
            Thread.sleep(500);
        }
        assertThat(taskRuns(b, "gc"))
                .as("B takes over gc within a minute of A's death; B said:\n" + processes.said(b))
                .isPositive();
        servers[0] = a = serve(dataA);
        includes(pool, servers, admin, debs, 120, 150, acknowledged);
        writing.set(false);
        reader.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(mismatches.get())
                .as("by-hash files named by the other server's InRelease, missing")
                .isZero();
        assertThat(checks.get()).isPositive();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(120); // 30 of the 60 in phase 2 went to the dead server
        for (Server s : servers) {
            String packages = new String(
                    get(s.url() + "/trunk/dists/noble/main/binary-amd64/Packages")
                            .body(),
                    StandardCharsets.UTF_8);
            List<String> names = packages.lines()
                    .filter(l -> l.startsWith("Package: "))
                    .map(l -> l.substring(9))
                    .toList();
            assertThat(names).doesNotHaveDuplicates().containsAll(acknowledged);
            String release = new String(
                    get(s.url() + "/release/dists/noble/main/binary-amd64/Packages")
                            .body(),
                    StandardCharsets.UTF_8);
            assertThat(release).contains("Package: pkg0\n").contains("Package: pkg1\n");
            AptClient apt = new AptClient(
                    dir.resolve("apt-" + s.url().replaceAll("\\D", "")),
                    Clients.http(new HttpTransport(s.url(), admin, null))
                            .archive()
                            .aptSources("trunk", s.url(), null, false, null));
            apt.update().orFail("apt-get update through " + s.url());
            assertThat(apt.policy("pkg149")).contains("Candidate: 1.0");
        }
    }

    private void includes(
            ExecutorService pool, Server[] servers, String admin, Path debs, int from, int to, Set<String> acknowledged)
            throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int n = i;
            Server s = servers[i % 2];
            done.add(pool.submit(() -> {
                Path deb = TinyDebs.write(debs, "pkg" + n, "1.0", 500 + n);
                try {
                    Clients.http(new HttpTransport(s.url(), admin, null))
                            .archive()
                            .include(
                                    new ArchiveRequests.Include("trunk", "noble", null, false, false),
                                    List.of(deb),
                                    null);
                    acknowledged.add("pkg" + n);
                } catch (Exception e) {
                    if (s.process().isAlive()) {
                        throw e; // only the dead server's includes may fail
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(300, TimeUnit.SECONDS);
        }
    }

    /**
     * Ten sources go in through both servers; eight workers, four asking each server, lease their builds: every build
     * is leased exactly once, whichever server a worker asked.
     */
    private void leaseEveryBuildOnce(Server[] servers, String admin, String worker) throws Exception {
        Path work = Files.createDirectories(dir.resolve("sources"));
        for (int i = 0; i < 10; i++) {
            Path changes = org.ppaforge.debian.testing.SourcePackages.buildSourceUpload(
                    Files.createDirectories(work.resolve("s" + i)), "src" + i, "1.0", "1", "noble");
            Clients.http(new HttpTransport(servers[i % 2].url(), admin, null))
                    .archive()
                    .include(new ArchiveRequests.Include("trunk", "noble", null, false, false), List.of(changes), null);
        }
        List<Long> leased = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        java.util.regex.Pattern id = java.util.regex.Pattern.compile("\"build\"\\s*:\\s*\\{\"id\"\\s*:\\s*(\\d+)");
        for (int w = 0; w < 8; w++) {
            Server s = servers[w % 2];
            String name = "worker-" + w;
            done.add(workers.submit(() -> {
                long until = System.currentTimeMillis() + 60_000;
                int idle = 0;
                while (System.currentTimeMillis() < until && (leased.size() < 10 || idle < 3)) {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/workers/lease"))
                                    .header("Authorization", "Bearer " + worker)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"worker\":\"" + name + "\",\"architectures\":[\"amd64\"],\"wait\":1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        Matcher m = id.matcher(r.body());
                        assertThat(m.find()).as(r.body()).isTrue();
                        leased.add(Long.parseLong(m.group(1)));
                        idle = 0;
                    } else {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
                        idle++;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        workers.shutdown();
        assertThat(leased).hasSize(10).doesNotHaveDuplicates();
    }

    private void copy(Server s, String admin, String source) {
        Clients.http(new HttpTransport(s.url(), admin, null))
                .archive()
                .copy(new ArchiveRequests.Copy(List.of(source), "trunk", "release", "noble", null, true));
    }
}
