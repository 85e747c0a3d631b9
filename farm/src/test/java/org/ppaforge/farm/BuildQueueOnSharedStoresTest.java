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
     * A worker's log lines sent to one server are read, live and after the build ended, through another; no server
     * keeps them as files (a server can be replaced by an empty one).
     */
    @Test
    @Timeout(120)
    void aBuildLogWrittenThroughOneServerIsReadThroughTheOther() throws Exception {
        upload("trunk", "tool", "1.0-1");
        Build b = builds.lease()
                .worker("w1")
                .architectures(List.of("amd64"))
                .call()
                .orElseThrow()
                .build();
        try (Ppaforge second = Ppaforge.open(ppa.settings().withPublishRoot(work.resolve("second-public")));
                Builds other = Builds.open(second)) {
            assertThat(builds.logs().append(b.id(), "first line through one server\n"))
                    .isTrue();
            assertThat(other.logs().append(b.id(), "second line through the other\n"))
                    .isTrue();
            assertThat(other.logs().read(b.id(), 0).text())
                    .contains("started on worker 'w1'")
                    .contains("first line through one server\nsecond line through the other\n");
            builds.complete()
                    .build(b.id())
                    .worker("w1")
                    .outcome(CompleteBuild.Outcome.FAILED)
                    .message("x")
                    .call();
            BuildLogs.Chunk ended = other.logs().read(b.id(), 0);
            assertThat(ended.complete()).isTrue();
            assertThat(ended.text()).contains("second line through the other").contains("ppaforge: failed");
            assertThat(other.logs().tail(b.id(), 3)).contains("ppaforge: failed");
        }
        assertThat(data.resolve("build-logs")).doesNotExist();
        assertThat(builds.logs().blobs()).hasSize(1); // the ended log, a gzip blob gc keeps
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
