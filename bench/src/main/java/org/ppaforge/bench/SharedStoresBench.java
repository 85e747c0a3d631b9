package org.ppaforge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.blob.S3BlobStore;
import org.ppaforge.client.Clients;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.server.PpaServer;

/**
 * The shared stores (PostgreSQL + S3) next to the embedded default (SQLite + a pool directory), in one process:
 *
 * <ol>
 *   <li>bulk: N .debs included into a signed, published archive in one include;
 *   <li>add one: one more .deb and the republish, median of 5 (in-process, warm);
 *   <li>uploads: 200 small API includes into 8 archives from 8 clients, through one server and through two (round
 *       robin), as uploads per second;
 *   <li>apt reads: 16 readers fetching InRelease, Packages.xz and a .deb for 10 s through one server and two.
 * </ol>
 *
 * The PostgreSQL server is started by the script (bench/shared-stores.sh); the S3 API is s3proxy in this process, on
 * its filesystem back end (so S3's figures are those of a local object store, not of a remote one).
 *
 * <p>usage: SharedStoresBench DEBS_DIR POSTGRES_JDBC_BASE WORK_DIR (POSTGRES_JDBC_BASE: jdbc:postgresql://host:port/)
 */
public final class SharedStoresBench {
    private static final String PASSPHRASE = "bench";
    private static String pgBase;
    private static int databases;
    private static int buckets;

    private SharedStoresBench() {}

    public static void main(String[] args) throws Exception {
        Path debs = Path.of(args[0]);
        pgBase = args[1];
        Path work = Path.of(args[2]);
        S3Proxy s3 = startS3(work.resolve("s3"));
        try {
            List<Path> files;
            try (var l = Files.list(debs)) {
                files = l.sorted().toList();
            }
            System.out.printf(
                    "== %d .debs (%s), 2 cores; PostgreSQL %s, s3proxy (filesystem) on 127.0.0.1%n",
                    files.size(), debs, pgBase);
            double[] bulk = new double[2];
            double[] addOne = new double[2];
            for (int shared = 0; shared < 2; shared++) {
                ArchiveSettings settings = settings(work.resolve("bulk-" + shared), shared == 1);
                if (System.getenv("PPAFORGE_TIMINGS") != null) {
                    System.err.println(shared == 1 ? "-- PostgreSQL + S3" : "-- embedded");
                }
                try (Ppaforge ppa = Ppaforge.open(settings)) {
                    ppa.createArchive()
                            .name("trunk")
                            .series(List.of("noble"))
                            .architectures(List.of("amd64"))
                            .call();
                    long t0 = System.nanoTime();
                    ppa.include()
                            .archive("trunk")
                            .series("noble")
                            .files(List.of(debs))
                            .call();
                    bulk[shared] = (System.nanoTime() - t0) / 1e9;
                    if (System.getenv("PPAFORGE_TIMINGS") != null) {
                        System.err.printf("-- bulk: %.2f s%n", bulk[shared]);
                    }
                    List<Double> runs = new ArrayList<>();
                    Path one = Files.createDirectories(work.resolve("one-" + shared));
                    for (int i = 0; i < 7; i++) {
                        Path renamed = GenerateDebs.tiny("zz-bench-" + shared + "-" + i, one);
                        long t1 = System.nanoTime();
                        ppa.include()
                                .archive("trunk")
                                .series("noble")
                                .files(List.of(renamed))
                                .call();
                        if (i >= 2) {
                            runs.add((System.nanoTime() - t1) / 1e9);
                        }
                    }
                    Collections.sort(runs);
                    addOne[shared] = runs.get(runs.size() / 2);
                }
            }
            row("bulk include + signed publish", bulk[0], bulk[1], "<= 1.5x");
            double floor = System.getenv("BENCH_STORES_ONLY") != null ? Double.NaN : storeFloor(files);
            System.out.printf(
                    "  %-48s %8s    %8.2f s  (the shared bulk is %.2fx this; embedded + this: %.2f s)%n",
                    "  object store alone: N PUTs + N copies, 16 at once", "", floor, bulk[1] / floor, bulk[0] + floor);
            row("add one + republish (in-process, median of 5)", addOne[0], addOne[1], "<= 1.5x");
            if (System.getenv("BENCH_STORES_ONLY") != null) { // the rows above only (a profile of the stores)
                return;
            }

            // Uploads and reads through one server and through two, on the shared stores.
            String db = freshDatabase();
            String bucket = freshBucket();
            try (Forge a = Forge.open(ForgeConfig.of(work.resolve("server-a"))
                            .withArchive(shared(work.resolve("server-a"), db, bucket)));
                    Forge b = Forge.open(ForgeConfig.of(work.resolve("server-b"))
                            .withArchive(shared(work.resolve("server-b"), db, bucket)));
                    PpaServer sa = new PpaServer(a, "127.0.0.1", 0).start();
                    PpaServer sb = new PpaServer(b, "127.0.0.1", 0).start()) {
                String admin = a.archive()
                        .createToken()
                        .name("bench")
                        .role("admin")
                        .call()
                        .secret();
                for (int i = 0; i < 8; i++) {
                    a.archive()
                            .createArchive()
                            .name("team" + i)
                            .series(List.of("noble"))
                            .architectures(List.of("amd64"))
                            .call();
                }
                List<String> one = List.of("http://127.0.0.1:" + sa.port());
                List<String> two = List.of("http://127.0.0.1:" + sa.port(), "http://127.0.0.1:" + sb.port());
                Path small = Files.createDirectories(work.resolve("small"));
                uploads(one, admin, files, small, "warm-up", 40);
                long[] c0 = machineCpu();
                double u1 = uploads(one, admin, files, small, "one", 200);
                long[] c1 = machineCpu();
                double u2 = uploads(two, admin, files, small, "two", 200);
                long[] c2 = machineCpu();
                System.out.printf(
                        "  %-48s %8.1f /s  %8.1f /s  %5.2fx   (goal >= 1.6x; machine busy %.0f%% | %.0f%%)%n",
                        "uploads (8 archives, 8 clients): 1 server | 2", u1, u2, u2 / u1, busy(c0, c1), busy(c1, c2));
                double r1 = reads(one);
                long[] c3 = machineCpu();
                double r2 = reads(two);
                long[] c4 = machineCpu();
                System.out.printf(
                        "  %-48s %8.0f /s  %8.0f /s  %5.2fx   (machine busy %.0f%% | %.0f%%)%n",
                        "apt reads (16 readers): 1 server | 2", r1, r2, r2 / r1, busy(c2, c3), busy(c3, c4));
            }
        } finally {
            s3.stop();
        }
    }

    /** The machine's busy and total jiffies so far (/proc/stat's first line): every process, PostgreSQL too. */
    private static long[] machineCpu() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static double busy(long[] from, long[] to) {
        return 100.0 * (to[0] - from[0]) / Math.max(1, to[1] - from[1]);
    }

    /**
     * The object store's own floor for a bulk include: N small PUTs and N copies inside the bucket, 16 at once, with
     * nothing else running (each pool file is one PUT as a blob and one copy into the published tree).
     */
    private static double storeFloor(List<Path> files) throws Exception {
        String bucket = freshBucket().substring("s3://".length());
        String name = bucket.substring(0, bucket.indexOf('/'));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long t0 = System.nanoTime();
        try (var client = S3BlobStore.client()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                int k = i;
                done.add(pool.submit(() -> client.putObject(
                        r -> r.bucket(name).key("floor/" + k),
                        software.amazon.awssdk.core.sync.RequestBody.fromFile(files.get(k)))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            done.clear();
            for (int i = 0; i < files.size(); i++) {
                int k = i;
                done.add(pool.submit(() -> client.copyObject(r -> r.sourceBucket(name)
                        .sourceKey("floor/" + k)
                        .destinationBucket(name)
                        .destinationKey("copy/" + k))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void row(String what, double embedded, double shared, String goal) {
        System.out.printf(
                "  %-48s %8.2f s  %8.2f s  %5.2fx   (embedded | PostgreSQL+S3; goal %s)%n",
                what, embedded, shared, shared / embedded, goal);
    }

    /** With PPAFORGE_TIMINGS set, the include's and publish's own timings on stderr. */
    private static final org.ppaforge.archive.Diagnostics TIMINGS = new org.ppaforge.archive.Diagnostics() {
        @Override
        public void timing(String what, double seconds) {
            if (System.getenv("PPAFORGE_TIMINGS") != null) {
                System.err.printf("  (%s %.3f s)%n", what, seconds);
            }
        }
    };

    private static ArchiveSettings settings(Path dir, boolean shared) throws Exception {
        ArchiveSettings s = ArchiveSettings.of(dir)
                .withKeyPassphrase(PASSPHRASE.toCharArray())
                .withDiagnostics(TIMINGS);
        return shared ? s.withDatabase(freshDatabase()).withBlobs(freshBucket()) : s;
    }

    private static ArchiveSettings shared(Path dir, String db, String bucket) {
        return ArchiveSettings.of(dir)
                .withKeyPassphrase(PASSPHRASE.toCharArray())
                .withDatabase(db)
                .withBlobs(bucket);
    }

    private static double uploads(List<String> servers, String admin, List<Path> files, Path dir, String label, int n)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i;
            done.add(pool.submit(() -> {
                Path deb = GenerateDebs.tiny("up-" + label + "-" + k, dir);
                Clients.http(new HttpTransport(servers.get(k % servers.size()), admin, null))
                        .archive()
                        .include(
                                new ArchiveRequests.Include("team" + (k % 8), "noble", null, false, false),
                                List.of(deb),
                                null);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(600, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double reads(List<String> servers) throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        String pkg = new String(http.send(
                                HttpRequest.newBuilder(URI.create(
                                                servers.get(0) + "/team0/dists/noble/main/binary-amd64/Packages"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .body())
                .lines()
                .filter(l -> l.startsWith("Filename: "))
                .findFirst()
                .orElseThrow()
                .substring(10);
        List<String> paths = List.of(
                "/team0/dists/noble/InRelease", "/team0/dists/noble/main/binary-amd64/Packages.xz", "/team0/" + pkg);
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + 10_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int id = t;
            readers.add(pool.submit(() -> {
                int i = id;
                while (System.nanoTime() < end) {
                    String url = servers.get(i % servers.size()) + paths.get(i % paths.size());
                    HttpResponse<byte[]> r = http.send(
                            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(url + ": " + r.statusCode());
                    }
                    count.incrementAndGet();
                    i++;
                }
                return null;
            }));
        }
        for (Future<?> f : readers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return count.get() / 10.0;
    }

    private static String freshDatabase() throws Exception {
        String name = "bench" + (++databases);
        try (Connection c = DriverManager.getConnection(pgBase + "postgres", "ppaforge", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return pgBase.replace("jdbc:postgresql://", "postgresql://ppaforge@") + name;
    }

    private static String freshBucket() {
        String bucket = "bench-" + (++buckets);
        try (var client = S3BlobStore.client()) {
            client.createBucket(r -> r.bucket(bucket));
        }
        return "s3://" + bucket + "/ppaforge";
    }

    private static S3Proxy startS3(Path dir) throws Exception {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials("identity", "credential")
                .overrides(p)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret")
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(50);
        }
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + proxy.getPort());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "bench");
        System.setProperty("aws.secretAccessKey", "bench-secret");
        return proxy;
    }
}
