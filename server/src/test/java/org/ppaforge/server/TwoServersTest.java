package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.common.testing.TestPostgres;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * Two servers on one PostgreSQL database and one bucket, each with a data directory of its own (nothing shared on disk):
 * writes through either, and apt reading InRelease from one server and the indices it names from the other, as a
 * round-robin DNS name makes it do, never meets a hash that does not match, during a stream of writes.
 */
@Timeout(300)
class TwoServersTest {
    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @TempDir
    Path work;

    private Forge a;
    private Forge b;
    private PpaServer serverA;
    private PpaServer serverB;
    private final HttpClient http = HttpClient.newHttpClient();

    private String database;

    @BeforeEach
    void start() throws Exception {
        database = TestPostgres.freshDatabase();
        String bucket = TestS3.freshBucket();
        a = Forge.open(ForgeConfig.of(dataA).withArchive(shared(dataA, database, bucket)));
        b = Forge.open(ForgeConfig.of(dataB).withArchive(shared(dataB, database, bucket)));
        serverA = new PpaServer(a, "127.0.0.1", 0).start();
        serverB = new PpaServer(b, "127.0.0.1", 0).start();
        a.archive()
                .createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
    }

    private static ArchiveSettings shared(Path data, String database, String bucket) {
        return ArchiveSettings.of(data)
                .withDatabase(database)
                .withBlobs(bucket)
                .withKeyPassphrase("both servers".toCharArray());
    }

    @AfterEach
    void stop() {
        serverA.close();
        serverB.close();
        a.close();
        b.close();
    }

    private String base(PpaServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    private HttpResponse<byte[]> get(PpaServer s, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base(s) + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static final Pattern SHA256_LINE = Pattern.compile("(?m)^ ([0-9a-f]{64}) +(\\d+) (\\S+)$");

    @Test
    void aptReadingInReleaseFromOneServerAndIndicesFromTheOtherNeverSeesAMismatch() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger checked = new AtomicInteger();
        List<String> mismatches = new ArrayList<>();
        try {
            Future<?> writes = pool.submit(() -> {
                Path dir = Files.createDirectories(work.resolve("debs"));
                for (int i = 0; i < 16; i++) {
                    Forge through = i % 2 == 0 ? a : b;
                    through.archive()
                            .include()
                            .archive("trunk")
                            .series("noble")
                            .files(List.of(TinyDebs.write(dir, "pkg" + i, "1.0", 300 + i)))
                            .call();
                }
                writing.set(false);
                return null;
            });
            Future<?> reads = pool.submit(() -> {
                while (writing.get() || checked.get() == 0) {
                    for (PpaServer[] pair : new PpaServer[][] {{serverA, serverB}, {serverB, serverA}}) {
                        HttpResponse<byte[]> inRelease = get(pair[0], "/trunk/dists/noble/InRelease");
                        if (inRelease.statusCode() != 200) {
                            continue; // nothing published yet
                        }
                        Matcher m = SHA256_LINE.matcher(
                                new String(inRelease.body(), StandardCharsets.UTF_8).split("SHA256:")[1]);
                        while (m.find()) {
                            String dir = m.group(3).contains("/")
                                    ? m.group(3).substring(0, m.group(3).lastIndexOf('/') + 1)
                                    : "";
                            // apt asks by hash (Acquire-By-Hash: yes): what the server that gave the InRelease
                            // serves by hash (compressed indices; Release also lists uncompressed ones), the other
                            // server must serve too, the same bytes.
                            String byHash = "/trunk/dists/noble/" + dir + "by-hash/SHA256/" + m.group(1);
                            if (get(pair[0], byHash).statusCode() != 200) {
                                continue;
                            }
                            HttpResponse<byte[]> index = get(pair[1], byHash);
                            if (index.statusCode() != 200
                                    || !sha256(index.body()).equals(m.group(1))) {
                                synchronized (mismatches) {
                                    mismatches.add(m.group(3) + ": " + index.statusCode());
                                }
                            }
                            checked.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            writes.get(240, TimeUnit.SECONDS);
            reads.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(mismatches).isEmpty();
        assertThat(checked.get()).isPositive();
        // Both answer with the bucket's bytes.
        assertThat(get(serverA, "/trunk/dists/noble/InRelease").body())
                .isEqualTo(get(serverB, "/trunk/dists/noble/InRelease").body());
        // And real apt, through each server, sees every package.
        for (PpaServer s : List.of(serverA, serverB)) {
            AptClient apt = new AptClient(
                    work.resolve("apt-" + s.port()),
                    a.archive().aptSources().archive("trunk").url(base(s)).call());
            apt.update().orFail("apt-get update through " + base(s));
            assertThat(apt.policy("pkg15")).contains("Candidate: 1.0");
            apt.run("apt-get", "download", "pkg0").orFail("apt-get download");
        }
        // Uncompressed indices stay out of the bucket (apt fetches the compressed ones); a server asked for one
        // decompresses the .gz, and gives what InRelease names.
        String bucketName = a.archive().settings().blobs().replaceAll("^s3://([^/]+)/.*", "$1");
        try (var s3 = org.ppaforge.archive.blob.S3BlobStore.client()) {
            var keys = s3
                    .listObjectsV2Paginator(r -> r.bucket(bucketName).prefix("ppaforge/public/trunk/dists/"))
                    .contents()
                    .stream()
                    .map(o -> o.key().substring("ppaforge/public/trunk/".length()))
                    .toList();
            assertThat(keys)
                    .contains("dists/noble/main/binary-amd64/Packages.xz", "dists/noble/main/binary-amd64/Packages.gz")
                    .doesNotContain("dists/noble/main/binary-amd64/Packages", "dists/noble/main/source/Sources");
        }
        byte[] packages =
                get(serverB, "/trunk/dists/noble/main/binary-amd64/Packages").body();
        String named = new String(get(serverA, "/trunk/dists/noble/InRelease").body(), StandardCharsets.UTF_8);
        assertThat(named)
                .containsPattern(org.ppaforge.debian.checksum.Checksums.of(packages)
                                .sha256() + " +" + packages.length + " main/binary-amd64/Packages\n");
        // The shared database's pool is watched (HikariCP's meters).
        assertThat(a.metrics().scrape(org.ppaforge.archive.Caller.OPERATOR))
                .contains("hikaricp_connections_active{pool=\"ppaforge\"}");
        // Neither data directory holds the pool: the blobs are in the bucket, local copies only in the cache.
        assertThat(dataA.resolve("pool")).doesNotExist();
        assertThat(dataB.resolve("pool")).doesNotExist();
    }

    /**
     * A web session made on one server works on the other (the next request may go to either), ends on both when the
     * visitor signs out on either, and the database holds neither the cookie nor the token.
     */
    @Test
    void aWebSessionMadeOnOneServerWorksOnTheOther() throws Exception {
        String admin =
                a.archive().createToken().name("root").role("admin").call().secret();
        String cookie = http.send(
                        HttpRequest.newBuilder(URI.create(base(serverA) + "/+signin"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("token=" + admin))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow()
                .split(";")[0];
        for (PpaServer s : List.of(serverA, serverB)) {
            assertThat(page(s, cookie)).contains("id=\"signed-in-as\">root<");
        }
        String id = cookie.substring(cookie.indexOf('=') + 1);
        StringBuilder rows = new StringBuilder();
        try (var c = java.sql.DriverManager.getConnection(
                        TestPostgres.server().jdbc(database.substring(database.lastIndexOf('/') + 1)), "ppaforge", "");
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT * FROM web_session")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    rows.append(rs.getString(i)).append('\n');
                }
            }
        }
        assertThat(rows.toString()).contains("root").doesNotContain(id).doesNotContain(admin);
        // Signed out on B: over on A too.
        String csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(page(serverB, cookie))
                .results()
                .findFirst()
                .orElseThrow()
                .group(1);
        http.send(
                HttpRequest.newBuilder(URI.create(base(serverB) + "/+signout"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", cookie)
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page(serverA, cookie)).doesNotContain("signed-in-as").contains("id=\"sign-in-link\"");
    }

    private String page(PpaServer s, String cookie) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base(s) + "/"))
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
