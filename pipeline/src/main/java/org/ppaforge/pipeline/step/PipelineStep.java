package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.pipeline.definition.PipelineDefinition;

/** One step of a pipeline run. Steps run in a fixed order; each gets the run's context and says what it did. */
public interface PipelineStep {
    /** How often a step runs in one run. */
    enum Scope {
        /** once (check, promote) */
        ONCE,
        /** once for each series (source, upload, build) */
        PER_SERIES,
        /** once for each series and test configuration (test) */
        PER_CONFIGURATION
    }

    /** The step's name as runs show it: check, source, upload, build, test, promote. */
    String name();

    Scope scope();

    /**
     * Runs the step for one cell (its series and configuration, null where the scope has none); its return value is the
     * step's message when it passed.
     */
    String run(RunContext run, Cell cell) throws StepFailed, IOException, InterruptedException;

    /** The steps {@code d} names, in the order they run. */
    static List<PipelineStep> of(PipelineDefinition d) {
        List<PipelineStep> steps = new ArrayList<>();
        if (d.check() != null) {
            steps.add(new CheckStep());
        }
        if (d.source() != null) {
            steps.add(new SourceStep());
        }
        if (d.upload()) {
            steps.add(new UploadStep());
        }
        if (d.build() != null) {
            steps.add(new BuildStep());
        }
        if (d.test() != null) {
            steps.add(new InstallTestStep());
        }
        if (d.promote() != null) {
            steps.add(new PromoteStep());
        }
        return steps;
    }
}
