package org.ppaforge.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;
import org.ppaforge.qa.rebuild.RebuildSet;

/**
 * The retention 'ppa gc' and the server's gc task apply: pipelines keep their newest runs (older finished ones go with
 * their logs and artifacts; a running one stays whatever its age), rebuild sets their newest runs.
 */
@Timeout(120)
class RetentionTest {
    @TempDir
    Path data;

    @Test
    void oldPipelineRunsGoWithTheirLogsAndArtifactsAndOldRebuildRunsWithTheirResults() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            var pipelines = forge.pipelines();
            var store = pipelines.store();
            Instant t = Instant.parse("2026-11-01T00:00:00Z");
            store.insertPipeline(
                    new Pipeline("mytool", "https://example.org/mytool.git", "main", ".ppaforge.yml", "ABCD", t));
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long run = store.insertRun("mytool", "push", "main", null, t.plusSeconds(i));
                runs.add(run);
                if (i != 1) { // the second run is still running
                    store.finishRun(run, Run.PASSED, "ok", t.plusSeconds(i + 1));
                }
                pipelines.appendLog(run, "build", "log of run " + run + "\n");
                Files.createDirectories(pipelines.artifacts(run));
                Files.writeString(pipelines.artifacts(run).resolve("report.xml"), "<coverage/>");
            }
            Retention keep3 = new Retention(Duration.ofDays(365), 3, 60);
            Retention.Result dry = forge.expire(keep3, true);
            assertThat(dry.pipelineRuns()).containsExactly(runs.get(0), runs.get(2));
            assertThat(dry.pipelineRunBytes()).isPositive();
            assertThat(pipelines.artifacts(runs.get(0))).exists();

            Retention.Result r = forge.expire(keep3, false);
            assertThat(r.pipelineRuns()).containsExactly(runs.get(0), runs.get(2));
            assertThat(pipelines.runs("mytool", 100))
                    .extracting(Run::id)
                    .containsExactly(runs.get(5), runs.get(4), runs.get(3), runs.get(1));
            assertThat(pipelines.artifacts(runs.get(0))).doesNotExist();
            assertThat(pipelines.logFile(runs.get(2), "build")).doesNotExist();
            assertThat(pipelines.logFile(runs.get(1), "build")).exists(); // running: kept
            assertThat(pipelines.artifacts(runs.get(3)).resolve("report.xml")).exists();
            assertThatThrownBy(() -> pipelines.run(runs.get(0))).hasMessageContaining("there is no pipeline run");
            assertThat(forge.expire(keep3, false).pipelineRuns()).isEmpty();

            // Rebuild runs: a set keeps its newest N (here 2) finished runs.
            var rebuilds = forge.qa().store().rebuilds();
            rebuilds.insertSet(new RebuildSet(
                    "nightly", "trunk", "noble", List.of("tool"), "trunk-rebuilds", "noble", "daily", null, t, null));
            List<Long> rr = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long run = rebuilds.startRun("nightly", t.plusSeconds(i));
                rebuilds.finishRun(run, "1 built", t.plusSeconds(i + 1));
                rr.add(run);
            }
            Retention.Result q = forge.expire(new Retention(Duration.ofDays(365), 3, 2), false);
            assertThat(q.rebuildRuns()).containsExactly(rr.get(0), rr.get(1));
            assertThat(rebuilds.runs("nightly", 10)).hasSize(2);
            // The embedded worker's copy of a build environment that was replaced goes; the current one stays.
            Path tarball = Files.writeString(data.resolve("noble.tar.zst"), "a build environment");
            var chroot = forge.farm()
                    .createChroot()
                    .series("noble")
                    .architecture("amd64")
                    .tarball(tarball)
                    .call()
                    .chroot();
            Path cache = Files.createDirectories(forge.farm().workerDirectory().resolve("chroots"));
            String stale = "e".repeat(64);
            Files.writeString(cache.resolve(stale + ".tar.zst"), "replaced");
            Files.writeString(cache.resolve(chroot.sha256() + ".tar.zst"), "current");
            assertThat(forge.expire(keep3, false).workerChroots()).containsExactly(stale);
            assertThat(cache.resolve(stale + ".tar.zst")).doesNotExist();
            assertThat(cache.resolve(chroot.sha256() + ".tar.zst")).exists();

            assertThatThrownBy(() -> forge.expire(new Retention(Duration.ofDays(365), 3, 1), false))
                    .hasMessageContaining("at least its two newest runs");
            assertThatThrownBy(() -> forge.expire(new Retention(Duration.ofDays(365), 0, 2), false))
                    .hasMessageContaining("at least its newest run");
        }
    }
}
