package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ppaforge.forge.DiskUsage;
import org.ppaforge.forge.Forge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "du",
        mixinStandardHelpOptions = true,
        description = {
            "What takes the space of the data directory: databases, the pool (per archive, the build environments, and "
                    + "the files nothing names any more), logs, artifacts, testbeds, caches, published trees.",
            "Works on the local data directory only; changes nothing."
        })
final class DuCommand implements Callable<Integer>, LocalOnly {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Forge forge = dataDir.forge()) {
            DiskUsage.Result r = DiskUsage.of(forge);
            if (json) {
                Json.print(out, r);
                return ExitCodes.OK;
            }
            Table parts = new Table("PART", "SIZE", "WHAT");
            for (var p : r.parts()) {
                parts.row(p.name(), BackupCommand.size(p.bytes()), p.note());
            }
            parts.print(out);
            out.println();
            Table archives = new Table("ARCHIVE", "PUBLISHED", "WITH SUPERSEDED AND DELETED");
            for (var a : r.archives()) {
                archives.row(a.archive(), BackupCommand.size(a.publishedBytes()), BackupCommand.size(a.allBytes()));
            }
            archives.print(out);
            out.println();
            out.println(
                    "total " + BackupCommand.size(r.total()) + "; pool files no publication and no build environment "
                            + "names: " + BackupCommand.size(r.unreferenced()) + "; 'ppa gc' would free "
                            + BackupCommand.size(r.collectable()) + " now");
            return ExitCodes.OK;
        }
    }
}
