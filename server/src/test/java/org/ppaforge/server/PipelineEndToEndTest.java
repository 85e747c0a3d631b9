package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.assertj.core.groups.Tuple;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.testing.GitServer;

/**
 * The seed's chain with real parts: a commit of a small Python project on a git server on 127.0.0.1 is linted (pyflakes) and
 * unit-tested in a testbed, packaged with a daily
 * version, signed and uploaded, built by sbuild through a worker, installed by apt in a fresh testbed whose test script
 * calls back over HTTP, then promoted; a test that never calls back times out, and a late or forged callback is refused.
 */
class PipelineEndToEndTest {
    @TempDir
    Path data;

    @TempDir
    Path upstream;

    @TempDir
    Path work;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    Pipelines pipelines;
    PpaServer server;
    Worker worker;
    Git dev;
    GitServer daemon;
    String base;
    int minute;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        pipelines = forge.pipelines();
        for (String a : List.of("trunk", "milestone-proposed")) {
            ppa.createArchive()
                    .name(a)
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
        }
        builds.createChroot()
                .series("bookworm")
                .architecture("amd64")
                .tarball(TestChroots.bookworm())
                .call();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
        forge.serving(base);
        // As the server's embedded worker: the chroot tarball linked from the pool, one copy on the disk.
        worker = new Worker(base, ppa.processToken().secret(), "w1", List.of("amd64"), work.resolve("worker"))
                .localChroots(sha -> ppa.blobs().localPath(sha))
                .pollSeconds(2);
        Thread t = new Thread(worker, "worker");
        t.setDaemon(true);
        t.start();
        dev = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call();
        // A small Python project: the program, its unit tests, and Debian packaging.
        Files.writeString(
                upstream.resolve("mytool.py"),
                "#!/usr/bin/python3\n\n\ndef greeting(name):\n    return 'mytool greets ' + "
                        + "name\n\n\nif __name__ == '__main__':\n    print(greeting('you'))\n");
        Files.writeString(
                upstream.resolve("test_mytool.py"),
                "import unittest\n\nimport mytool\n\n\nclass T(unittest.TestCase):\n"
                        + "    def test_greeting(self):\n        self.assertEqual(mytool.greeting('x'), 'mytool greets x')\n\n\n"
                        + "if __name__ == '__main__':\n    unittest.main()\n");
        upstream.resolve("mytool.py").toFile().setExecutable(true);
        Files.createDirectories(upstream.resolve("tests"));
        MytoolPackaging.write(upstream);
        daemon = GitServer.serve(dev.getRepository());
        pipelines
                .create()
                .name("mytool")
                .git(daemon.url())
                .branch("main")
                .file(null)
                .call();
        ppa.addUploader()
                .archive("trunk")
                .key(pipelines.publicKey("mytool").getBytes(StandardCharsets.US_ASCII), "pipeline")
                .call();
    }

    @AfterEach
    void stop() throws Exception {
        worker.stop();
        daemon.close();
        dev.close();
        server.close();
        forge.close();
    }

    /** Commits the tree with this definition and test script, a minute after the last commit (daily versions grow). */
    private void commit(String definition, String testScript) throws Exception {
        Files.writeString(upstream.resolve(".ppaforge.yml"), definition);
        Files.writeString(upstream.resolve("tests/install.sh"), testScript);
        dev.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent(
                "Dev",
                "dev@example.org",
                Date.from(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(60L * ++minute)),
                TimeZone.getTimeZone("UTC"));
        dev.commit()
                .setMessage("commit " + minute)
                .setAuthor(who)
                .setCommitter(who)
                .setSign(false)
                .call();
    }

    private static String definition(String timeout) {
        return """
                archive: trunk
                series: bookworm
                check:
                  commands:
                    - apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 pyflakes3
                    - pyflakes3 mytool.py test_mytool.py
                    - python3 -m unittest -v test_mytool 2> unittest.log
                  artifacts: [unittest.log]
                upload: true
                build:
                  timeout: 10m
                test:
                  install: [mytool, curl]
                  script: tests/install.sh
                  timeout: %s
                promote:
                  to: milestone-proposed
                """.formatted(timeout);
    }

    @Test
    void aCommitGoesThroughEveryStepAndTheInstallTestCallsBack() throws Exception {
        // Trunk is private: the install test's apt reads it with a reader token of the run's own, revoked afterwards.
        ppa.configureArchive().archive("trunk").privateArchive(true).call();
        commit(
                definition("10m"),
                "mytool.py | grep -q 'mytool greets you'\n"
                        + "cat /etc/apt/auth.conf.d/ppaforge.conf\n"
                        + "echo \"calling back to $PPAFORGE_CALLBACK_URL\"\n"
                        + "curl -fsS -X POST \"$PPAFORGE_CALLBACK_URL?result=pass&message=installed+and+ran\"\n");
        pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
        Run run = pipelines.runner().runNext();
        assertThat(run.state()).as(run.toString()).isEqualTo(Run.PASSED);
        assertThat(run.steps())
                .extracting(Run.Step::name, Run.Step::state)
                .containsExactly(
                        Tuple.tuple("fetch", "passed"),
                        Tuple.tuple("check", "passed"),
                        Tuple.tuple("source", "passed"),
                        Tuple.tuple("upload", "passed"),
                        Tuple.tuple("build", "passed"),
                        Tuple.tuple("test", "passed"),
                        Tuple.tuple("promote", "passed"));
        assertThat(run.steps().get(5).message()).isEqualTo("passed (callback: installed and ran)");
        assertThat(run.steps().get(1).message()).isEqualTo("passed; artifacts: unittest.log");
        assertThat(Files.readString(pipelines.artifacts(run.id()).resolve("unittest.log")))
                .contains("test_greeting")
                .contains("OK");
        // The testbed's log blanks the callback's secret.
        assertThat(Files.readString(pipelines.logFile(run.id(), "test")))
                .contains("Setting up mytool")
                .contains("/callback/***")
                .doesNotContainPattern("/callback/[0-9a-f]{48}")
                .contains("login pipeline password ***\n");
        assertThat(ppa.listTokens().call()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("pipeline-mytool-run-" + run.id());
            assertThat(t.role()).isEqualTo("reader");
            assertThat(t.archive()).isEqualTo("trunk");
            assertThat(t.revokedAt()).isNotNull();
        });
        assertThat(ppa.list().archive("milestone-proposed").call())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.version()).isEqualTo(run.version());
                    assertThat(e.binaries()).containsKey("all");
                });
        String chroot = builds.listChroots().call().get(0).sha256();
        Path copy = work.resolve("worker/chroots/" + chroot + ".tar.zst");
        assertThat(Files.isSameFile(copy, ppa.blobs().localPath(chroot))).isTrue();
    }

    @Test
    void aLintErrorFailsTheCheckAndNothingIsUploaded() throws Exception {
        Files.writeString(
                upstream.resolve("mytool.py"), Files.readString(upstream.resolve("mytool.py")) + "import os\n");
        commit(definition("10m"), "exit 1\n");
        pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
        Run run = pipelines.runner().runNext();
        assertThat(run.state()).isEqualTo(Run.FAILED);
        assertThat(run.message()).contains("check: a command failed").contains("'os' imported but unused");
        assertThat(ppa.list().archive("trunk").call()).isEmpty();
    }

    @Test
    void aTestThatNeverCallsBackTimesOutAndLateOrForgedCallbacksAreRefused() throws Exception {
        // The script sends its real callback URL to a spy here (as a booted machine would know it), and never calls
        // back. While the run waits, a forged secret is refused; once it timed out, the real URL is refused as late.
        java.util.concurrent.CompletableFuture<String> realUrl = new java.util.concurrent.CompletableFuture<>();
        com.sun.net.httpserver.HttpServer spy =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        spy.createContext("/seen", ex -> {
            realUrl.complete(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        spy.start();
        java.util.concurrent.CompletableFuture<String> whileWaiting = new java.util.concurrent.CompletableFuture<>();
        Thread forger = new Thread(() -> {
            try {
                String url = realUrl.get(5, java.util.concurrent.TimeUnit.MINUTES);
                String secret = url.substring(url.lastIndexOf('/') + 1);
                String forgedUrl = url.substring(0, url.lastIndexOf('/') + 1) + "f".repeat(secret.length());
                HttpResponse<String> forged = http.send(
                        HttpRequest.newBuilder(URI.create(forgedUrl + "?result=pass"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long id = Long.parseLong(url.replaceAll(".*/runs/(\\d+)/callback/.*", "$1"));
                whileWaiting.complete(forged.statusCode() + " " + forged.body() + " | run "
                        + pipelines.run(id).state());
            } catch (Exception e) {
                whileWaiting.completeExceptionally(e);
            }
        });
        forger.setDaemon(true);
        forger.start();
        try {
            commit(
                    definition("20s"),
                    "curl -fsS -X POST --data-binary \"$PPAFORGE_CALLBACK_URL\" http://127.0.0.1:"
                            + spy.getAddress().getPort() + "/seen\n"
                            + "echo 'installed; the machine would boot now and never call'\n");
            pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
            Run run = pipelines.runner().runNext();
            assertThat(run.state()).as(run.toString()).isEqualTo(Run.TIMED_OUT);
            assertThat(run.message()).isEqualTo("test: no callback within 20s");
            assertThat(run.steps())
                    .extracting(Run.Step::state)
                    .containsExactly("passed", "passed", "passed", "passed", "passed", "timed-out", "skipped");
            assertThat(ppa.list().archive("milestone-proposed").call()).isEmpty();
            // The forged callback came while the run waited: 403, and the run went on waiting.
            assertThat(whileWaiting.get(1, java.util.concurrent.TimeUnit.MINUTES))
                    .startsWith("403 ")
                    .contains("wrong callback secret for run " + run.id())
                    .endsWith("| run " + Run.RUNNING);
            // The real URL, too late: 409, the run stays timed out.
            HttpResponse<String> late = http.send(
                    HttpRequest.newBuilder(URI.create(realUrl.get() + "?result=pass"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(late.body()).contains("is not waiting for a callback (it is timed-out)");
            assertThat(pipelines.run(run.id()).state()).isEqualTo(Run.TIMED_OUT);
        } finally {
            spy.stop(0);
        }
        assertThat(http.send(
                                HttpRequest.newBuilder(
                                                URI.create(base + "/api/v1/pipelines/runs/abc/callback/x?result=pass"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.send(
                                HttpRequest.newBuilder(
                                                URI.create(base + "/api/v1/pipelines/runs/999/callback/x?result=pass"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aTestScriptThatFailsWithoutCallingBackFailsTheStepAtOnce() throws Exception {
        commit(definition("10m"), "echo 'mytool did not start' >&2\nexit 3\n");
        pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
        long t0 = System.nanoTime();
        Run run = pipelines.runner().runNext();
        assertThat(run.state()).as(run.toString()).isEqualTo(Run.FAILED);
        assertThat(run.message())
                .startsWith("test: the test script failed (exit 3) without calling back:")
                .contains("mytool did not start");
        assertThat(run.steps())
                .extracting(Run.Step::state)
                .containsExactly("passed", "passed", "passed", "passed", "passed", "failed", "skipped");
        // It did not wait for the 10 min timeout.
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(480.0);
        assertThat(ppa.list().archive("milestone-proposed").call()).isEmpty();
    }
}
