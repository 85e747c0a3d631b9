package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.pipeline.Run;

/** One pipeline run: its steps with their logs, and its artifacts. */
public record RunView(Page page, Run run, List<StepLog> steps, List<String> artifacts) {
    public record StepLog(Run.Step step, String log) {}
}
