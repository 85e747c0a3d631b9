package org.ppaforge.pipeline.step;

import java.util.List;
import org.ppaforge.build.Build;
import org.ppaforge.build.BuildState;

/** Waits for the build farm's builds of the uploaded version: all built passes; any other end state fails. */
final class BuildStep implements PipelineStep {
    @Override
    public String name() {
        return "build";
    }

    @Override
    public String run(RunContext c) throws StepFailed, InterruptedException {
        String archive = c.definition.archive();
        long deadline = System.nanoTime() + c.definition.build().timeout().toNanos();
        while (true) {
            List<Build> bs = c.pipelines.builds().list().archive(archive).source(c.source.source()).limit(50).call().stream()
                    .filter(b -> b.version().equals(c.source.version().toString())).toList();
            if (!bs.isEmpty() && bs.stream().allMatch(b -> b.state().isFinal() || b.state() == BuildState.DEPENDENCY_WAIT)) {
                List<String> bad = bs.stream().filter(b -> b.state() != BuildState.BUILT)
                        .map(b -> "build " + b.id() + " (" + b.architecture() + ") " + b.state().label()).toList();
                if (!bad.isEmpty()) {
                    throw new StepFailed("build: " + String.join(", ", bad));
                }
                return "built: " + String.join(", ", bs.stream().map(b -> "build " + b.id() + " (" + b.architecture() + ")").toList());
            }
            if (System.nanoTime() > deadline) {
                throw StepFailed.timedOut("build: not built within " + RunContext.format(c.definition.build().timeout()));
            }
            if (c.pipelines.store().cancelRequested(c.run.id())) {
                throw StepFailed.cancelled("cancelled while waiting for the builds");
            }
            Thread.sleep(1000);
        }
    }
}
