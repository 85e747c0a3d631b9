package org.ppaforge.pipeline.step;

import java.util.List;
import org.ppaforge.farm.AwaitBuilds;
import org.ppaforge.farm.BuildState;

/** Waits for the build farm's builds of the uploaded version: all built passes; any other end state fails. */
final class BuildStep implements PipelineStep {
    @Override
    public String name() {
        return "build";
    }

    @Override
    public Scope scope() {
        return Scope.PER_SERIES;
    }

    @Override
    public String run(RunContext c, Cell cell) throws StepFailed, InterruptedException {
        AwaitBuilds.Result r = c.pipelines
                .builds()
                .await()
                .of(
                        c.definition.archive(),
                        c.source(cell.series()).source(),
                        c.source(cell.series()).version().toString())
                .timeout(c.definition.build().timeout())
                .giveUpWhen(() -> c.pipelines.store().cancelRequested(c.run.id()))
                .call();
        if (r.gaveUp()) {
            throw StepFailed.cancelled("cancelled while waiting for the builds");
        }
        if (!r.done()) {
            throw StepFailed.timedOut("build: not built within "
                    + RunContext.format(c.definition.build().timeout()));
        }
        List<String> bad = r.builds().stream()
                .filter(b -> b.state() != BuildState.BUILT)
                .map(b -> "build " + b.id() + " (" + b.architecture() + ") "
                        + b.state().label())
                .toList();
        if (!bad.isEmpty()) {
            throw new StepFailed("build: " + String.join(", ", bad));
        }
        return "built: "
                + String.join(
                        ", ",
                        r.builds().stream()
                                .map(b -> "build " + b.id() + " (" + b.architecture() + ")")
                                .toList());
    }
}
