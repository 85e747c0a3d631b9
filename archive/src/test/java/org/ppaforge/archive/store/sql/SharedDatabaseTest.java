package org.ppaforge.archive.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.common.testing.TestPostgres;

/**
 * Two archive cores on one PostgreSQL database, as two servers are: they open it together (the migrations run once),
 * write at the same time from several threads each, and both see and publish every write.
 */
@Timeout(300)
class SharedDatabaseTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void twoCoresOpenTogetherAndEveryIncludeThroughEitherIsPublishedOnceByBoth() throws Exception {
        String database = TestPostgres.freshDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Ppaforge> openA = pool.submit(() -> Ppaforge.open(
                    ArchiveSettings.of(data).withPublishRoot(work.resolve("a")).withDatabase(database)));
            Future<Ppaforge> openB = pool.submit(() -> Ppaforge.open(
                    ArchiveSettings.of(data).withPublishRoot(work.resolve("b")).withDatabase(database)));
            try (Ppaforge a = openA.get(60, TimeUnit.SECONDS);
                    Ppaforge b = openB.get(60, TimeUnit.SECONDS)) {
                a.createArchive()
                        .name("trunk")
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
                List<Future<?>> writes = new ArrayList<>();
                int threads = 3;
                int each = 6;
                for (Ppaforge server : List.of(a, b)) {
                    String who = server == a ? "a" : "b";
                    for (int t = 0; t < threads; t++) {
                        Path dir = Files.createDirectories(work.resolve("debs-" + who + t));
                        int thread = t;
                        writes.add(pool.submit(() -> {
                            for (int i = 0; i < each; i++) {
                                Path deb = TinyDebs.write(dir, "p-" + who + thread + "-" + i, "1.0", 200 + i);
                                server.include()
                                        .archive("trunk")
                                        .series("noble")
                                        .files(List.of(deb))
                                        .call();
                            }
                            return null;
                        }));
                    }
                }
                for (Future<?> w : writes) {
                    w.get(240, TimeUnit.SECONDS);
                }
                int expected = 2 * threads * each;
                assertThat(a.list().archive("trunk").call()).hasSize(expected);
                assertThat(b.list().archive("trunk").call()).hasSize(expected);
                a.publish().archive("trunk").call();
                b.publish().archive("trunk").call();
                for (String root : List.of("a", "b")) {
                    String packages = Files.readString(
                            work.resolve(root).resolve("trunk/dists/noble/main/binary-amd64/Packages"));
                    assertThat(packages.lines().filter(l -> l.startsWith("Package: ")))
                            .hasSize(expected)
                            .doesNotHaveDuplicates();
                }
            }
            try (Connection c = DriverManager.getConnection(
                            TestPostgres.server().jdbc(database.substring(database.lastIndexOf('/') + 1)),
                            "ppaforge",
                            "");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(PostgresMetadataStore.MIGRATIONS.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
