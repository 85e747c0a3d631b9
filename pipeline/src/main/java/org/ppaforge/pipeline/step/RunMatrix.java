package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.definition.PipelineDefinition;

/**
 * A run's steps in every series and test configuration. Each step runs once (check, promote), once per series (source,
 * upload, build) or once per series and configuration (test); every cell is one recorded row with its own log. A cell
 * that fails stops the later steps of its series only (they are skipped, naming it), so the matrix shows every series'
 * fate; the run fails when any cell failed, and the promotion, which copies every series or none, runs only when all
 * passed. Test cells run in parallel, up to one per processor.
 */
public final class RunMatrix {
    private final Pipelines pipelines;
    private final RunContext context;
    private final List<PipelineStep> steps;
    private final int configurations;

    public RunMatrix(Pipelines pipelines, RunContext context, List<PipelineStep> steps) {
        this.pipelines = pipelines;
        this.context = context;
        this.steps = steps;
        PipelineDefinition.Test test = context.definition.test();
        this.configurations = test == null ? 0 : test.configurations().size();
    }

    /** A planned cell: its step, where it runs and its row. */
    private record Planned(PipelineStep step, Cell cell, int position) {
        Run.Step row() {
            return new Run.Step(cell.label(), "waiting", null, null, null, cell.series(), cell.configuration());
        }
    }

    /** The cells of one step. */
    private List<Cell> cells(PipelineStep step) {
        List<String> series = context.series;
        List<Cell> out = new ArrayList<>();
        switch (step.scope()) {
            case ONCE -> out.add(Cell.once(step.name()));
            case PER_SERIES -> series.forEach(s -> out.add(Cell.of(step.name(), s, series.size(), null, 0)));
            case PER_CONFIGURATION -> {
                for (String s : series) {
                    for (PipelineDefinition.Configuration c :
                            context.definition.test().configurations()) {
                        out.add(Cell.of(step.name(), s, series.size(), c.name(), configurations));
                    }
                }
            }
        }
        return out;
    }

    /** Runs every cell, recorded from position {@code first} on; throws when any failed (naming them). */
    public void run(int first) throws StepFailed, InterruptedException {
        long id = context.run().id();
        List<List<Planned>> plan = new ArrayList<>();
        int position = first;
        for (PipelineStep step : steps) {
            List<Planned> cells = new ArrayList<>();
            for (Cell cell : cells(step)) {
                Planned p = new Planned(step, cell, position++);
                record(p, "waiting", null);
                cells.add(p);
            }
            plan.add(cells);
        }
        String missing = missingTestbeds();
        if (missing != null) {
            plan.forEach(cells -> cells.forEach(p -> record(p, "skipped", missing)));
            throw new StepFailed(missing);
        }
        Set<String> failedSeries = new HashSet<>();
        List<StepFailed> failures = new ArrayList<>();
        for (List<Planned> cells : plan) {
            if (pipelines.store().cancelRequested(id)) {
                skipFrom(plan, cells.get(0).position(), "the run was cancelled");
                throw StepFailed.cancelled("cancelled");
            }
            List<Planned> todo = new ArrayList<>();
            for (Planned p : cells) {
                String why = skipReason(p.cell(), failures, failedSeries);
                if (why != null) {
                    record(p, "skipped", why);
                } else {
                    todo.add(p);
                }
            }
            for (StepFailed f : runAll(todo)) {
                failures.add(f);
                if (f.series != null) {
                    failedSeries.add(f.series);
                }
                if (f.cancelled()) {
                    skipFrom(plan, cells.get(cells.size() - 1).position() + 1, "the run was cancelled");
                    throw f;
                }
            }
        }
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        if (!failures.isEmpty()) {
            boolean allTimedOut = failures.stream().allMatch(StepFailed::timedOut);
            String message = String.join(
                    "; ", failures.stream().map(StepFailed::getMessage).toList());
            throw allTimedOut ? StepFailed.timedOut(message) : new StepFailed(message);
        }
    }

    /**
     * Why a cell is skipped (null: it runs): a step that runs once after any failure; a series' cell after its series
     * failed, or after a step that runs once failed.
     */
    private String skipReason(Cell cell, List<StepFailed> failures, Set<String> failedSeries) {
        if (cell.series() == null) {
            if (failures.isEmpty()) {
                return null;
            }
            return "an earlier step failed"
                    + (failedSeries.isEmpty() ? "" : " (in " + String.join(", ", sorted(failedSeries)) + ")");
        }
        if (failedSeries.contains(cell.series())) {
            return "an earlier step " + (context.series.size() > 1 ? "in " + cell.series() + " " : "") + "failed";
        }
        return failures.stream().anyMatch(f -> f.series == null) ? "an earlier step failed" : null;
    }

    /** Records every planned cell from {@code position} on as skipped. */
    private void skipFrom(List<List<Planned>> plan, int position, String why) {
        plan.stream()
                .flatMap(List::stream)
                .filter(p -> p.position() >= position)
                .forEach(p -> record(p, "skipped", why));
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** The cells of one step: one after the other, or test cells side by side. */
    private List<StepFailed> runAll(List<Planned> cells) throws InterruptedException {
        List<StepFailed> out = new ArrayList<>();
        if (cells.size() <= 1 || cells.get(0).step().scope() != PipelineStep.Scope.PER_CONFIGURATION) {
            for (Planned p : cells) {
                StepFailed f = runOne(p);
                if (f != null) {
                    out.add(f);
                }
            }
            return out;
        }
        int parallel = Math.max(1, Math.min(cells.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<StepFailed>> futures = new ArrayList<>();
            for (Planned p : cells) {
                futures.add(pool.submit(() -> runOne(p)));
            }
            for (Future<StepFailed> f : futures) {
                try {
                    StepFailed failed = f.get();
                    if (failed != null) {
                        out.add(failed);
                    }
                } catch (ExecutionException e) {
                    out.add(new StepFailed("test: " + e.getCause().getMessage()));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one cell and records it; returns its failure (null when it passed). */
    private StepFailed runOne(Planned p) throws InterruptedException {
        record(p, "running", null);
        try {
            String message = p.step().run(context, p.cell());
            record(p, "passed", message);
            return null;
        } catch (StepFailed | IOException | RuntimeException e) {
            String why = e.getMessage();
            boolean timedOut = e instanceof StepFailed sf && sf.timedOut();
            record(p, timedOut ? "timed-out" : "failed", why);
            StepFailed f =
                    e instanceof StepFailed sf ? sf : new StepFailed(p.step().name() + ": " + why);
            return f.in(p.cell(), p.step().name());
        }
    }

    /**
     * Which build environment (build farm chroot) is missing for a step that needs one (check and test run in it, build
     * waits for builds in it), as the sentence that fails the run before anything is made; null when none is.
     */
    private String missingTestbeds() {
        List<String> need = new ArrayList<>();
        if (context.definition.test() != null || context.definition.build() != null) {
            need.addAll(context.series);
        } else if (context.definition.check() != null) {
            need.add(context.series.get(0));
        }
        List<String> missing = need.stream()
                .filter(s -> pipelines.builds().store().chroot(s, "amd64").isEmpty())
                .toList();
        if (missing.isEmpty()) {
            return null;
        }
        return "no build environment (amd64) for " + String.join(", ", missing) + ": create "
                + (missing.size() == 1 ? "it" : "them") + " with "
                + String.join(
                        " and ",
                        missing.stream()
                                .map(s -> "'ppa chroot create " + s + "'")
                                .toList());
    }

    private void record(Planned p, String state, String message) {
        pipelines.store().step(context.run().id(), p.position(), p.row(), state, message, pipelines.now());
    }
}
