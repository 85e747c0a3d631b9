package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.testing.AptClient;
import org.ppaforge.archive.testing.TestS3;
import org.ppaforge.cli.ServeProcesses.Server;
import org.ppaforge.client.Clients;
import org.ppaforge.client.FarmClient;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.common.testing.TestPostgres;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.control.ControlText;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * Two real {@code ppa serve} processes on one PostgreSQL database and one bucket (s3proxy), each with a data directory
 * of its own, and two real {@code ppa worker} processes, one on each server's URL, building with sbuild: signed source
 * uploads go in through real dput to both servers at once, and one upload's files reach one server and its .changes
 * the other (as behind a load balancer). While a build runs on the worker of server A, A is killed (SIGKILL); an upload
 * goes in through B meanwhile, and A stays dead until the build has ended and its worker is retrying to send the end of
 * its log and its result; then A is started again on its port. Every acknowledged upload is built exactly once
 * (one attempt each, no lease left), its build log is whole, and apt installs what was built through either server.
 */
@Timeout(900)
class SharedStoresBuildTest {
    private static final Duration BUILDS = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final ServeProcesses processes = new ServeProcesses();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopAll() throws Exception {
        processes.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process worker(Server s, String token, String name) throws Exception {
        List<String> cmd = PpaProcesses.command(List.of(
                "worker",
                "--server",
                s.url(),
                "--token",
                token,
                "--name",
                name,
                "--work-dir",
                dir.resolve("worker-" + name).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().remove("PPAFORGE_TOKEN");
        return processes.start(pb);
    }

    /** What the worker processes said, for a failure's message. */
    private String said() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String w : List.of("wa", "wb")) {
            b.append("--- ").append(w).append(":\n").append(Files.readString(dir.resolve(w + ".out")));
        }
        return b.toString();
    }

    /** dput's protocol by hand: each file of the upload in a PUT of its own, to the server this file names. */
    private void put(Server s, String token, Path file) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(s.url() + "/upload/trunk/" + file.getFileName()))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(("pat:" + token).getBytes(StandardCharsets.UTF_8)))
                        .PUT(HttpRequest.BodyPublishers.ofFile(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(file.getFileName() + ": " + r.body()).isLessThan(300);
    }

    @Test
    void uploadsThroughBothServersAreBuiltOnceEvenWhenAServerDiesDuringABuild() throws Exception {
        String database = TestPostgres.freshDatabase();
        String bucket = TestS3.freshBucket();
        String passphrase = "the servers' passphrase";
        processes.env.putAll(TestS3.server().environment());
        processes.env.put("PPAFORGE_DATABASE", database);
        processes.env.put("PPAFORGE_BLOBS", bucket);
        processes.env.put("PPAFORGE_KEY_PASSPHRASE", passphrase);
        processes.env.put("HOME", dir.toString());
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        SignedSources packager = new SignedSources(Files.createDirectories(dir.resolve("work")));

        String admin;
        String uploader;
        String workers;
        try (Forge f = Forge.open(ForgeConfig.of(dataA)
                .withArchive(ArchiveSettings.of(dataA)
                        .withDatabase(database)
                        .withBlobs(bucket)
                        .withKeyPassphrase(passphrase.toCharArray())))) {
            Ppaforge ppa = f.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.addUploader()
                    .archive("trunk")
                    .key(packager.publicKey(), "pat.asc")
                    .call();
            admin = ppa.createToken().name("admin").role("admin").call().secret();
            uploader = ppa.createToken().name("pat").role("uploader").call().secret();
            workers = ppa.createToken().name("builders").role("worker").call().secret();
            f.farm()
                    .createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(TestChroots.bookworm())
                    .call();
        }

        int portA = freePort();
        Server first = processes.serve(dataA, portA);
        Server b = processes.serve(dataB, 0);
        worker(first, workers, "wa");
        worker(b, workers, "wb");
        FarmClient farm = Clients.http(new HttpTransport(b.url(), admin, null)).farm();

        // Two dput uploads at once, one to each server; a third whose files reach B and whose .changes reaches A.
        Path one = packager.source("one", "1.0", null, false, 20);
        Path two = packager.source("two", "1.0", null, false, 20);
        Path split = packager.source("split", "1.0", null, false, 20);
        CompletableFuture<Tools.Result> toA =
                CompletableFuture.supplyAsync(() -> dputQuietly(packager, portA, uploader, one));
        CompletableFuture<Tools.Result> toB =
                CompletableFuture.supplyAsync(() -> dputQuietly(packager, b.port(), uploader, two));
        for (var listed : Changes.parse(
                        ControlText.read(split), split.getFileName().toString())
                .files()) {
            put(b, uploader, split.resolveSibling(listed.name()));
        }
        put(first, uploader, split);
        for (Tools.Result r : List.of(toA.get(120, TimeUnit.SECONDS), toB.get(120, TimeUnit.SECONDS))) {
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
        }

        // A build running on A's worker: A dies under it, and comes back on its port.
        Build running = await(farm, "a build running on the worker of server A", BUILDS, () -> {
            for (Build x : farm.list("trunk", BuildState.BUILDING, null, 10)) {
                if ("wa".equals(x.worker()) && farm.logTail(x.id()).contains("sleeping")) {
                    return x;
                }
            }
            return null;
        });
        ServeProcesses.kill(first.process());
        Path late = packager.source("late", "1.0", null, false, 0);
        assertThat(packager.dput(portA, "trunk", uploader, late).exit())
                .as("an upload to the dead server fails")
                .isNotZero();
        packager.dputOrFail(b.port(), "trunk", uploader, late); // B keeps taking uploads
        // A stays dead until the build has ended and its worker is trying to send the end of its log or its result.
        java.util.regex.Pattern retrying = java.util.regex.Pattern.compile(
                "sending (the end of )?build " + running.id() + "'s (log|result): .*trying again");
        await(
                farm,
                "the worker of A retrying its build's end",
                Duration.ofSeconds(150),
                () -> retrying.matcher(Files.readString(dir.resolve("wa.out"))).find() ? true : null);
        Server a = processes.serve(dataA, portA);

        List<String> sources = List.of("one", "two", "split", "late");
        List<Build> built = await(farm, "every build ended", BUILDS, () -> {
            List<Build> all = farm.list("trunk", null, null, 100);
            return all.size() == sources.size()
                            && all.stream()
                                    .allMatch(x -> x.state() != BuildState.WAITING
                                            && x.state() != BuildState.BUILDING
                                            && x.state() != BuildState.UPLOADING)
                    ? all
                    : null;
        });
        assertThat(built).as(said()).allSatisfy(x -> {
            assertThat(x.state()).as(x.title() + ": " + x.message()).isEqualTo(BuildState.BUILT);
            assertThat(x.attempts()).as(x.title() + " ran once").isEqualTo(1);
        });
        assertThat(built).extracting(Build::source).containsExactlyInAnyOrderElementsOf(sources);
        Build survived = farm.show(running.id());
        assertThat(survived.worker()).isEqualTo("wa");
        StringBuilder log = new StringBuilder();
        for (long at = 0; ; ) {
            var chunk = farm.log(running.id(), at);
            log.append(chunk.text());
            if (chunk.next() == at || chunk.text().isEmpty()) {
                break;
            }
            at = chunk.next();
        }
        assertThat(log.toString())
                .as("the whole log, its lines from before, during and after A's death")
                .contains("sbuild")
                .contains("sleeping")
                .contains("Status: successful");

        System.out.println(said()); // what the workers went through, in the test's report
        for (Server s : List.of(a, b)) {
            String packages = new String(
                    processes
                            .get(s.url() + "/trunk/dists/bookworm/main/binary-amd64/Packages")
                            .body(),
                    StandardCharsets.UTF_8);
            for (String source : sources) {
                assertThat(packages.lines().filter(l -> l.equals("Package: hello-" + source)))
                        .as("hello-" + source + " once in " + s.url())
                        .hasSize(1);
            }
            AptClient apt = new AptClient(
                    dir.resolve("apt-" + s.port()),
                    Clients.http(new HttpTransport(s.url(), admin, null))
                            .archive()
                            .aptSources("trunk", s.url(), null, false, null));
            apt.update().orFail("apt-get update through " + s.url());
            assertThat(apt.policy("hello-split")).contains("Candidate: 1.0");
        }
    }

    private static Tools.Result dputQuietly(SignedSources packager, int port, String token, Path changes) {
        try {
            return packager.dput(port, "trunk", token, changes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What to wait for: the value once there, null until then. */
    private interface Probe<T> {
        T get() throws Exception;
    }

    private <T> T await(FarmClient farm, String what, Duration within, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                T got = probe.get();
                if (got != null) {
                    return got;
                }
            } catch (RuntimeException e) {
                // a server restarting: ask again
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(
                what + ": not within " + within + "; builds: " + farm.list("trunk", null, null, 100) + "\n" + said());
    }
}
