package org.ppaforge.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.CollectGarbage;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.Retention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        description = {
            "Apply the retention (the logs of builds that ended long ago, pipeline runs and rebuild runs beyond the "
                    + "newest ones; the options below), then delete the pool files nothing needs any more: no "
                    + "published package names them, no superseded or deleted "
                    + "one its archive still serves (--keep-superseded of 'ppa archive set', default 1d), no build "
                    + "environment uses them. A file stored within the grace period stays whatever the database says "
                    + "(an include stores its files before it commits). 'ppa serve' does this every 6 hours.",
            "Works on the local data directory only."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:collected (or, with --dry-run, listed)", "2:a bad --grace or --keep-* value"})
final class GcCommand implements Callable<Integer>, LocalOnly {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Option(names = "--dry-run", description = "say what would go, delete nothing")
    boolean dryRun;

    @Option(
            names = "--grace",
            defaultValue = "1d",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "files stored more recently than this stay (default: ${DEFAULT-VALUE})")
    Duration grace;

    @Mixin
    RetentionOptions keep;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    /** What one gc did: the retention, then the pool. */
    record Collected(Retention.Result retention, CollectGarbage.Result pool) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Forge forge = dataDir.forge()) {
            var x = forge.expire(keep.retention(), dryRun);
            var r = forge.collectGarbage().grace(grace).dryRun(dryRun).call();
            if (json) {
                Json.print(out, new Collected(x, r));
            } else {
                String verb = dryRun ? "would delete" : "deleted";
                out.printf(
                        "%s the logs of %d builds (%s), %d pipeline runs (%s of logs and artifacts), %d rebuild runs, "
                                + "%d worker copies of replaced build environments%n",
                        verb,
                        x.buildLogs().size(),
                        BackupCommand.size(x.buildLogBytes()),
                        x.pipelineRuns().size(),
                        BackupCommand.size(x.pipelineRunBytes()),
                        x.rebuildRuns().size(),
                        x.workerChroots().size());
                out.printf(
                        "%s %d pool files (%s) nothing needs; %d kept%n",
                        verb, r.files(), BackupCommand.size(r.bytes()), r.kept());
            }
            return ExitCodes.OK;
        }
    }
}
