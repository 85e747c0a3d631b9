package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.Remove;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "remove",
        mixinStandardHelpOptions = true,
        description =
                "Delete a published source and its binaries from an archive series; who, when and why stay in the history.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:removed", "2:not published there, or no reason given"})
final class RemoveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Parameters(index = "1", paramLabel = "SOURCE[=VERSION]")
    String source;

    @Option(names = "--series", paramLabel = "SERIES", description = "series (needed when the archive has several)")
    String series;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (kept in the history)")
    String reason;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.clients()) {
            Remove.Result r = clients.archive().remove(archive, new ArchiveRequests.Remove(source, series, reason));
            if (json) {
                Json.print(out, r);
            } else {
                out.printf(
                        "removed %s %s and %d binary package(s) from %s/%s%n",
                        r.source(), r.version(), r.binaries(), r.archive(), r.series());
            }
            return ExitCodes.OK;
        }
    }
}
