package org.ppaforge.forge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ppaforge.farm.ExpireBuildLogs;
import org.ppaforge.pipeline.ExpireRuns;
import org.ppaforge.qa.rebuild.ExpireRebuildRuns;

/**
 * How long the forge keeps what grows with every build and run, applied before the pool's garbage is collected
 * ({@code ppa gc}, and the server's {@code gc} task every 6 hours). Superseded pool files have their own, per
 * archive: {@code ppa archive set --keep-superseded}.
 *
 * @param buildLogs how long the log and {@code .buildinfo} of a build that ended stay (default 365 days)
 * @param pipelineRuns how many runs each pipeline keeps, with their logs and artifacts (default 100)
 * @param rebuildRuns how many runs each rebuild set keeps, with their results (default 60)
 *     <p>The embedded worker's copies of replaced build environments go too (it links the current ones from the pool).
 */
public record Retention(Duration buildLogs, int pipelineRuns, int rebuildRuns) {
    public static final Retention DEFAULT = new Retention(
            Duration.ofDays(ExpireBuildLogs.DEFAULT_DAYS), ExpireRuns.DEFAULT_KEEP, ExpireRebuildRuns.DEFAULT_KEEP);

    /** What retention removed (or, in a dry run, would). */
    public record Result(
            List<Long> buildLogs,
            long buildLogBytes,
            List<Long> pipelineRuns,
            long pipelineRunBytes,
            List<Long> rebuildRuns,
            List<String> workerChroots) {}

    /** Applies this retention to every module of the forge. */
    Result apply(Forge forge, boolean dryRun) {
        var logs = forge.farm().expireLogs().keep(buildLogs).dryRun(dryRun).call();
        var runs =
                forge.pipelines().expireRuns().keep(pipelineRuns).dryRun(dryRun).call();
        var rebuilds = forge.qa()
                .rebuilds()
                .expireRuns()
                .keep(rebuildRuns)
                .dryRun(dryRun)
                .call();
        return new Result(
                logs.builds(),
                logs.bytes(),
                runs.runs(),
                runs.bytes(),
                rebuilds.runs(),
                staleWorkerChroots(forge, dryRun));
    }

    /**
     * The embedded worker's copies of build environments that were replaced since (its cache keeps each tarball by
     * SHA-256; the current ones stay).
     */
    private static List<String> staleWorkerChroots(Forge forge, boolean dryRun) {
        Set<String> current = forge.chrootTarballs();
        Path cache = forge.farm().workerDirectory().resolve("chroots");
        List<String> stale = new ArrayList<>();
        if (!Files.isDirectory(cache)) {
            return stale;
        }
        try (Stream<Path> s = Files.list(cache)) {
            for (Path f : s.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.matches("[0-9a-f]{64}\\.tar\\.zst") && !current.contains(name.substring(0, 64))) {
                    if (!dryRun) {
                        Files.deleteIfExists(f);
                    }
                    stale.add(name.substring(0, 64));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stale;
    }
}
