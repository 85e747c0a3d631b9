package org.ppaforge.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.pipeline.definition.DefinitionReader;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.step.PipelineStep;
import org.ppaforge.pipeline.step.RunContext;
import org.ppaforge.pipeline.step.StepFailed;
import org.ppaforge.pipeline.testbed.Testbed;
import org.ppaforge.pipeline.version.RecipeVariables;

/**
 * Takes a queued run through its pipeline: fetch the branch (JGit; the run's first step, {@value #FETCH}), read the
 * definition from that commit, then each step the definition names ({@link PipelineStep#of}), in order, each recorded with its state and log; the first failing
 * step fails the run and the rest are skipped.
 */
public final class PipelineRunner {
    /** The name of every run's first step. */
    public static final String FETCH = "fetch";

    private final Pipelines pipelines;

    PipelineRunner(Pipelines pipelines) {
        this.pipelines = pipelines;
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
        Path dir = pipelines.directory().resolve("runs").resolve(Long.toString(run.id()));
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
                steps(new RunContext(pipelines, run, p, d, f, dir), PipelineStep.of(d), 1);
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
        return pipelines.run(run.id());
    }

    /**
     * The run's first step, {@value #FETCH}: the branch (or the run's ref) fetched into the mirror with JGit, recorded and
     * timed like the others (a slow or unreachable remote shows there, with its log), and the commit noted on the run.
     */
    private GitMirror.Fetched fetch(Run run, Pipeline p) throws StepFailed {
        String ref = run.ref() != null ? run.ref() : p.branch();
        pipelines.store().step(run.id(), 0, FETCH, "running", null, pipelines.now());
        log(run.id(), "fetching " + ref + " from " + p.gitUrl() + "\n");
        GitMirror.Fetched f;
        try {
            f = new GitMirror(pipelines.directory().resolve("git")).fetch(p.gitUrl(), ref);
        } catch (IOException | RuntimeException e) {
            log(run.id(), e.getMessage() + "\n");
            pipelines.store().step(run.id(), 0, FETCH, "failed", e.getMessage(), pipelines.now());
            throw new StepFailed(e.getMessage());
        }
        String at = ref + " at " + f.commit().abbreviate(12).name() + ": "
                + f.commit().getShortMessage();
        log(run.id(), at + "\n");
        pipelines.store().setCommit(run.id(), f.commit().getName(), null);
        pipelines.store().step(run.id(), 0, FETCH, "passed", at, pipelines.now());
        return f;
    }

    private void log(long run, String text) {
        pipelines.appendLog(run, FETCH, text);
    }

    /** The definition's steps, recorded from {@code first} on (after the fetch). */
    private void steps(RunContext context, List<PipelineStep> steps, int first)
            throws StepFailed, InterruptedException {
        long id = context.run().id();
        for (int i = 0; i < steps.size(); i++) {
            pipelines.store().step(id, first + i, steps.get(i).name(), "waiting", null, pipelines.now());
        }
        for (int i = 0; i < steps.size(); i++) {
            String name = steps.get(i).name();
            if (pipelines.store().cancelRequested(id)) {
                skip(id, steps, i, first, "the run was cancelled");
                throw StepFailed.cancelled("cancelled");
            }
            pipelines.store().step(id, first + i, name, "running", null, pipelines.now());
            try {
                pipelines
                        .store()
                        .step(id, first + i, name, "passed", steps.get(i).run(context), pipelines.now());
            } catch (StepFailed | IOException | RuntimeException e) {
                String why = e.getMessage();
                pipelines
                        .store()
                        .step(
                                id,
                                first + i,
                                name,
                                e instanceof StepFailed sf && sf.timedOut() ? "timed-out" : "failed",
                                why,
                                pipelines.now());
                skip(id, steps, i + 1, first, "an earlier step failed");
                throw e instanceof StepFailed sf ? sf : new StepFailed(name + ": " + why);
            }
        }
    }

    private void skip(long id, List<PipelineStep> steps, int from, int first, String why) {
        for (int j = from; j < steps.size(); j++) {
            pipelines.store().step(id, first + j, steps.get(j).name(), "skipped", why, pipelines.now());
        }
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
