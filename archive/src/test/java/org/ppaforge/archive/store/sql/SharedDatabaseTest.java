package org.ppaforge.archive.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.testing.TinyDebs;
import org.ppaforge.common.testing.TestPostgres;
import org.ppaforge.debian.testing.Tools;

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

    private ArchiveSettings settings(String database, String publishTo) {
        return ArchiveSettings.of(data)
                .withPublishRoot(work.resolve(publishTo))
                .withDatabase(database)
                .withKeyPassphrase("both servers know it".toCharArray());
    }

    /** gpgv, as apt runs it, finds a good signature by {@code key} on InRelease. */
    private void signedBy(ArchiveKey key, Path dist) throws Exception {
        Path asc = Files.writeString(work.resolve("key-" + System.nanoTime() + ".asc"), key.publicKey());
        Path keyring = asc.resolveSibling(asc.getFileName() + ".gpg");
        Tools.run(work, "gpg", "--batch", "--yes", "--output", keyring.toString(), "--dearmor", asc.toString())
                .orFail("gpg --dearmor");
        Tools.Result r = Tools.run(
                dist, null, List.of("gpgv", "--status-fd", "1", "--keyring", keyring.toString(), "InRelease"));
        assertThat(r.out()).as(r.err()).contains("VALIDSIG " + key.fingerprint());
    }

    /** A key without a passphrase would sit usable in every backup and replica of the database: refused. */
    @Test
    void anUnprotectedSigningKeyIsRefusedOnASharedDatabase() {
        try (Ppaforge a = Ppaforge.open(ArchiveSettings.of(data).withDatabase(TestPostgres.freshDatabase()))) {
            assertThatThrownBy(() -> a.createArchive()
                            .name("trunk")
                            .series(List.of("noble"))
                            .architectures(List.of("amd64"))
                            .call())
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageContaining("PPAFORGE_KEY_PASSPHRASE");
            Optional<Archive> left = a.metadata().read(tx -> tx.archive("trunk"));
            assertThat(left).isEmpty();
        }
        assertThat(data.resolve("keys")).doesNotExist();
    }

    @Test
    void twoCoresOpenTogetherAndEveryIncludeThroughEitherIsPublishedOnceByBoth() throws Exception {
        String database = TestPostgres.freshDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Ppaforge> openA = pool.submit(() -> Ppaforge.open(settings(database, "a")));
            Future<Ppaforge> openB = pool.submit(() -> Ppaforge.open(settings(database, "b")));
            try (Ppaforge a = openA.get(60, TimeUnit.SECONDS);
                    Ppaforge b = openB.get(60, TimeUnit.SECONDS)) {
                a.createArchive()
                        .name("trunk")
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
                // Made through a with the archive: its secret part is in the database, not in a's files.
                ArchiveKey key = a.metadata()
                        .read(tx -> tx.keys(tx.archive("trunk").orElseThrow().id()))
                        .get(0);
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
                    signedBy(key, work.resolve(root).resolve("trunk/dists/noble"));
                }
                assertThat(data.resolve("keys")).doesNotExist();
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
