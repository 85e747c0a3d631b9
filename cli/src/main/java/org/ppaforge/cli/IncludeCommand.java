package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.common.ForgeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "include",
        mixinStandardHelpOptions = true,
        description = {
            "Add package files to an archive series: .deb files, a .dsc (with the files it lists beside it) or "
                    + "a .changes (with its files).",
            "Every file is read and its checksums verified before anything changes; then all of it is recorded in one "
                    + "transaction. Including what is already published changes nothing.",
            "When a 'ppa serve' holds the data directory, a few files (up to 16, 64 MiB) are handed to it and included "
                    + "there, without this command's cold start (PPAFORGE_HANDOFF=0 keeps them here)."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:included (or already there)",
            "2:a file is missing, corrupt or inconsistent; no such archive or series",
            "3:refused: older than the published version, or a pool file name reused with other content (with "
                    + "--skip-refused: such files are skipped, exit 0)",
            "4:I/O error, or the store stayed busy"
        })
final class IncludeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "FILE",
            description = ".deb, .dsc or .changes files; a directory stands for the .deb files in it")
    List<Path> files;

    @Option(
            names = "--series",
            paramLabel = "SERIES",
            description = "target series (needed when the archive has several)")
    String series;

    @Option(
            names = "--component",
            paramLabel = "COMPONENT",
            description = "target component (default: the archive's first)")
    String component;

    @Option(names = "--allow-downgrade", description = "replace a published version by an older one")
    boolean allowDowngrade;

    @Option(
            names = "--skip-refused",
            description = "bulk imports: skip each file the archive's rules refuse (an older "
                    + "version, an architecture the archive does not build, a pool name with other content, an unreadable .deb), "
                    + "name it and why on stderr, and include the rest")
    boolean skipRefused;

    @Option(
            names = "--progress",
            negatable = true,
            description = "progress bar on stderr (default: when stderr is a terminal)")
    Boolean progress;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Clients handed = small(files) ? dataDir.handoff() : null;
        if (handed != null) {
            try (handed) {
                return print(out, include(handed));
            } catch (ForgeException e) {
                if (e.kind() != ForgeException.Kind.TOO_LARGE) {
                    throw e;
                }
                // The server's upload limits are lower than this command's own: nothing changed there, do it here.
            }
        }
        try (Clients clients = dataDir.clients()) {
            return print(out, include(clients));
        }
    }

    private Include.Result include(Clients clients) throws IOException {
        return clients.archive()
                .include(
                        new ArchiveRequests.Include(archive, series, component, allowDowngrade, skipRefused),
                        files,
                        ProgressBar.choose(progress, spec.commandLine().getErr()));
    }

    /**
     * Work small enough to hand to a running server (a few files, 64 MiB in all, no directory): bulk work is read
     * faster here, in parallel and without the server's upload limits.
     */
    static boolean small(List<Path> files) {
        if (files.size() > 16) {
            return false;
        }
        long bytes = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                return false;
            }
            try {
                bytes += Files.size(f);
            } catch (IOException e) {
                return false;
            }
        }
        return bytes <= 64L << 20;
    }

    private Integer print(PrintWriter out, Include.Result r) {
        if (json) {
            Json.print(out, r);
        } else {
            for (String s : r.skipped()) {
                spec.commandLine().getErr().println("ppa: skipped " + s);
            }
            out.printf(
                    "%s/%s: %d source(s) and %d binary package(s) published, %d unchanged, %d superseded%s%n",
                    r.archive(),
                    r.series(),
                    r.publishedSources().size(),
                    r.publishedBinaries().size(),
                    r.unchanged().size(),
                    r.superseded().size(),
                    r.skipped().isEmpty() ? "" : ", " + r.skipped().size() + " skipped");
            if (r.publishedSources().size() + r.publishedBinaries().size() <= 20) {
                r.publishedSources().forEach(s -> out.println("  source  " + s));
                r.publishedBinaries().forEach(b -> out.println("  binary  " + b));
            }
        }
        return ExitCodes.OK;
    }
}
