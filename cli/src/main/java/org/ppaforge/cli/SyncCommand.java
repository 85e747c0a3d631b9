package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.Sync;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Make TO publish exactly what FROM publishes (sources and binaries), series by series: copy what is "
                    + "new or newer, replace differing binaries, delete what FROM no longer has.",
            "The plan is printed first, then applied atomically. Downgrades are refused unless --allow-downgrade."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:synced (or nothing to do, or --dry-run)",
            "1:with --with-dependencies: some binary needs what neither TO nor the archives counted as there have",
            "2:no such archive or series",
            "3:refused: downgrades without --allow-downgrade, or a different source with the same version"
        })
final class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "FROM")
    String from;

    @Parameters(index = "1", paramLabel = "TO")
    String to;

    @Option(
            names = "--series",
            paramLabel = "SERIES",
            description = "only this series (default: every series both have)")
    String series;

    @Option(
            names = {"-n", "--dry-run"},
            description = "print the plan, change nothing")
    boolean dryRun;

    @Option(names = "--allow-downgrade", description = "apply downgrades too")
    boolean allowDowngrade;

    @Option(
            names = "--with-dependencies",
            description =
                    "a sync takes every source of FROM, so what FROM has of what they need comes along; this also "
                            + "lists what TO's binaries still need and neither TO nor the archives counted as there satisfy "
                            + "(exit 1 when any)")
    boolean withDependencies;

    @Option(
            names = "--satisfied-by",
            split = ",",
            paramLabel = "ARCHIVE",
            description = "with --with-dependencies: archives whose packages also count as there (default: TO's "
                    + "dependency archives)")
    List<String> satisfiedBy;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.clients()) {
            // The plan is printed as soon as it is made, so it shows even when applying it is refused.
            Sync.Result result = clients.archive()
                    .sync(
                            new ArchiveRequests.Sync(
                                    from,
                                    to,
                                    series,
                                    dryRun,
                                    allowDowngrade,
                                    withDependencies,
                                    withDependencies
                                            ? CountedAsThere.of(
                                                    clients,
                                                    to,
                                                    satisfiedBy,
                                                    json,
                                                    spec.commandLine().getErr())
                                            : List.of()),
                            steps -> {
                                if (!json) {
                                    printPlan(out, steps);
                                    out.flush();
                                }
                            });
            return done(out, result);
        }
    }

    private int done(PrintWriter out, Sync.Result result) {
        if (json) {
            Json.print(out, result);
        } else if (result.plan().isEmpty()) {
            out.println(to + " already publishes what " + from + " publishes");
        } else {
            out.println(
                    dryRun
                            ? "dry run: nothing changed"
                            : "applied " + result.plan().size() + " change(s) to " + to);
        }
        if (!json && !result.unsatisfied().isEmpty()) {
            SkewCommand.printUnsatisfied(out, result.unsatisfied());
        }
        return result.unsatisfied().isEmpty() ? ExitCodes.OK : ExitCodes.FOUND;
    }

    private void printPlan(PrintWriter out, List<Sync.Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        Table t = new Table("ACTION", "SERIES", "SOURCE", from.toUpperCase(), to.toUpperCase());
        for (Sync.Step s : steps) {
            t.row(s.action().name().toLowerCase(), s.series(), s.source(), s.fromVersion(), s.toVersion());
        }
        t.print(out);
    }
}
