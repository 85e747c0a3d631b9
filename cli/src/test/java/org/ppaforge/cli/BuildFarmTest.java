package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.server.PpaServer;

/**
 * The build farm with real tools end to end: signed source-only uploads through real dput, sbuild in unshare mode on a
 * bookworm chroot made by mmdebstrap (cached outside the checkout; made here when missing), workers speaking the HTTP
 * API (in this process, and a `ppa worker` process killed with SIGKILL), and real apt fetching what was built. Few
 * builds, each a real one (about 30 s each here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildFarmTest {
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    PpaServer server;
    String base;
    SignedSources packager;
    String uploadToken;
    String workerToken;
    final List<Worker> workers = new ArrayList<>();
    final List<String> said = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data).withLeaseTime(Duration.ofSeconds(15)));
        ppa = forge.archive();
        builds = forge.farm();
        builds.onEvent(e -> said.add("build " + e.build().id() + " " + e.build().source() + ": " + e.to().label()));
        ppa.createArchive()
                .name("trunk")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        ppa.createArchive()
                .name("backports")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        // Private: the build's apt reaches it only with the read credential of its lease (never the worker's token).
        ppa.configureArchive().archive("backports").privateArchive(true).call();
        builds.setDependencies().archive("trunk").archives(List.of("backports")).call();
        packager = new SignedSources(work);
        byte[] key = packager.publicKey();
        ppa.addUploader().archive("trunk").key(key, "pat.asc").call();
        ppa.addUploader().archive("backports").key(key, "pat.asc").call();
        uploadToken = ppa.createToken().name("pat").role("uploader").call().secret();
        workerToken = ppa.createToken().name("builder").role("worker").call().secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
        builds.createChroot()
                .series("bookworm")
                .architecture("amd64")
                .tarball(TestChroots.bookworm())
                .call();
    }

    @AfterAll
    void stop() {
        workers.forEach(Worker::stop);
        server.close();
        forge.close();
    }

    private Worker startWorker(String name) {
        Worker w = new Worker(base, workerToken, name, List.of("amd64"), work.resolve("worker-" + name))
                .pollSeconds(2)
                .say(said::add);
        Thread t = new Thread(w, name);
        t.setDaemon(true);
        t.start();
        workers.add(w);
        return w;
    }

    private Path source(String name, String version, String buildDepends, boolean broken, int sleep)
            throws IOException {
        return packager.source(name, version, buildDepends, broken, sleep);
    }

    private void dput(Path changes) throws IOException {
        dput(changes, "trunk");
    }

    private void dput(Path changes, String archive) throws IOException {
        packager.dputOrFail(server.port(), archive, uploadToken, changes);
    }

    private Build build(String source) {
        return builds.list().source(source).call().get(0);
    }

    private Build await(String source, Predicate<Build> done) throws InterruptedException {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Build> bs = builds.list().source(source).call();
            if (!bs.isEmpty() && done.test(bs.get(0))) {
                return bs.get(0);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("build of " + source + " did not get there within " + BUILD_TIMEOUT + ": "
                + builds.list().source(source).call() + "\n" + String.join("\n", said));
    }

    private static Predicate<Build> in(BuildState state) {
        return b -> b.state() == state;
    }

    @Test
    @Order(1)
    void aSourceOnlyDputUploadIsBuiltAndAptInstallsWhatWasBuilt() throws Exception {
        startWorker("local-1");
        long accepted = System.nanoTime();
        dput(source("greeter", "1.0", null, false, 0));
        Build b = await("greeter", in(BuildState.BUILT));
        double seconds = (System.nanoTime() - accepted) / 1e9;
        System.out.printf("greeter: upload accepted -> binaries published in %.1f s%n", seconds);
        assertThat(b.archAll()).isTrue();
        assertThat(b.message()).contains("hello-greeter 1.0 (amd64)").contains("greeter-doc 1.0 (all)");
        String log = builds.logs().read(b.id(), 0).text();
        assertThat(log)
                .contains("--chroot-mode=unshare")
                .contains("Status: successful")
                .doesNotContain(workerToken)
                .containsPattern("fetching the chroot tarball \\(\\d+ MiB\\)"); // the worker's first build fetches it

        AptClient apt = new AptClient(
                work.resolve("apt"), ppa.aptSources().archive("trunk").url(base).call());
        apt.update().orFail("apt-get update");
        assertThat(apt.policy("hello-greeter")).contains("Candidate: 1.0");
        Tools.Result install = apt.run(
                "apt-get",
                "install",
                "-y",
                "--download-only",
                "-o",
                "Dir::Cache::archives=" + apt.dir().resolve("cache/archives"),
                "hello-greeter",
                "greeter-doc");
        assertThat(install.exit()).as(install.out() + install.err()).isZero();
        Path deb;
        try (var s = Files.list(apt.dir().resolve("cache/archives"))) {
            deb = s.filter(p -> p.getFileName().toString().startsWith("hello-greeter_1.0_amd64"))
                    .findFirst()
                    .orElseThrow();
        }
        Path root = work.resolve("installed");
        Tools.run(work, "dpkg-deb", "-x", deb.toString(), root.toString()).orFail("dpkg-deb -x");
        assertThat(Tools.run(work, root.resolve("usr/bin/hello-greeter").toString())
                        .orFail("hello-greeter")
                        .out())
                .isEqualTo("hello from greeter\n");
    }

    @Test
    @Order(2)
    void aFailingBuildEndsFailedWithTheEndOfItsLog() throws Exception {
        dput(source("broken", "1.0", null, true, 0));
        Build b = await("broken", in(BuildState.FAILED_TO_BUILD));
        assertThat(b.message()).contains("dh_missing");
        // The same worker's next build takes the chroot from its cache, by SHA-256: fetched once, kept once.
        assertThat(builds.logs().read(b.id(), 0).text()).doesNotContain("fetching the chroot tarball");
        try (var cached = Files.list(work.resolve("worker-local-1/chroots"))) {
            assertThat(cached.map(f -> f.getFileName().toString()))
                    .containsExactly(builds.listChroots().call().get(0).sha256() + ".tar.zst");
        }
        assertThat(ppa.list().archive("trunk").call())
                .filteredOn(e -> e.source().equals("broken"))
                .singleElement()
                .satisfies(e -> assertThat(e.binaries()).isEmpty());
    }

    @Test
    @Order(3)
    void aMissingBuildDependencyWaitsAndBuildsOnceItIsPublished() throws Exception {
        dput(source("needslib", "1.0", "libppaf-doc (>= 1.0)", false, 0));
        Build waiting = await("needslib", in(BuildState.DEPENDENCY_WAIT));
        assertThat(waiting.unmet()).isEqualTo("libppaf-doc (>= 1.0)");
        // trunk builds against backports too: publishing the missing package there retries the build, and sbuild
        // installs it from the private backports (an extra repository, fetched with the lease's own read credential).
        dput(source("libppaf", "1.0", null, false, 0), "backports");
        await("libppaf", in(BuildState.BUILT));
        // Nobody retries it: the publication of what it waits for queues it again by itself, and it builds.
        Build built = await("needslib", in(BuildState.BUILT));
        assertThat(built.attempts()).isEqualTo(2);
        assertThat(builds.logs().read(built.id(), 0).text())
                .contains("libppaf-doc")
                .contains("/backports bookworm main")
                .contains("://***@127.0.0.1")
                .doesNotContain(workerToken)
                .doesNotContain("ppf_build"); // blanked by the worker
    }

    @Test
    @Order(4)
    void aWorkerKilledMidBuildLosesItsLeaseAndAnotherFinishesTheBuild() throws Exception {
        for (Worker w : workers) {
            w.stopAndWait(Duration.ofSeconds(30));
        }
        Process killed = new ProcessBuilder(PpaProcesses.command(List.of(
                        "worker",
                        "--server",
                        base,
                        "--token",
                        workerToken,
                        "--name",
                        "doomed",
                        "--work-dir",
                        work.resolve("doomed").toString())))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("doomed.out").toFile())
                .start();
        try {
            dput(source("slow", "1.0", null, false, 25));
            await("slow", b -> b.state() == BuildState.BUILDING && "doomed".equals(b.worker()));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!builds.logs().read(build("slow").id(), 0).text().contains("sleeping")
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            List<ProcessHandle> children = killed.descendants().toList();
            killed.destroyForcibly().waitFor(); // SIGKILL: no goodbye
            children.forEach(ProcessHandle::destroyForcibly); // its sbuild, which would otherwise finish unseen
        } finally {
            killed.destroyForcibly();
        }
        startWorker("rescuer");
        Build b = await("slow", in(BuildState.BUILT));
        assertThat(b.worker()).isEqualTo("rescuer");
        assertThat(b.attempts()).isEqualTo(2);
        assertThat(builds.logs().read(b.id(), 0).text()).contains("worker 'doomed' stopped answering");
    }

    @Test
    @Order(5)
    void cancelReachesTheWorkerWhichStopsSbuild() throws Exception {
        dput(source("endless", "1.0", null, false, 600));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        await("endless", in(BuildState.BUILDING));
        while (!builds.logs().read(build("endless").id(), 0).text().contains("sleeping")
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        long asked = System.nanoTime();
        builds.cancel().id(build("endless").id()).call();
        Build b = await("endless", in(BuildState.CANCELLED));
        System.out.printf("cancel of a running build: cancelled after %.1f s%n", (System.nanoTime() - asked) / 1e9);
        assertThat(b.message()).isEqualTo("cancelled while building");
        assertThat(builds.logs().read(b.id(), 0).text()).contains("stopping sbuild (cancelled)");
        long gone = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ProcessHandle.allProcesses()
                        .anyMatch(p -> p.info().commandLine().orElse("").contains("endless_1.0.dsc"))
                && System.nanoTime() < gone) {
            Thread.sleep(250);
        }
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains("endless_1.0.dsc")))
                .as("sbuild of the cancelled build, 15 s after")
                .isEmpty();
    }

    @Test
    @Order(6)
    void aRealDebianSourcePackageIsBuilt() throws Exception {
        Path dsc = RealSources.dsc(RealSources.defaultCache(), "hello=2.10-3");
        ppa.include().archive("trunk").series("bookworm").files(List.of(dsc)).call();
        Build b = await("hello", in(BuildState.BUILT));
        assertThat(b.message()).contains("hello 2.10-3 (amd64)");
        assertThat(ppa.list().archive("trunk").call())
                .filteredOn(e -> e.source().equals("hello"))
                .singleElement()
                .satisfies(e -> assertThat(e.binaries()).containsKey("amd64"));
    }
}
