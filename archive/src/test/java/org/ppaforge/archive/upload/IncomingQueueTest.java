package org.ppaforge.archive.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveException;

/**
 * The incoming queue per uploader: one uploader's stray files neither count against another's limit nor replace its
 * files (on the old code the limit was the archive's: a stray file of one uploader gave the next uploader 413 for a
 * day), and stray files are swept after an hour.
 */
@Timeout(30)
class IncomingQueueTest {
    @TempDir
    Path root;

    private static ByteArrayInputStream bytes(int n) {
        return new ByteArrayInputStream(new byte[n]);
    }

    @Test
    void eachUploaderHasItsOwnQueueAndLimit() throws Exception {
        IncomingQueue q = new IncomingQueue(root);
        UploadLimits limits = new UploadLimits(1000, 1500);
        q.receive("trunk", "mallory", "big_1.0.orig.tar.gz", bytes(1000), 1000, limits);
        q.receive("trunk", "mallory", "big_1.0.dsc", bytes(400), 400, limits);
        assertThatThrownBy(() -> q.receive("trunk", "mallory", "more_1.0.dsc", bytes(200), 200, limits))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("Upload too large");
        // Another uploader: its own limit, its own files (same name, other content: mallory's stays as it was).
        q.receive("trunk", "alice", "big_1.0.dsc", bytes(900), 900, limits);
        assertThat(Files.size(q.directory("trunk", "alice").resolve("big_1.0.dsc")))
                .isEqualTo(900);
        assertThat(Files.size(q.directory("trunk", "mallory").resolve("big_1.0.dsc")))
                .isEqualTo(400);
        q.receive("trunk", "pipeline:my tool/../x", "p_1.0.dsc", bytes(1), 1, limits); // any name stays one directory
        assertThat(q.directory("trunk", "pipeline:my tool/../x").getFileName().toString())
                .isEqualTo("@pipeline%3Amy%20tool%2F..%2Fx");
        assertThat(q.uploaders("trunk")).containsExactly(null, "alice", "mallory", "pipeline:my tool/../x");
        assertThatThrownBy(() -> q.directory("trunk", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strayFilesAreSweptAfterAnHour() throws Exception {
        IncomingQueue q = new IncomingQueue(root);
        UploadLimits limits = new UploadLimits(1000, 1000);
        q.receive("trunk", "bob", "old_1.0.dsc", bytes(900), 900, limits);
        Files.setLastModifiedTime(
                q.directory("trunk", "bob").resolve("old_1.0.dsc"),
                FileTime.from(Instant.now().minus(Duration.ofMinutes(61))));
        q.receive(
                "trunk", "bob", "new_1.0.dsc", bytes(900), 900, limits); // would be over the limit with the stray file
        try (var list = Files.list(q.directory("trunk", "bob"))) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("new_1.0.dsc");
        }
    }
}
