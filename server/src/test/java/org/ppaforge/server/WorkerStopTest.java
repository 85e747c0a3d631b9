package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * An idle worker (as 'ppa serve' embeds one) stops at once, not after its 20 s wait for a lease, and so does a server
 * whose idle workers are waiting for leases.
 */
@Timeout(60)
class WorkerStopTest {
    @TempDir
    Path data;

    @Test
    void anIdleWorkerStopsWithinASecond() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data));
                PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
            Worker worker = new Worker(
                            "http://127.0.0.1:" + server.port(),
                            forge.archive().processToken().secret(),
                            "w1",
                            List.of("amd64"),
                            data.resolve("worker"))
                    .pollSeconds(20);
            Thread t = new Thread(worker, "worker");
            t.start();
            Thread.sleep(1500); // waiting for a lease now
            long t0 = System.nanoTime();
            worker.stopAndWait(Duration.ofSeconds(30));
            double stopped = (System.nanoTime() - t0) / 1e9;
            assertThat(t.isAlive()).isFalse();
            assertThat(stopped).as("seconds to stop").isLessThan(1.0);
        }
    }

    @Test
    void aServerWhoseWorkersWaitForLeasesStopsWithinAFewSeconds() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start();
            // Another machine's worker, which is not stopped: its long poll must not hold the server.
            Worker worker = new Worker(
                            "http://127.0.0.1:" + server.port(),
                            forge.archive().processToken().secret(),
                            "elsewhere",
                            List.of("amd64"),
                            data.resolve("worker"))
                    .pollSeconds(20);
            Thread t = new Thread(worker, "worker");
            t.setDaemon(true);
            t.start();
            Thread.sleep(1500);
            long t0 = System.nanoTime();
            server.close();
            double stopped = (System.nanoTime() - t0) / 1e9;
            assertThat(stopped).as("seconds to stop the server").isLessThan(3.0);
            worker.stopAndWait(Duration.ofSeconds(30));
        }
    }
}
