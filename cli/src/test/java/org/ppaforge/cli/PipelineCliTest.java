package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.testing.TestChroots;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.testing.GitServer;
import org.ppaforge.server.PpaServer;

/**
 * {@code ppa pipeline} as real processes against a server ({@code --server}, the token from {@code $PPAFORGE_TOKEN}):
 * create, list, key, run, runs, show, log (following a running check to its end), cancel, with --json, and what a
 * caller without a token is told. The server's runner is driven by the test, as {@code ppa serve} drives it.
 */
class PipelineCliTest {
    @TempDir
    Path data;

    @TempDir
    Path upstream;

    private Forge forge;

    Ppaforge ppa;
    Builds builds;
    Pipelines pipelines;
    PpaServer server;
    Git dev;
    GitServer daemon;
    String base;
    String admin;
    String gitUrl;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        forge = Forge.open(ForgeConfig.of(data));
        ppa = forge.archive();
        builds = forge.farm();
        pipelines = forge.pipelines();
        ppa.createArchive()
                .name("trunk")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64"))
                .call();
        builds.createChroot()
                .series("bookworm")
                .architecture("amd64")
                .tarball(TestChroots.bookworm())
                .call();
        admin = ppa.createToken().name("admin").role("admin").call().secret();
        server = new PpaServer(forge, "127.0.0.1", 0).start();
        base = "http://127.0.0.1:" + server.port();
        forge.serving(base);
        dev = Git.init()
                .setDirectory(upstream.toFile())
                .setInitialBranch("main")
                .call();
        Files.writeString(upstream.resolve(".ppaforge.yml"), """
                archive: trunk
                series: bookworm
                check:
                  commands:
                    - echo first line
                    - sleep 3
                    - echo last line
                """);
        dev.add().addFilepattern(".").call();
        dev.commit().setMessage("first").setSign(false).call();
        daemon = GitServer.serve(dev.getRepository());
        gitUrl = daemon.url();
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        dev.close();
        server.close();
        forge.close();
    }

    private PpaProcesses.Result ppa(String token, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", base));
        return PpaProcesses.run(data.resolve("home"), token, all);
    }

    /** {@code ppa pipeline run --here} on the data directory itself: a line per step change, or quiet JSON. */
    @Test
    void aRunHereShowsEachStepAsItChangesAndJsonStaysQuiet() throws Exception {
        Path home = Files.createDirectories(data.resolve("home"));
        List<String> local = List.of("--data-dir", data.toString());
        PpaProcesses.Result made =
                PpaProcesses.run(home, null, with(local, "pipeline", "create", "mytool", "--git", gitUrl));
        assertThat(made.exit()).as(made.toString()).isZero();

        PpaProcesses.Result here =
                PpaProcesses.run(home, null, with(local, "pipeline", "run", "mytool", "--here", "--progress"));
        assertThat(here.exit()).as(here.toString()).isZero();
        List<String> lines = here.err().lines().toList();
        assertThat(lines.get(0)).matches("run \\d+ of mytool: running it here");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).matches("fetch: passed in \\d+ s: .*"))
                .anySatisfy(l -> assertThat(l).isEqualTo("check: running"))
                .anySatisfy(l -> assertThat(l).matches("check: passed in \\d+ s.*"));
        assertThat(lines.indexOf("check: running")).isLessThan(lines.size() - 1);
        assertThat(here.out()).contains(": passed");

        PpaProcesses.Result quiet =
                PpaProcesses.run(home, null, with(local, "pipeline", "run", "mytool", "--here", "--json"));
        assertThat(quiet.exit()).as(quiet.toString()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(json.readTree(quiet.out()).path("state").asText()).isEqualTo("passed");
    }

    private static List<String> with(List<String> tail, String... words) {
        List<String> all = new ArrayList<>(List.of(words));
        all.addAll(tail);
        return all;
    }

    @Test
    void everyPipelineCommandWorksAgainstAServer() throws Exception {
        PpaProcesses.Result refused = ppa(null, "pipeline", "create", "mytool", "--git", gitUrl);
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains("needs a token");
        assertThat(pipelines.list()).isEmpty();

        PpaProcesses.Result created = ppa(admin, "pipeline", "create", "mytool", "--git", gitUrl, "--json");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(json.readTree(created.out()).path("name").asText()).isEqualTo("mytool");
        assertThat(ppa(admin, "pipeline", "list").out()).contains("mytool").contains(gitUrl);
        // A directory on this machine is taken as its file:// URL (the server here reads it).
        PpaProcesses.Result local = ppa(admin, "pipeline", "create", "local", "--git", upstream.toString(), "--json");
        assertThat(local.exit()).as(local.toString()).isZero();
        assertThat(json.readTree(local.out()).path("gitUrl").asText())
                .isEqualTo(upstream.toAbsolutePath().toUri().toString());
        PpaProcesses.Result nowhere = ppa(admin, "pipeline", "create", "nowhere", "--git", "/no/such/repo");
        assertThat(nowhere.exit()).isEqualTo(2);
        assertThat(nowhere.err()).contains("a pipeline needs a git URL").contains("/no/such/repo");
        PpaProcesses.Result key = ppa(admin, "pipeline", "key", "mytool");
        assertThat(key.out())
                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
                .isEqualTo(pipelines.publicKey("mytool"));

        PpaProcesses.Result queued = ppa(admin, "pipeline", "run", "mytool", "--json");
        assertThat(queued.exit()).as(queued.toString()).isZero();
        long id = json.readTree(queued.out()).path("id").asLong();
        assertThat(json.readTree(queued.out()).path("state").asText()).isEqualTo(Run.QUEUED);

        // The server runs it (as 'ppa serve' does) while 'ppa pipeline log --follow' prints the check's log as it
        // comes.
        Thread runner = new Thread(() -> {
            try {
                pipelines.runner().runNext();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!pipelines.run(id).state().equals(Run.RUNNING)) {
            assertThat(System.nanoTime())
                    .as("run " + id + " started within 60 s")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        // The check prints "first line", sleeps 3 s, prints "last line": --follow must show the first while the run is
        // still running (not the whole log once it ended), and end by itself once the step has.
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                org.ppaforge.cli.Main.class.getName(),
                "pipeline",
                "log",
                Long.toString(id),
                "check",
                "--follow",
                "--server",
                base));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PPAFORGE_TOKEN", admin);
        pb.environment().put("HOME", data.resolve("home").toString());
        Process follow = pb.start();
        java.io.BufferedReader out = PpaProcesses.output(follow);
        StringBuilder seen = new StringBuilder();
        assertThat(PpaProcesses.waitFor(out, "first line", seen))
                .as(seen.toString())
                .isNotNull();
        assertThat(pipelines.run(id).state())
                .as("the run when --follow showed the first line")
                .isEqualTo(Run.RUNNING);
        assertThat(seen.toString()).doesNotContain("last line");
        assertThat(PpaProcesses.waitFor(out, "last line", seen))
                .as(seen.toString())
                .isNotNull();
        assertThat(follow.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("--follow ends with the step")
                .isTrue();
        assertThat(follow.exitValue()).isZero();
        runner.join();
        assertThat(pipelines.run(id).state()).isEqualTo(Run.PASSED);

        PpaProcesses.Result runs = ppa(admin, "pipeline", "runs", "mytool", "--json");
        JsonNode listed = json.readTree(runs.out());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("state").asText()).isEqualTo(Run.PASSED);
        assertThat(listed.get(0).path("commit").asText())
                .isEqualTo(dev.getRepository().resolve("HEAD").getName());
        PpaProcesses.Result shown = ppa(admin, "pipeline", "show", Long.toString(id));
        assertThat(shown.out()).contains("run " + id + " of mytool: passed").contains("check");

        PpaProcesses.Result second = ppa(admin, "pipeline", "run", "mytool", "--json");
        long id2 = json.readTree(second.out()).path("id").asLong();
        PpaProcesses.Result cancelled = ppa(admin, "pipeline", "cancel", Long.toString(id2));
        assertThat(cancelled.exit()).as(cancelled.toString()).isZero();
        assertThat(pipelines.run(id2).state()).isEqualTo(Run.CANCELLED);

        PpaProcesses.Result missing = ppa(admin, "pipeline", "show", "999");
        assertThat(missing.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(missing.err()).contains("999");
        // Signed out, the runs of a public archive's pipeline are listed (as anonymous read on Jenkins); acting still
        // needs a token.
        PpaProcesses.Result noToken = ppa(null, "pipeline", "runs");
        assertThat(noToken.exit()).as(noToken.toString()).isZero();
        assertThat(noToken.out()).containsPattern("(?m)^1 +mytool +passed ");
        PpaProcesses.Result cancelAnonymously = ppa(null, "pipeline", "cancel", Long.toString(id2));
        assertThat(cancelAnonymously.exit()).isNotZero();
        assertThat(cancelAnonymously.err()).contains("needs a token");
    }
}
