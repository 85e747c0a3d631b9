package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.Copy;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = {
            "Copy sources from one archive to another (or another series), moving no bytes.",
            "Without --with-binaries only the source is copied (a rebuild makes binaries later).",
            "Refused: a copy older than the target's version; a different source with the same version; a copy with binaries "
                    + "that would drop binaries the target already publishes. All the sources of one call are one transaction."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:copied (or already there)",
            "2:no such archive, series, source or version",
            "3:refused by a copy rule"
        })
final class CopyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(
            arity = "1..*",
            paramLabel = "SOURCE[=VERSION]",
            description = "sources to copy (default version: the published one)")
    List<String> sources;

    @Option(names = "--from", required = true, paramLabel = "ARCHIVE")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ARCHIVE")
    String to;

    @Option(names = "--series", paramLabel = "SERIES", description = "series to copy from (and to, unless --to-series)")
    String series;

    @Option(names = "--to-series", paramLabel = "SERIES", description = "series to copy to")
    String toSeries;

    @Option(names = "--with-binaries", description = "copy the binaries too")
    boolean withBinaries;

    @Option(
            names = "--with-dependencies",
            description = "take along every source of --from whose binaries the copied binaries need (Depends, "
                    + "Pre-Depends) and that --to lacks at a high enough version, recursively; each is named with the "
                    + "relation that pulled it in")
    boolean withDependencies;

    @Option(
            names = "--with-build-deps",
            description = "with --with-dependencies: also what each source needs to build (Build-Depends, -Arch, "
                    + "-Indep, for the target's architectures)")
    boolean withBuildDeps;

    @Option(
            names = "--satisfied-by",
            split = ",",
            paramLabel = "ARCHIVE",
            description = "archives whose packages also count as there (default: the target's dependency archives, "
                    + "as 'ppa archive set ARCHIVE --depends' names them)")
    List<String> satisfiedBy;

    @Option(names = "--dry-run", description = "say what would be copied and why, changing nothing")
    boolean dryRun;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.clients()) {
            List<String> also = withDependencies
                    ? CountedAsThere.of(
                            clients, to, satisfiedBy, json, spec.commandLine().getErr())
                    : satisfiedBy;
            Copy.Result r = clients.archive()
                    .copy(new ArchiveRequests.Copy(
                            sources,
                            from,
                            to,
                            series,
                            toSeries,
                            withBinaries,
                            withDependencies,
                            also == null ? List.of() : also,
                            dryRun,
                            withBuildDeps));
            if (json) {
                Json.print(out, r);
            } else {
                for (Copy.Pulled p : r.pulled()) {
                    out.printf("%s %s: taken along (%s)%n", p.source(), p.version(), p.reason());
                }
                for (Copy.Copied c : r.copied()) {
                    out.printf(
                            "%s %s: %s %s/%s -> %s/%s%s%n",
                            c.source(),
                            c.version(),
                            c.outcome().replace('_', ' '),
                            r.from(),
                            r.fromSeries(),
                            r.to(),
                            r.toSeries(),
                            withBinaries ? " (" + c.binaries() + " binaries)" : "");
                }
            }
            return ExitCodes.OK;
        }
    }
}
