package org.ppaforge.farm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.common.testing.TestPostgres;

/** Every test of {@link BuildQueueTest} on the shared stores: the tables on a real PostgreSQL server, the pool in a real S3 API (s3proxy); a fresh database and bucket per test. */
class BuildQueueOnSharedStoresTest extends BuildQueueTest {
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

    /**
     * Two servers' build queues on one database, eight workers asking at once: each build is leased exactly once
     * (the candidate row is taken FOR UPDATE SKIP LOCKED, and a build already leased is no longer waiting).
     */
    @Test
    @Timeout(300)
    void workersOfTwoServersLeaseEveryBuildExactlyOnce() throws Exception {
        int sources = 12;
        for (int i = 0; i < sources; i++) {
            upload("trunk", "pkg" + i, "1.0-1");
        }
        // The same settings (and the same test clock: another clock would expire the first server's leases).
        try (Ppaforge second = Ppaforge.open(ppa.settings().withPublishRoot(work.resolve("second-public")));
                Builds secondBuilds = Builds.open(second)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Long> leased = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                Builds queue = w % 2 == 0 ? builds : secondBuilds;
                String name = "worker-" + w;
                workers.add(pool.submit(() -> {
                    int idle = 0;
                    while (idle < 3) {
                        var lease = queue.lease()
                                .worker(name)
                                .architectures(List.of("amd64"))
                                .call();
                        if (lease.isPresent()) {
                            leased.add(lease.get().build().id());
                            idle = 0;
                        } else {
                            idle++;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(240, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(leased).hasSize(sources).doesNotHaveDuplicates();
        }
    }
}
