package org.ppaforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.common.testing.TestPostgres;
import org.ppaforge.farm.Builds;

/**
 * Every test of {@link PipelineRunTest} on the shared stores: the tables on a real PostgreSQL server, the pool in a real
 * S3 API (s3proxy); a fresh database and bucket per test.
 */
class PipelineRunOnSharedStoresTest extends PipelineRunTest {
    private final String database = TestPostgres.freshDatabase();
    private final String bucket = TestS3.freshBucket();

    @TempDir
    Path otherServer;

    @Override
    ArchiveSettings settings(Path data) {
        // Signing keys live in the database there, only passphrase-protected.
        return super.settings(data)
                .withDatabase(database)
                .withBlobs(bucket)
                .withKeyPassphrase("shared stores".toCharArray());
    }

    /**
     * A run's step logs and artifacts, made on one server, are shown by another that has none of its files (a server
     * replaced by an empty one, or the one that did not run the pipeline).
     */
    @Test
    @Timeout(300)
    void aFinishedRunsLogsAndArtifactsAreReadThroughAnotherServer() throws Exception {
        Pipeline p = pipeline("mytool", url);
        Run run = runOnce(p); // fails at upload (the key is no uploader yet): check wrote its log and artifact
        try (Ppaforge second = Ppaforge.open(settings(otherServer));
                Builds secondBuilds = Builds.open(second);
                Pipelines other = Pipelines.open(second, secondBuilds)) {
            assertThat(other.artifacts(run.id())).doesNotExist();
            assertThat(other.store().runFiles(run.id()))
                    .extracting(f -> f.kind() + " " + f.path())
                    .contains("log fetch.log", "log source.log", "artifact report.txt");
            assertThat(other.stepLog(run.id(), "fetch", 0).text()).contains("fetching main from " + url);
            assertThat(Files.readString(other.artifacts(run.id()).resolve("report.txt")))
                    .isEqualTo("mytool\n");
        }
    }
}
