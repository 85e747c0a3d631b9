package org.ppaforge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.forge.Daemon;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.server.PpaServer;

/**
 * The pipeline machinery's own cost (issue 13): a real server, a git repository, a definition with check (in a testbed),
 * source and upload. Each run is started by the push webhook over HTTP. Prints, per run and as a median: webhook
 * received → first step started (goal: under 1 s), and the run's time outside its steps (reading the definition,
 * recording states) over the sum of the steps' times (goal: at most 10 %). The first step is the JGit fetch; its time is
 * printed apart, and the share is printed a second time counting it as the machinery's.
 *
 * <p>Usage: PipelineBench DATA_DIR CHROOT.tar.zst [RUNS]
 */
public final class PipelineBench {
    private static long millis(Run.Step s) {
        return Duration.between(s.startedAt(), s.finishedAt()).toMillis();
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path chroot = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path repo = Files.createDirectories(data.resolve("upstream"));
        try (Forge forge = Forge.open(ForgeConfig.of(data.resolve("data")));
                Daemon daemon = new Daemon(forge, line -> {});
                Git git = Git.init()
                        .setDirectory(repo.toFile())
                        .setInitialBranch("main")
                        .call()) {
            Ppaforge ppa = forge.archive();
            Builds builds = forge.farm();
            Pipelines pipelines = forge.pipelines();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            builds.createChroot()
                    .series("bookworm")
                    .architecture("amd64")
                    .tarball(chroot)
                    .call();
            Files.createDirectories(repo.resolve("debian/source"));
            Files.writeString(repo.resolve("debian/source/format"), "3.0 (quilt)\n");
            Files.writeString(
                    repo.resolve("debian/control"),
                    "Source: benchtool\nMaintainer: B <b@example.org>\n\nPackage: benchtool\n"
                            + "Architecture: all\nDescription: b\n b\n");
            Files.writeString(
                    repo.resolve("debian/changelog"),
                    "benchtool (1.0-1) unstable; urgency=medium\n\n  * b\n\n"
                            + " -- B <b@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n");
            Files.writeString(repo.resolve("debian/rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
            Files.writeString(
                    repo.resolve(".ppaforge.yml"),
                    "archive: trunk\nseries: bookworm\nversion: \"{debupstream}+git{revno}-0ppa1\"\n"
                            + "check:\n  commands: [test -f debian/control]\nupload: true\n");
            var p = pipelines
                    .create()
                    .name("bench")
                    .git(repo.toUri().toString().replace("file:/", "file:///"))
                    .branch("main")
                    .file(null)
                    .call();
            ppa.addUploader()
                    .archive("trunk")
                    .key(pipelines.publicKey(p.name()).getBytes(StandardCharsets.US_ASCII), "bench")
                    .call();
            String token =
                    ppa.createToken().name("hook").role("uploader").call().secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                daemon.start("http://127.0.0.1:" + server.port(), 0); // the pipeline runner among its tasks
                HttpClient http = HttpClient.newHttpClient();
                long[] latency = new long[runs];
                double[] outside = new double[runs];
                double[] withFetch = new double[runs];
                long[] fetch = new long[runs];
                for (int i = -1; i < runs; i++) { // one warm-up (the testbed is unpacked once, the mirror made)
                    Files.writeString(repo.resolve("change"), "change " + i + "\n");
                    git.add().addFilepattern(".").call();
                    git.commit().setMessage("c" + i).setSign(false).call();
                    long sent = System.currentTimeMillis();
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + server.port() + "/api/v1/pipelines/bench/trigger"))
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"ref\": \"refs/heads/main\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    long id = Long.parseLong(r.body().replaceAll(".*\"run\":(\\d+).*", "$1"));
                    Run run;
                    while (!(run = pipelines.run(id)).isFinal()) {
                        Thread.sleep(50);
                    }
                    if (!run.state().equals(Run.PASSED)) {
                        throw new IllegalStateException("run " + id + " " + run.state() + ": " + run.message());
                    }
                    if (i < 0) {
                        continue;
                    }
                    latency[i] = run.steps().get(0).startedAt().toEpochMilli() - sent;
                    long total =
                            Duration.between(run.startedAt(), run.finishedAt()).toMillis();
                    fetch[i] = millis(run.steps().get(0));
                    long inSteps = run.steps().stream()
                            .mapToLong(PipelineBench::millis)
                            .sum();
                    long tools = inSteps - fetch[i];
                    // The measure: the machinery's time over the sum of the steps' (tool) times.
                    outside[i] = 100.0 * (total - inSteps) / inSteps;
                    withFetch[i] = 100.0 * (total - tools) / tools;
                    System.out.printf(
                            "run %d: webhook -> first step %d ms; run %d ms: fetch %d ms, other steps %d ms, outside the "
                                    + "steps %d ms = %.1f %% of the steps' time (%.1f %% counting the fetch as machinery)%n",
                            id, latency[i], total, fetch[i], tools, total - inSteps, outside[i], withFetch[i]);
                }
                Arrays.sort(latency);
                Arrays.sort(outside);
                Arrays.sort(withFetch);
                Arrays.sort(fetch);
                System.out.printf(
                        "median over %d runs: webhook received -> first step started %d ms (goal: under 1 s); time "
                                + "outside the steps %.1f %% of the steps' time (goal: at most 10 %%); the fetch step %d ms; counting it "
                                + "as machinery, not as a tool's time: %.1f %%%n",
                        runs, latency[runs / 2], outside[runs / 2], fetch[runs / 2], withFetch[runs / 2]);
            }
        }
    }
}
