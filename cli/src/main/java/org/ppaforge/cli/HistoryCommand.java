package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.History;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description =
                "Every publication of a source in an archive, oldest first: version, status, how it arrived, dates.")
final class HistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Parameters(index = "1", paramLabel = "SOURCE")
    String source;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.clients()) {
            List<History.Entry> entries = clients.archive().history(archive, source);
            if (json) {
                Json.print(out, entries);
                return ExitCodes.OK;
            }
            Table t = new Table("SERIES", "VERSION", "STATUS", "ORIGIN", "CREATED", "BY", "ENDED", "NOTE");
            for (History.Entry e : entries) {
                Object ended = e.deleted() != null ? e.deleted() : e.superseded();
                String note = e.deleted() != null
                        ? "deleted by " + e.deletedBy() + ": " + e.deletedReason()
                        : e.binaries().size() + " binaries";
                t.row(e.series(), e.version(), e.status(), e.origin(), e.created(), e.createdBy(), ended, note);
            }
            t.print(out);
            return ExitCodes.OK;
        }
    }
}
