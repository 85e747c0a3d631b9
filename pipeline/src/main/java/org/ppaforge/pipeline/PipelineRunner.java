package org.ppaforge.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.debian.series.DistroInfo;
import org.ppaforge.pipeline.definition.DefinitionReader;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.step.PipelineStep;
import org.ppaforge.pipeline.step.RunContext;
import org.ppaforge.pipeline.step.RunMatrix;
import org.ppaforge.pipeline.step.StepFailed;
import org.ppaforge.pipeline.testbed.Testbed;
import org.ppaforge.pipeline.version.RecipeVariables;

/**
 * Takes a queued run through its pipeline: fetch the branch (JGit; the run's first step, {@value #FETCH}), read the
 * definition from that commit, then each step the definition names ({@link PipelineStep#of}) in every series and test
 * configuration ({@link RunMatrix}), each recorded with its state and log.
 */
public final class PipelineRunner {
    /** The name of every run's first step. */
    public static final String FETCH = "fetch";

    private static final Run.Step FETCH_STEP = new Run.Step(FETCH, null, null, null, null, null, null);

    private final Pipelines pipelines;

    PipelineRunner(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    /**
     * Ends the runs a stopped runner left running (its server killed, or its machine gone): called where the runner
     * starts, as there is one runner at a time (one per installation, on the server that leads its task). They fail
     * with a message that says so: what they did so far (an upload, say) may have happened, so they are not run again
     * by themselves. Returns their ids.
     */
    public List<Long> endInterrupted() {
        return pipelines
                .store()
                .failRunning(
                        "interrupted: the server running it stopped before the run ended; start it again",
                        pipelines.now());
    }

    /** Runs the oldest queued run, if any; returns it as it ended (null when none was queued). */
    public Run runNext() throws InterruptedException {
        Run run = pipelines.store().startNext(pipelines.now());
        if (run == null) {
            return null;
        }
        Pipeline p = pipelines.get(run.pipeline());
        String result = Run.PASSED;
        String message = null;
        Path dir = pipelines.runDirectory(run.id());
        try {
            pruneTestbeds();
            Files.createDirectories(dir);
            try (GitMirror.Fetched f = fetch(run, p)) {
                String text = RecipeVariables.read(f.repository(), f.commit(), p.file());
                if (text == null) {
                    throw new StepFailed(
                            "the commit " + f.commit().abbreviate(12).name() + " has no " + p.file());
                }
                PipelineDefinition d = DefinitionReader.read(text, p.file());
                pipelines.store().setArchive(run.id(), d.archive());
                List<String> series = series(run, d);
                new RunMatrix(pipelines, new RunContext(pipelines, run, p, d, f, dir, series), PipelineStep.of(d))
                        .run(1);
            }
        } catch (StepFailed e) {
            result = e.cancelled() ? Run.CANCELLED : e.timedOut() ? Run.TIMED_OUT : Run.FAILED;
            message = e.getMessage();
        } catch (IOException | RuntimeException e) {
            result = Run.FAILED;
            message = e.getMessage();
        } finally {
            try {
                FileTrees.delete(dir);
            } catch (IOException e) {
                // a later run's sweep
            }
        }
        pipelines.store().finishRun(run.id(), result, message, pipelines.now());
        try {
            pipelines.keepRunFiles(run.id()); // on shared stores: into the pool, for every server
        } catch (IOException | RuntimeException e) {
            pipelines
                    .problems()
                    .accept("run " + run.id() + ": its logs and artifacts stay on this server only: " + e.getMessage());
        }
        return pipelines.run(run.id());
    }

    /**
     * The run's first step, {@value #FETCH}: the branch (or the run's ref) fetched into the mirror with JGit, recorded and
     * timed like the others (a slow or unreachable remote shows there, with its log), and the commit noted on the run.
     */
    private GitMirror.Fetched fetch(Run run, Pipeline p) throws StepFailed {
        String ref = run.ref() != null ? run.ref() : p.branch();
        pipelines.store().step(run.id(), 0, FETCH_STEP, "running", null, pipelines.now());
        log(run.id(), "fetching " + ref + " from " + p.gitUrl() + "\n");
        GitMirror.Fetched f;
        try {
            f = new GitMirror(pipelines.directory().resolve("git")).fetch(p.gitUrl(), ref);
        } catch (IOException | RuntimeException e) {
            log(run.id(), e.getMessage() + "\n");
            pipelines.store().step(run.id(), 0, FETCH_STEP, "failed", e.getMessage(), pipelines.now());
            throw new StepFailed(e.getMessage());
        }
        String at = ref + " at " + f.commit().abbreviate(12).name() + ": "
                + f.commit().getShortMessage();
        log(run.id(), at + "\n");
        pipelines.store().setCommit(run.id(), f.commit().getName(), null);
        pipelines.store().step(run.id(), 0, FETCH_STEP, "passed", at, pipelines.now());
        return f;
    }

    private void log(long run, String text) {
        pipelines.appendLog(run, FETCH, text);
    }

    /**
     * The series the run makes packages for, oldest release first: the definition's (default: every series of the
     * archive), or the one the run was asked for. A series the archive lacks fails the run, naming the archive's.
     */
    private List<String> series(Run run, PipelineDefinition d) throws StepFailed {
        List<String> archiveSeries = pipelines
                .archive()
                .listArchives()
                .name(d.archive())
                .counts(false)
                .call()
                .get(0)
                .archive()
                .series();
        List<String> wanted = d.series().isEmpty() ? archiveSeries : d.series();
        for (String s : wanted) {
            if (!archiveSeries.contains(s)) {
                throw new StepFailed("series " + s + " is not a series of archive " + d.archive() + " (it has "
                        + String.join(", ", archiveSeries) + ")");
            }
        }
        if (run.onlySeries() != null) {
            if (!wanted.contains(run.onlySeries())) {
                throw new StepFailed("the run was asked for series " + run.onlySeries()
                        + ", which the pipeline does not " + "build (it builds " + String.join(", ", wanted) + ")");
            }
            return List.of(run.onlySeries());
        }
        return DistroInfo.system().inReleaseOrder(wanted);
    }

    private volatile long prunedAt;

    /**
     * Testbeds unpacked from chroot tarballs that no series uses any more (a chroot was updated or removed) go; looked for at
     * most every ten minutes (a run's own time is mostly its steps').
     */
    private void pruneTestbeds() throws IOException {
        long now = System.nanoTime();
        if (prunedAt != 0 && now - prunedAt < 600_000_000_000L) {
            return;
        }
        prunedAt = now;
        Set<String> current = pipelines.builds().listChroots().call().stream()
                .map(c -> c.sha256())
                .collect(Collectors.toSet());
        Testbed.prune(pipelines.testbeds(), current);
    }
}
