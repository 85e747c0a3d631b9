package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List what an archive publishes: each source with its version and its binaries per architecture.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Option(names = "--series", paramLabel = "SERIES", description = "only this series (default: all)")
    String series;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.clients()) {
            List<ListPackages.Entry> entries = clients.archive().list(archive, series);
            if (json) {
                Json.print(out, entries);
                return ExitCodes.OK;
            }
            Table t = new Table("SERIES", "SOURCE", "VERSION", "BINARIES");
            for (ListPackages.Entry e : entries) {
                String binaries = e.binaries().entrySet().stream()
                        .map(x -> x.getKey() + ": "
                                + x.getValue().stream()
                                        .map(ListPackages.Binary::name)
                                        .collect(Collectors.joining(" ")))
                        .collect(Collectors.joining("; "));
                t.row(
                        e.series(),
                        e.source()
                                + (e.hasSource() ? "" : " (binaries only)")
                                + (e.superseded() ? " (superseded: binaries left until replaced or removed)" : ""),
                        e.version(),
                        binaries);
            }
            if (t.isEmpty()) {
                out.println(archive + " publishes nothing" + (series == null ? "" : " in " + series) + " yet");
            } else {
                t.print(out);
            }
            return ExitCodes.OK;
        }
    }
}
