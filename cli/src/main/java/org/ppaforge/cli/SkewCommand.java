package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "skew",
        mixinStandardHelpOptions = true,
        description = {
            "Show version skew: sources published in two or more of the archives (same series) at different versions.",
            "One column per archive (empty where absent); the highest version is marked with '*'."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no skew", "1:skew found (so CI can gate on it)", "2:no such archive or series"})
final class SkewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(arity = "2..*", paramLabel = "ARCHIVE")
    List<String> archives;

    @Option(names = "--series", paramLabel = "SERIES", description = "only this series (default: all)")
    String series;

    @Option(
            names = "--dependencies",
            description = "also list binaries whose Depends or Pre-Depends the archives name but cannot satisfy at the "
                    + "versions they have (a package would run against another version of a dependency)")
    boolean dependencies;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.clients()) {
            Skew.Result r = clients.archive().skew(archives, series, dependencies);
            if (json) {
                Json.print(out, r);
            } else if (!r.hasSkew()) {
                out.println("no version skew across " + String.join(", ", archives)
                        + (dependencies ? ", and every dependency they name is satisfied" : ""));
            } else if (r.rows().isEmpty()) {
                printUnsatisfied(out, r.unsatisfied());
            } else {
                List<String> header = new ArrayList<>(List.of("SERIES", "SOURCE"));
                archives.forEach(a -> header.add(a.toUpperCase()));
                Table t = new Table(header.toArray(String[]::new));
                for (Skew.Row row : r.rows()) {
                    List<Object> cells = new ArrayList<>(List.of(row.series(), row.source()));
                    for (String a : archives) {
                        String v = row.versions().get(a);
                        cells.add(v == null ? "" : v.equals(row.highest()) ? v + " *" : v);
                    }
                    t.row(cells.toArray());
                }
                t.print(out);
                if (!r.unsatisfied().isEmpty()) {
                    out.println();
                    printUnsatisfied(out, r.unsatisfied());
                }
            }
            return r.hasSkew() ? ExitCodes.FOUND : ExitCodes.OK;
        }
    }

    /** Binaries whose dependencies the archives cannot satisfy, a row each (skew and sync print them alike). */
    static void printUnsatisfied(PrintWriter out, List<Skew.Unsatisfied> unsatisfied) {
        Table t = new Table("ARCHIVE", "SERIES", "BINARY", "VERSION", "NEEDS", "THE ARCHIVES HAVE");
        for (Skew.Unsatisfied u : unsatisfied) {
            t.row(u.archive(), u.series(), u.binary(), u.version(), u.field() + ": " + u.relation(), u.has());
        }
        t.print(out);
    }
}
