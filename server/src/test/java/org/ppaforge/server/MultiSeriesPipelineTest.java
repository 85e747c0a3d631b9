package org.ppaforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.testing.GitServer;

/**
 * A pipeline for two series with real parts: bookworm and trixie chroots made by mmdebstrap, one source package per
 * series from the same commit (versions suffixed {@code ~deb12} and {@code ~deb13}, sorting as the series do), both
 * built by sbuild through a worker, and two install test configurations run by apt in each series' own testbed. One
 * configuration fails in trixie only: the run fails, naming that cell, and neither series is promoted.
 */
class MultiSeriesPipelineTest {
    @TempDir
    Path data;

    @TempDir
    Path upstream;

    @TempDir
    Path work;

    private Forge forge;
    private Ppaforge ppa;
    private Builds builds;
    private Pipelines pipelines;
    private PpaServer server;
    private Worker worker;
    private Git dev;
    private GitServer daemon;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        pipelines = forge.pipelines();
        for (String a : List.of("trunk", "milestone-proposed")) {
            ppa.createArchive()
                    .name(a)
                    .series(List.of("bookworm", "trixie"))
                    .architectures(List.of("amd64"))
                    .call();
        }
        for (String series : List.of("bookworm", "trixie")) {
            builds.createChroot()
                    .series(series)
                    .architecture("amd64")
                    .tarball(TestChroots.of(series))
                    .call();
        }
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
        forge.serving(base);
        worker = new Worker(base, ppa.processToken().secret(), "w1", List.of("amd64"), work.resolve("worker"))
                .pollSeconds(2);
        Thread t = new Thread(worker, "worker");
        t.setDaemon(true);
        t.start();
        dev = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call();
        Files.writeString(
                upstream.resolve("mytool.py"),
                "#!/usr/bin/python3\nimport sys\nprint('mytool on python %d.%d' % sys.version_info[:2])\n");
        upstream.resolve("mytool.py").toFile().setExecutable(true);
        Files.createDirectories(upstream.resolve("tests"));
        MytoolPackaging.write(upstream);
        // 'plain' works everywhere; 'legacy' needs a Python older than 3.12 (bookworm has 3.11, trixie 3.13).
        Files.writeString(upstream.resolve("tests/plain.sh"), """
                test "$MYTOOL_MODE" = plain
                grep -q "deb.debian.org/debian $PPAFORGE_SERIES-updates main" /etc/apt/sources.list.d/ppaforge-extra.list
                mytool.py | grep -q 'mytool on python 3'
                curl -fsS -X POST "$PPAFORGE_CALLBACK_URL?result=pass&message=plain+on+$(cat /etc/debian_version)"
                """);
        Files.writeString(upstream.resolve("tests/legacy.sh"), """
                v=$(cat /etc/debian_version)
                if python3 -c 'import sys; sys.exit(0 if sys.version_info < (3, 12) else 1)'; then
                  curl -fsS -X POST "$PPAFORGE_CALLBACK_URL?result=pass&message=legacy+on+$v"
                else
                  curl -fsS -X POST "$PPAFORGE_CALLBACK_URL?result=fail&message=legacy+needs+python+before+3.12+on+$v"
                fi
                """);
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: trunk
                series: [bookworm, trixie]
                upload: true
                build:
                  timeout: 20m
                test:
                  install: [mytool, curl]
                  timeout: 10m
                  configurations:
                    plain:
                      script: tests/plain.sh
                      env: {MYTOOL_MODE: plain}
                      apt-sources: ["deb http://deb.debian.org/debian {series}-updates main"]
                    legacy:
                      script: tests/legacy.sh
                      debconf: "debconf debconf/frontend select Noninteractive"
                promote:
                  to: milestone-proposed
                """);
        dev.add().addFilepattern(".").call();
        dev.commit().setMessage("two series").setSign(false).call();
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

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void eachSeriesIsBuiltAndTestedInItsOwnTestbedAndAFailureInOneBlocksThePromotionOfBoth() throws Exception {
        pipelines.start().pipeline("mytool").trigger("manual").ref(null).call();
        Run run = pipelines.runner().runNext();
        for (Run.Step s : run.steps()) {
            if (s.state().equals("failed") && !s.name().equals("test:trixie:legacy")) {
                Path log = pipelines.logFile(run.id(), s.name());
                System.out.println("failed: " + s.name() + ": " + s.message() + "\n"
                        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
            }
        }
        assertThat(run.state()).as(run.toString()).isEqualTo(Run.FAILED);
        assertThat(run.steps())
                .as(run.toString())
                .extracting(Run.Step::name, Run.Step::series, Run.Step::configuration, Run.Step::state)
                .containsExactly(
                        Tuple.tuple("fetch", null, null, "passed"),
                        Tuple.tuple("source:bookworm", "bookworm", null, "passed"),
                        Tuple.tuple("source:trixie", "trixie", null, "passed"),
                        Tuple.tuple("upload:bookworm", "bookworm", null, "passed"),
                        Tuple.tuple("upload:trixie", "trixie", null, "passed"),
                        Tuple.tuple("build:bookworm", "bookworm", null, "passed"),
                        Tuple.tuple("build:trixie", "trixie", null, "passed"),
                        Tuple.tuple("test:bookworm:plain", "bookworm", "plain", "passed"),
                        Tuple.tuple("test:bookworm:legacy", "bookworm", "legacy", "passed"),
                        Tuple.tuple("test:trixie:plain", "trixie", "plain", "passed"),
                        Tuple.tuple("test:trixie:legacy", "trixie", "legacy", "failed"),
                        Tuple.tuple("promote", null, null, "skipped"));
        // Each configuration ran in its own series' testbed: the callbacks name the Debian release they ran on.
        assertThat(step(run, "test:bookworm:plain").message()).matches("passed \\(callback: plain on 12\\.\\d+\\)");
        assertThat(step(run, "test:bookworm:legacy").message()).matches("passed \\(callback: legacy on 12\\.\\d+\\)");
        assertThat(step(run, "test:trixie:plain").message()).matches("passed \\(callback: plain on 13\\.\\d+\\)");
        assertThat(run.message())
                .matches("test:trixie:legacy: failed \\(callback: legacy needs python before 3\\.12 on 13\\.\\d+\\)");
        assertThat(step(run, "promote").message()).isEqualTo("an earlier step failed (in trixie)");

        // One package per series, the versions sorting as the series do, each built in its own chroot.
        String bookworm =
                ppa.list().archive("trunk").series("bookworm").call().get(0).version();
        String trixie =
                ppa.list().archive("trunk").series("trixie").call().get(0).version();
        assertThat(bookworm).matches("1\\.2\\+git\\d{12}\\.1\\.[0-9a-f]{7}-0ppa1~deb12");
        assertThat(trixie).isEqualTo(bookworm.replace("~deb12", "~deb13"));
        assertThat(new ProcessBuilder("dpkg", "--compare-versions", bookworm, "lt", trixie)
                        .start()
                        .waitFor())
                .isZero();
        assertThat(builds.list().archive("trunk").call())
                .extracting(b -> b.series(), b -> b.version(), b -> b.state())
                .containsExactlyInAnyOrder(
                        Tuple.tuple("bookworm", bookworm, BuildState.BUILT),
                        Tuple.tuple("trixie", trixie, BuildState.BUILT));
        assertThat(Files.readString(pipelines.logFile(run.id(), "test:trixie:plain")))
                .contains("Setting up mytool (" + trixie + ")");
        // A release must not ship for some series only: nothing was promoted, in either series.
        assertThat(ppa.list().archive("milestone-proposed").call()).isEmpty();

        // The run page shows the series x step matrix, one row per series, the failed cell linking to its log.
        String admin = ppa.createToken().name("eyes").role("admin").call().secret();
        HttpResponse<String> signIn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/+signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + admin))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String page = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/+runs/" + run.id()))
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        String matrix = page.substring(
                page.indexOf("<table id=\"matrix\">"), page.indexOf("</table>", page.indexOf("<table id=\"matrix\">")));
        assertThat(matrix)
                .contains("<th scope=\"col\">test plain</th><th scope=\"col\">test legacy</th>")
                .contains("<th scope=\"row\">bookworm</th>")
                .contains("data-step=\"test:trixie:legacy\"><a href=\"#log-test-trixie-legacy\"")
                .containsPattern("state-failed\" data-step=\"test:trixie:legacy\"")
                .containsPattern("state-passed\" data-step=\"build:trixie\"");
        assertThat(page).contains("id=\"log-test-trixie-legacy\"");
    }

    private static Run.Step step(Run run, String name) {
        return run.steps().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
