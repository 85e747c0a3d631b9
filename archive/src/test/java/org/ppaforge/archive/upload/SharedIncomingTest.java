package org.ppaforge.archive.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.common.testing.TestPostgres;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.control.ControlText;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.debian.testing.Tools;

/**
 * dput sends each file of an upload in a request of its own; behind a load balancer they reach different servers. Two
 * archive cores with data directories of their own on one PostgreSQL database and one bucket (s3proxy), as two
 * servers are: the files go to one, the .changes to the other, and the upload is accepted. The files stay the
 * uploader's own, count against its limit on every server, and survive garbage collection while the upload is in
 * progress.
 */
@Timeout(300)
class SharedIncomingTest {
    @TempDir
    Path work;

    private Ppaforge a;
    private Ppaforge b;
    private Path changes;
    private List<String> files;

    @BeforeEach
    void twoServers() throws Exception {
        String database = TestPostgres.freshDatabase();
        String bucket = TestS3.freshBucket();
        a = Ppaforge.open(settings(database, bucket, "a"));
        b = Ppaforge.open(settings(database, bucket, "b"));
        a.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64"))
                .call();
        Path gnupg = work.resolve("gnupg");
        Path key = Tools.gpgPublicKey(gnupg, "Pat <pat@example.org>", work.resolve("pat.asc"));
        a.addUploader().archive("trunk").key(Files.readAllBytes(key), "pat.asc").call();
        changes = SourcePackages.buildSourceUpload(
                Files.createDirectories(work.resolve("src")), "hello-split", "1.0", "1", "noble");
        Tools.debsign(gnupg, "Pat <pat@example.org>", changes);
        files = Changes.parse(ControlText.read(changes), changes.getFileName().toString()).files().stream()
                .map(f -> f.name())
                .toList();
        assertThat(files).hasSize(3); // .dsc, .orig.tar.gz, .debian.tar.xz
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private ArchiveSettings settings(String database, String bucket, String name) throws Exception {
        return ArchiveSettings.of(Files.createDirectories(work.resolve(name)))
                .withDatabase(database)
                .withBlobs(bucket)
                .withKeyPassphrase("the servers' passphrase".toCharArray());
    }

    private ReceiveResult send(Ppaforge server, String token, String name) throws Exception {
        Path f = changes.resolveSibling(name);
        try (InputStream in = Files.newInputStream(f)) {
            var r = server.receiveUpload()
                    .archive("trunk")
                    .file(name)
                    .content(in, Files.size(f))
                    .token(token)
                    .call();
            return new ReceiveResult(
                    r.processed() == null ? null : r.processed().summary());
        }
    }

    private record ReceiveResult(String processed) {}

    private long incomingRows() {
        return a.metadata().read(tx -> tx.incomingBlobs()).size();
    }

    @Test
    void theFilesReachOneServerAndTheChangesTheOther() throws Exception {
        for (String f : files) {
            assertThat(send(a, "pat", f).processed()).isNull();
        }
        assertThat(incomingRows()).isEqualTo(3);
        String accepted = send(b, "pat", changes.getFileName().toString()).processed();
        assertThat(accepted).startsWith("Accepted hello-split 1.0-1 into trunk/noble");
        assertThat(b.list().archive("trunk").call())
                .singleElement()
                .satisfies(e -> assertThat(e.source()).isEqualTo("hello-split"));
        assertThat(incomingRows()).as("an ended upload's rows go").isZero();
    }

    @Test
    void anotherUploadersFilesAreNotTheirs() throws Exception {
        for (String f : files) {
            send(a, "pat", f);
        }
        // The same signed .changes from another token: its queue holds none of the files.
        assertThatThrownBy(() -> send(b, "mallory", changes.getFileName().toString()))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("was not uploaded");
        assertThat(b.list().archive("trunk").call()).isEmpty();
        assertThat(send(b, "pat", changes.getFileName().toString()).processed()).startsWith("Accepted");
    }

    @Test
    void theLimitCountsWhatEveryServerReceived() throws Exception {
        b.close();
        long onA = 0;
        for (String f : files) {
            onA += Files.size(changes.resolveSibling(f));
        }
        String database = a.settings().database();
        String bucket = a.settings().blobs();
        b = Ppaforge.open(settings(database, bucket, "b").withUploadLimits(new UploadLimits(1 << 20, onA + 100)));
        for (String f : files) {
            send(a, "pat", f);
        }
        assertThatThrownBy(() -> b.receiveUpload()
                        .archive("trunk")
                        .file("extra_1.0.tar.gz")
                        .content(new ByteArrayInputStream(new byte[200]), 200)
                        .token("pat")
                        .call())
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("Upload too large");
    }

    @Test
    void garbageCollectionKeepsAnUploadInProgress() throws Exception {
        for (String f : files) {
            send(a, "pat", f);
        }
        var gc = b.collectGarbage().grace(Duration.ZERO).call();
        assertThat(gc.kept()).isGreaterThanOrEqualTo(3);
        assertThat(send(b, "pat", changes.getFileName().toString()).processed()).startsWith("Accepted");
    }
}
