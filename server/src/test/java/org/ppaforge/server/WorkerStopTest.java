package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.forge.Daemon;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * An idle server stops at once, not after its workers' 20 s waits for a lease: with its embedded worker as 'ppa serve'
 * runs it, and with another machine's worker polling.
 */
@Timeout(60)
class WorkerStopTest {
    @TempDir
    Path data;

    @Test
    void anIdleServerWithItsEmbeddedWorkerStopsWithinAFewSeconds() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start();
            Daemon daemon = new Daemon(forge, line -> {});
            daemon.start("http://127.0.0.1:" + server.port(), 1); // as 'ppa serve' starts them
            Thread.sleep(1500); // the embedded worker waits for a lease now
            long t0 = System.nanoTime();
            daemon.close(); // as 'ppa serve' stops them
            server.close();
            double stopped = (System.nanoTime() - t0) / 1e9;
            assertThat(stopped).as("seconds to stop").isLessThan(3.0);
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
