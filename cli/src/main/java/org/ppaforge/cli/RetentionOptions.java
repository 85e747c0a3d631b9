package org.ppaforge.cli;

import java.time.Duration;
import org.ppaforge.farm.ExpireBuildLogs;
import org.ppaforge.forge.Retention;
import org.ppaforge.pipeline.ExpireRuns;
import org.ppaforge.qa.rebuild.ExpireRebuildRuns;
import picocli.CommandLine.Option;

/** What 'ppa gc' and 'ppa serve' keep of build logs, pipeline runs and rebuild runs. */
final class RetentionOptions {
    @Option(
            names = "--keep-build-logs",
            paramLabel = "DURATION",
            converter = Durations.class,
            defaultValue = ExpireBuildLogs.DEFAULT_DAYS + "d",
            description = "delete the log and .buildinfo of a build that ended longer ago (default: ${DEFAULT-VALUE})")
    Duration buildLogs;

    @Option(
            names = "--keep-pipeline-runs",
            paramLabel = "N",
            defaultValue = ExpireRuns.DEFAULT_KEEP + "",
            description = "runs each pipeline keeps, with their logs and artifacts; older finished ones are deleted "
                    + "(default: ${DEFAULT-VALUE})")
    int pipelineRuns;

    @Option(
            names = "--keep-rebuild-runs",
            paramLabel = "N",
            defaultValue = ExpireRebuildRuns.DEFAULT_KEEP + "",
            description = "runs each rebuild set keeps, with their results (default: ${DEFAULT-VALUE})")
    int rebuildRuns;

    Retention retention() {
        return new Retention(buildLogs, pipelineRuns, rebuildRuns);
    }
}
