package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ppaforge.farm.Chroot;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.source.SourcePackageMaker;
import org.ppaforge.pipeline.testbed.Testbed;

/**
 * What the steps of one run share: the run, its pipeline and definition, the fetched commit, a scratch directory (gone
 * when the run ends), the source package once {@code source} made it, and the step logs.
 */
public final class RunContext {
    final Pipelines pipelines;
    final Run run;
    final Pipeline pipeline;
    final PipelineDefinition definition;
    final GitMirror.Fetched git;
    final Path dir;
    /** The series this run makes packages for, oldest release first. */
    final List<String> series;
    /** When the run's source packages are dated (one instant for every series: their {time} agrees). */
    final Instant now;
    /** Each series' source package, once its source step made it. */
    final Map<String, SourcePackageMaker.Result> sources = new ConcurrentHashMap<>();

    public RunContext(
            Pipelines pipelines,
            Run run,
            Pipeline pipeline,
            PipelineDefinition definition,
            GitMirror.Fetched git,
            Path dir,
            List<String> series) {
        this.pipelines = pipelines;
        this.run = run;
        this.pipeline = pipeline;
        this.definition = definition;
        this.git = git;
        this.dir = dir;
        this.series = List.copyOf(series);
        this.now = pipelines.now();
    }

    /** The series of the run, oldest release first. */
    public List<String> series() {
        return series;
    }

    /** The source package made for {@code series}. */
    SourcePackageMaker.Result source(String series) {
        SourcePackageMaker.Result r = sources.get(series);
        if (r == null) {
            throw new IllegalStateException("no source package was made for " + series);
        }
        return r;
    }

    public Run run() {
        return run;
    }

    /** Appends to the step's log (best effort: the step's result is recorded whatever happens to its log). */
    void log(String step, String text) {
        pipelines.appendLog(run.id(), step, text);
    }

    /** The last lines of the step's log, for the failure message that {@code pipeline show} prints. */
    String tail(String step) {
        try {
            List<String> lines = Files.readAllLines(pipelines.logFile(run.id(), step), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** The testbed of a series: the build farm's chroot for it. */
    Testbed testbed(String step, String series) throws IOException, InterruptedException, StepFailed {
        Chroot chroot = pipelines
                .builds()
                .store()
                .chroot(series, "amd64")
                .orElseThrow(() -> new StepFailed(step + ": no testbed for " + series
                        + ": create the build environment with 'ppa chroot create " + series + "'"));
        return Testbed.of(
                pipelines.archive().blobs().localPath(chroot.sha256()), chroot.sha256(), pipelines.testbeds());
    }

    /** The commit's tree, exported into a fresh directory of the run. */
    Path checkout(String name) throws IOException {
        Path tree = Files.createDirectories(dir.resolve(name));
        new SourcePackageMaker(git.repository()).exportTree(git.commit(), tree);
        return tree;
    }

    /** "30m", "2h", "45s". */
    static String format(Duration d) {
        return d.toSeconds() % 3600 == 0
                ? d.toHours() + "h"
                : d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
