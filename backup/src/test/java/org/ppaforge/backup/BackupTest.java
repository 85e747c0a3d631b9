package org.ppaforge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.common.ForgeException;

/**
 * Backups of a data directory made here (two databases, a pool with a 3 MB blob, a secret key, a scratch area that is
 * made again) into directory targets: whole and incremental at once, encrypted, resumable, relocatable, verified,
 * restored and pruned.
 */
class BackupTest {
    static final char[] PASS = "correct horse battery staple".toCharArray();
    static final String SECRET = "-----BEGIN PGP PRIVATE KEY BLOCK----- very secret key material";

    @TempDir
    Path data;

    @TempDir
    Path targets;

    @BeforeEach
    void dataDirectory() throws Exception {
        sql(
                data.resolve("ppaforge.db"),
                "CREATE TABLE archive (id INTEGER PRIMARY KEY, name TEXT NOT NULL, private INTEGER, key BLOB)",
                "CREATE TABLE schema_version (version INTEGER)",
                "INSERT INTO schema_version VALUES (3)",
                "INSERT INTO archive (name, private, key) VALUES ('trunk', 0, NULL), ('hush-hush-archive', 1, X'00FF10')");
        sql(data.resolve("builds.db"), "CREATE TABLE build (id INTEGER PRIMARY KEY, log TEXT, score REAL)");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("builds.db"))) {
            c.setAutoCommit(false);
            try (var p = c.prepareStatement("INSERT INTO build (log, score) VALUES (?, ?)")) {
                for (int i = 0; i < 10_000; i++) {
                    p.setString(1, "build " + i + " of private-package-name");
                    p.setDouble(2, i / 4.0);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
        byte[] big = new byte[3 << 20];
        new Random(1).nextBytes(big);
        Files.createDirectories(data.resolve("pool/ab"));
        Files.write(data.resolve("pool/ab/big.deb"), big);
        Files.writeString(data.resolve("pool/ab/small.dsc"), "Source: hello\n");
        Files.createDirectories(data.resolve("keys"));
        Files.writeString(data.resolve("keys/trunk.sec"), SECRET);
        Files.writeString(data.resolve("empty"), "");
        Files.createDirectories(data.resolve("pipelines/testbeds/x"));
        Files.writeString(data.resolve("pipelines/testbeds/x/big"), "made again");
        Files.createDirectories(data.resolve("public/trunk"));
        Files.writeString(data.resolve("public/trunk/InRelease"), "published again");
        Files.writeString(data.resolve("serve.handoff"), "url=http://127.0.0.1:8080\ntoken=ppf_a-running-server-s\n");
    }

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String x : statements) {
                s.execute(x);
            }
        }
    }

    private static List<String> rows(Path db, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v))
                            .append('|');
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** The schema the modules' migrations would make, for restores. */
    private static void schema(Path dir) throws IOException {
        try {
            sql(
                    dir.resolve("ppaforge.db"),
                    "CREATE TABLE archive (id INTEGER PRIMARY KEY, name TEXT NOT NULL, private INTEGER, key BLOB)",
                    "CREATE TABLE schema_version (version INTEGER)",
                    "INSERT INTO schema_version VALUES (3)");
            sql(dir.resolve("builds.db"), "CREATE TABLE build (id INTEGER PRIMARY KEY, log TEXT, score REAL)");
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Test
    void everyBackupIsWholeAndCostsOnlyWhatChanged() throws Exception {
        Path t = targets.resolve("drive");
        Backups b = Backups.at(t, PASS);
        CreateBackup.Result first = b.create().dataDirectory(data).call();
        assertThat(first.snapshot().files())
                .extracting(Snapshot.FileEntry::path)
                .containsExactly("empty", "keys/trunk.sec", "pool/ab/big.deb", "pool/ab/small.dsc");
        assertThat(first.snapshot().tables())
                .extracting(x -> x.database() + ":" + x.table() + ":" + x.rows() + ":"
                        + x.chunks().size())
                .containsExactly(
                        "builds.db:build:10000:3", "ppaforge.db:archive:2:1", "ppaforge.db:schema_version:1:1");
        assertThat(first.objectsSent()).isEqualTo(8);

        // Nothing changed: nothing is sent but the snapshot.
        CreateBackup.Result second = b.create().dataDirectory(data).call();
        assertThat(second.objectsSent()).isZero();
        // One new file and one changed row: that file and that table chunk.
        Files.writeString(data.resolve("pool/ab/new.deb"), "new package");
        sql(data.resolve("builds.db"), "UPDATE build SET score = -1 WHERE id = 5000");
        CreateBackup.Result third = b.create().dataDirectory(data).call();
        assertThat(third.objectsSent()).isEqualTo(2);
        assertThat(b.list()).hasSize(3);
        // The same size, new content: the hash cache sees the new modification time and reads it again.
        Files.writeString(data.resolve("pool/ab/small.dsc"), "Source: hallo\n");
        assertThat(b.create().dataDirectory(data).call().objectsSent()).isEqualTo(1);
        // Without the caches every file and every table chunk is hashed again, and nothing is sent twice.
        Files.delete(data.resolve("cache/backup-hashes"));
        try (Stream<Path> s = Files.walk(data.resolve("cache/backup-chunks"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(5); // 3 + 1 + 1 table chunks
        }
        copyTree(data.resolve("cache/backup-chunks"), targets.resolve("chunks-then"));
        deleteTree(data.resolve("cache/backup-chunks"));
        assertThat(b.create().dataDirectory(data).call().objectsSent()).isZero();
        // A cache from before a change is only a miss: the changed chunk is hashed and sent.
        deleteTree(data.resolve("cache/backup-chunks"));
        copyTree(targets.resolve("chunks-then"), data.resolve("cache/backup-chunks"));
        sql(data.resolve("builds.db"), "UPDATE build SET score = -2 WHERE id = 5000");
        CreateBackup.Result afterChange = b.create().dataDirectory(data).call();
        assertThat(afterChange.objectsSent()).isEqualTo(1);
        sql(data.resolve("builds.db"), "UPDATE build SET score = -1 WHERE id = 5000");
        Files.writeString(data.resolve("pool/ab/small.dsc"), "Source: hello\n");

        // Nothing in the target is clear text: no key material, no private archive's name, no package name.
        for (String clear :
                List.of(SECRET.substring(0, 30), "hush-hush-archive", "private-package-name", "small.dsc")) {
            assertThat(anyFileContains(t, clear)).as(clear).isFalse();
        }
        assertThat(Files.readString(t.resolve("config")))
                .doesNotContain(data.toString())
                .contains("scrypt");

        // Restored into a new directory: the same files (the made-again ones left out) and the same rows.
        Path restored = targets.resolve("restored");
        RestoreBackup.Result r = b.restore()
                .backup(third.snapshot().id())
                .to(restored)
                .schema(BackupTest::schema)
                .call();
        assertThat(r.snapshot().id()).isEqualTo(third.snapshot().id());
        assertThat(Files.readAllBytes(restored.resolve("pool/ab/big.deb")))
                .isEqualTo(Files.readAllBytes(data.resolve("pool/ab/big.deb")));
        assertThat(Files.readString(restored.resolve("keys/trunk.sec"))).isEqualTo(SECRET);
        assertThat(Files.exists(restored.resolve("public"))).isFalse();
        assertThat(restored.resolve("serve.handoff")).doesNotExist(); // a running server's token: not kept
        assertThat(Files.exists(restored.resolve("pipelines/testbeds"))).isFalse();
        for (String q : List.of("SELECT * FROM archive ORDER BY id", "SELECT * FROM schema_version")) {
            assertThat(rows(restored.resolve("ppaforge.db"), q)).isEqualTo(rows(data.resolve("ppaforge.db"), q));
        }
        assertThat(rows(restored.resolve("builds.db"), "SELECT * FROM build ORDER BY id"))
                .isEqualTo(rows(data.resolve("builds.db"), "SELECT * FROM build ORDER BY id"));
        assertThatThrownBy(() ->
                        b.restore().to(restored).schema(BackupTest::schema).call())
                .hasMessageContaining("is not empty");

        assertThatThrownBy(() -> Backups.at(t, "wrong".toCharArray()).list())
                .isInstanceOf(ForgeException.class)
                .hasMessage("wrong passphrase for this backup target");
    }

    @Test
    void aKilledBackupIsResumedAndACopiedTargetWorksWhereverItIs() throws Exception {
        Path t = targets.resolve("drive");
        // The third pack write fails and every one after it, as a cut network would stop them.
        Backups failing = new Backups(new FailingTarget(new DirectoryTarget(t), 3), PASS);
        // One blob to a pack, so that the cut falls between packs.
        assertThatThrownBy(
                        () -> failing.create().dataDirectory(data).packSize(1).call())
                .hasMessageContaining("cut");
        Backups b = Backups.at(t, PASS);
        assertThat(b.list()).isEmpty(); // no snapshot: no backup
        // Packs written whole before the cut (and indexed): other threads went on meanwhile.
        long saved = Packs.load(b.target, b.keys(false)).locations().size();
        assertThat(saved).isBetween(2L, 7L);
        CreateBackup.Result resumed = b.create().dataDirectory(data).packSize(1).call();
        assertThat(resumed.objectsSent()).isEqualTo(8 - saved); // what was sent before the cut is not sent again

        // Copied with another tool to another place: a good target there.
        Path moved = targets.resolve("moved/elsewhere");
        copyTree(t, moved);
        Backups there = Backups.at(moved, PASS);
        assertThat(there.list())
                .extracting(Snapshot::id)
                .containsExactly(resumed.snapshot().id());
        assertThat(there.create().dataDirectory(data).call().objectsSent()).isZero();

        // 'ppa backup copy' sends only what the destination lacks, and a second copy nothing.
        Path cloud = targets.resolve("cloud");
        CopyBackups.Result c1 = b.copyTo(cloud).call();
        assertThat(c1.snapshotsCopied()).isEqualTo(1);
        assertThat(c1.objectsCopied()).isEqualTo(8);
        Files.writeString(data.resolve("pool/ab/new.deb"), "new package");
        b.create().dataDirectory(data).call();
        CopyBackups.Result c2 = b.copyTo(cloud).call();
        assertThat(c2.snapshotsCopied()).isEqualTo(1);
        assertThat(c2.objectsCopied()).isEqualTo(1);
        assertThat(Backups.at(cloud, PASS).verify().readData(true).call().ok()).isTrue();
        Backups other = Backups.at(targets.resolve("other"), "another pass".toCharArray());
        other.create().dataDirectory(data).call();
        assertThatThrownBy(() -> b.copyTo(targets.resolve("other")).call())
                .hasMessageContaining("holds backups of other keys");
    }

    @Test
    void verifyNamesADamagedOrMissingObjectAndTheBackupsThatNeedIt() throws Exception {
        Path t = targets.resolve("drive");
        Backups b = Backups.at(t, PASS);
        String id = b.create().dataDirectory(data).packSize(1).call().snapshot().id();
        assertThat(b.verify().readData(true).call().ok()).isTrue();
        List<Path> objects;
        try (Stream<Path> s = Files.walk(t.resolve("packs"))) {
            objects = s.filter(Files::isRegularFile).sorted().toList();
        }
        // One flipped byte in the middle of an object.
        Path damaged = objects.get(0);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 1;
        Files.write(damaged, bytes);
        assertThat(b.verify().call().ok()).isTrue(); // present; only reading finds it
        VerifyBackup.Result r = b.verify().readData(true).call();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.what())
                    .startsWith("damaged")
                    .contains(damaged.getFileName().toString());
            assertThat(p.backups()).containsExactly(id);
        });
        Files.delete(objects.get(1));
        assertThat(b.verify().call().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.what())
                        .isEqualTo("missing (packs/" + objects.get(1).getFileName() + " is gone)"));
    }

    @Test
    void pruneKeepsWhatThePolicySaysAndWhatItNeeds() throws Exception {
        Path t = targets.resolve("drive");
        Backups b = Backups.at(t, PASS);
        Instant day = Instant.parse("2026-11-01T03:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Files.deleteIfExists(data.resolve("pool/ab/day" + (i - 1) + ".deb")); // superseded, collected
            Files.writeString(data.resolve("pool/ab/day" + i + ".deb"), "package of day " + i);
            ids.add(b.create()
                    .dataDirectory(data)
                    .packSize(1)
                    .now(day.plusSeconds(86_400L * i))
                    .call()
                    .snapshot()
                    .id());
        }
        // A second backup on the last day: keep-daily keeps one per day, the newest.
        Files.writeString(data.resolve("pool/ab/late.deb"), "a late package");
        ids.add(b.create()
                .dataDirectory(data)
                .packSize(1)
                .now(day.plusSeconds(86_400L * 4 + 3600))
                .call()
                .snapshot()
                .id());
        PruneBackups.Result dry = b.prune().keep(0, 2, 0, 0).dryRun(true).call();
        assertThat(dry.kept()).containsExactly(ids.get(5), ids.get(3));
        assertThat(b.list()).hasSize(6);
        PruneBackups.Result r = b.prune().keep(0, 2, 0, 0).call();
        assertThat(r.forgotten()).containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(4));
        assertThat(r.objectsDeleted()).isEqualTo(1 + 1 + 1); // day0.deb, day1.deb, day2.deb; table chunks are shared
        assertThat(b.list()).extracting(Snapshot::id).containsExactly(ids.get(3), ids.get(5));
        assertThat(b.verify().readData(true).call().ok()).isTrue();
        Path restored = targets.resolve("restored");
        b.restore().backup(ids.get(3)).to(restored).schema(BackupTest::schema).call();
        assertThat(Files.readString(restored.resolve("pool/ab/day3.deb"))).isEqualTo("package of day 3");
        assertThat(restored.resolve("pool/ab/day2.deb")).doesNotExist();
        assertThatThrownBy(() -> b.prune().keep(0, 0, 0, 0).call()).hasMessageContaining("say what to keep");
        // While a backup runs (its lock is there), a prune is refused.
        Files.writeString(
                t.resolve("locks/20261201T000000Z-00000000"), Instant.now().toString());
        assertThatThrownBy(() -> b.prune().keep(1, 0, 0, 0).call()).hasMessageContaining("is running on this target");
    }

    @Test
    void smallFilesShareAPackAndAPruneRewritesAMostlyUnusedOne() throws Exception {
        Path t = targets.resolve("drive");
        Backups b = Backups.at(t, PASS);
        for (int i = 0; i < 40; i++) {
            Files.writeString(data.resolve("pool/ab/p" + i + ".deb"), "package " + i + " ".repeat(1000));
        }
        CreateBackup.Result first = b.create().dataDirectory(data).call();
        assertThat(first.objectsSent()).isEqualTo(8 + 40);
        assertThat(count(t.resolve("packs"))).isEqualTo(1); // 48 blobs, 3 MB: one pack
        for (int i = 0; i < 40; i++) {
            Files.delete(data.resolve("pool/ab/p" + i + ".deb")); // collected
        }
        Files.delete(data.resolve("pool/ab/big.deb"));
        String second = b.create().dataDirectory(data).call().snapshot().id();
        PruneBackups.Result r = b.prune().keep(1, 0, 0, 0).call();
        assertThat(r.objectsDeleted()).isEqualTo(41);
        assertThat(r.bytesFreed()).isGreaterThan(3 << 20);
        // The 7 blobs still needed were copied, sealed as they were, into a new pack; the old pack is gone.
        assertThat(count(t.resolve("packs"))).isEqualTo(1);
        assertThat(count(t.resolve("index"))).isEqualTo(1);
        assertThat(Files.size(Files.walk(t.resolve("packs"))
                        .filter(Files::isRegularFile)
                        .findFirst()
                        .orElseThrow()))
                .isLessThan(1 << 20);
        assertThat(b.verify().readData(true).call().ok()).isTrue();
        Path restored = targets.resolve("restored");
        b.restore().backup(second).to(restored).schema(BackupTest::schema).call();
        assertThat(Files.readString(restored.resolve("keys/trunk.sec"))).isEqualTo(SECRET);
        assertThat(b.create().dataDirectory(data).call().objectsSent()).isZero();
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Whether any file under {@code dir} holds {@code text} (bytes read as ISO-8859-1: one char per byte). */
    private static boolean anyFileContains(Path dir, String text) throws IOException {
        String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    /** A target whose n-th pack write fails, and every one after it (a cut network). */
    private static final class FailingTarget implements Target {
        private final Target inner;
        private int left;

        FailingTarget(Target inner, int n) {
            this.inner = inner;
            this.left = n;
        }

        @Override
        public boolean exists(String name) throws IOException {
            return inner.exists(name);
        }

        @Override
        public Set<String> list(String prefix) throws IOException {
            return inner.list(prefix);
        }

        @Override
        public InputStream open(String name) throws IOException {
            return inner.open(name);
        }

        @Override
        public void write(String name, Writer writer) throws IOException {
            if (name.startsWith("packs/") && --left <= 0) {
                inner.write(name, out -> {
                    out.write(1);
                    throw new IOException("network cut");
                });
            }
            inner.write(name, writer);
        }

        @Override
        public void delete(String name) throws IOException {
            inner.delete(name);
        }

        @Override
        public long size(String name) throws IOException {
            return inner.size(name);
        }
    }
}
