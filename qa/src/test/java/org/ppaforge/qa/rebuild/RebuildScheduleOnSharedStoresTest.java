package org.ppaforge.qa.rebuild;

import java.nio.file.Path;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.common.testing.TestPostgres;

/** Every test of {@link RebuildScheduleTest} on the shared stores: the tables on a real PostgreSQL server, the pool in a real S3 API (s3proxy); a fresh database and bucket per test. */
class RebuildScheduleOnSharedStoresTest extends RebuildScheduleTest {
    private final String database = TestPostgres.freshDatabase();
    private final String bucket = TestS3.freshBucket();

    @Override
    ArchiveSettings settings(Path data) {
        // Signing keys live in the database there, only passphrase-protected.
        return super.settings(data)
                .withDatabase(database)
                .withBlobs(bucket)
                .withKeyPassphrase("shared stores".toCharArray());
    }
}
