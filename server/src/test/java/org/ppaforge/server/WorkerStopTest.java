package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.debian.testing.SourcePackages;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.sbuild.Tools;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Daemon;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * An idle server stops at once, not after its workers' 20 s waits for a lease: with its embedded worker as 'ppa serve'
 * runs it, and with another machine's worker polling. A server stopped while its embedded worker builds stops sbuild
 * (its whole process tree) and gives the build back to the queue at once, rather than leaving it held until its lease
 * runs out.
 */
@Timeout(240)
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

    @Test
    void aServerStoppedMidBuildStopsSbuildAndGivesTheBuildBack() throws Exception {
        Path work = Files.createDirectories(data.resolve("work"));
        try (Forge forge = Forge.open(ForgeConfig.of(data.resolve("data")))) {
            forge.archive()
                    .createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of(Tools.hostArchitecture()))
                    .call();
            forge.farm()
                    .createChroot()
                    .series("bookworm")
                    .architecture(Tools.hostArchitecture())
                    .tarball(TestChroots.bookworm())
                    .call();
            SourcePackages.buildSourceUpload(work, "stopme", "1.0", "1", "bookworm");
            forge.archive()
                    .include()
                    .archive("trunk")
                    .series("bookworm")
                    .files(List.of(work.resolve("stopme_1.0-1.dsc")))
                    .call();
            Build queued = forge.farm().list().archive("trunk").call().get(0);
            PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start();
            List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
            Daemon daemon = new Daemon(forge, line -> {
                said.add(java.time.Instant.now() + " " + line);
            });
            daemon.start("http://127.0.0.1:" + server.port(), 1);
            // Wait until sbuild runs the build (its command line is in the log).
            long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!(forge.farm().show().id(queued.id()).call().state() == BuildState.BUILDING
                    && logSoFar(forge, queued.id()).contains("sbuild"))) {
                assertThat(System.nanoTime()).as("sbuild started within 120 s").isLessThan(until);
                Thread.sleep(200);
            }
            Thread.sleep(2000); // sbuild is under way
            long t0 = System.nanoTime();
            said.add(java.time.Instant.now() + " closing the daemon");
            daemon.close();
            said.add(java.time.Instant.now() + " closed the daemon");
            server.close();
            double stopped = (System.nanoTime() - t0) / 1e9;
            Build after = forge.farm().show().id(queued.id()).call();
            assertThat(after.state())
                    .as(after + "\n" + String.join("\n", said) + "\n"
                            + forge.farm().logs().read(queued.id(), 0).text())
                    .isEqualTo(BuildState.WAITING);
            assertThat(after.worker()).isNull();
            assertThat(forge.farm().logs().read(queued.id(), 0).text())
                    .contains("the worker is stopping; build stopped and given back")
                    .contains("gave it back; it is queued again");
            assertThat(stopped).as("seconds to stop with a build running").isLessThan(15.0);
            // Nothing of the build outlives the server: no process of sbuild's tree for this build is left.
            String buildDir = data.resolve("data").toString();
            Thread.sleep(500);
            assertThat(ProcessHandle.allProcesses()
                            .filter(p -> p.info().commandLine().orElse("").contains(buildDir)))
                    .as("processes left")
                    .isEmpty();
        }
    }

    /** The build's log so far; empty before its worker sent the first of it. */
    private static String logSoFar(Forge forge, long id) {
        try {
            return forge.farm().logs().read(id, 0).text();
        } catch (org.ppaforge.common.ForgeException e) {
            return "";
        }
    }
}
