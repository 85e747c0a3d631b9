package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.verb.ImportRepository;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Bring an existing apt repository into an archive: a reprepro or aptly tree, a Launchpad PPA, a "
                    + "distribution's suite filtered to some packages. Its InRelease is checked against --key, every "
                    + "index against the InRelease and every file against its index; versions are kept exactly.",
            "Files are fetched into the data directory's work area and kept until the import ends: after an "
                    + "interrupt, the same command fetches only what is missing. Each component is then included in "
                    + "one transaction (nothing half-imported is published).",
            "--update brings what changed since an earlier import (aptly's 'mirror update'); what the repository "
                    + "no longer has stays unless --remove-missing is given.",
            "Runs on the server's machine only (no --server)."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:imported (or, with --dry-run, what it would do)",
            "2:bad input: a bad repository line, key or package name, no such archive, series or component",
            "3:refused: the InRelease is not signed by the key, a file does not match its index, or the series "
                    + "already holds packages and --update was not given",
            "4:the repository could not be reached"
        })
final class ImportCommand implements Callable<Integer>, LocalOnly {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(
            paramLabel = "'deb URL SUITE [COMPONENT...]'",
            description =
                    "the repository, as a sources.list line (components: default those of its Release the archive has)")
    String from;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "the key its InRelease is signed with (a keyring as /usr/share/keyrings holds, or armoured)")
    Path key;

    @Option(
            names = "--ignore-signature",
            description = "import without checking the InRelease's signature (the hashes are still checked)")
    boolean ignoreSignature;

    @Option(names = "--into", required = true, paramLabel = "ARCHIVE")
    String into;

    @Option(
            names = "--series",
            paramLabel = "SERIES",
            description = "the target series (default: the repository's Codename)")
    String series;

    @Option(
            names = "--packages",
            split = ",",
            paramLabel = "NAME",
            description = "only these packages: binary names, or source names (all their binaries)")
    List<String> packages = List.of();

    @Option(names = "--with-sources", description = "also the source packages (the components' Sources)")
    boolean withSources;

    @Option(names = "--update", description = "the series holds an earlier import: bring what changed since")
    boolean update;

    @Option(names = "--remove-missing", description = "with --update: remove the sources the repository no longer has")
    boolean removeMissing;

    @Option(names = "--dry-run", description = "read and check the indices, say what would change, change nothing")
    boolean dryRun;

    @Option(
            names = "--progress",
            negatable = true,
            description = "progress bar on stderr (default: when stderr is a terminal)")
    Boolean progress;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String armoured = key == null ? null : OpenPgp.armoredPublicKeys(Files.readAllBytes(key), key.toString());
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.localClients()) {
            ImportRepository.Result r = clients.archive()
                    .importRepository(
                            new ArchiveRequests.Import(
                                    from,
                                    armoured,
                                    ignoreSignature,
                                    into,
                                    series,
                                    packages,
                                    withSources,
                                    update,
                                    removeMissing,
                                    dryRun),
                            ProgressBar.choose(progress, spec.commandLine().getErr()));
            if (json) {
                Json.print(out, r);
                return ExitCodes.OK;
            }
            for (String s : r.skipped()) {
                spec.commandLine().getErr().println("ppa: skipped " + s);
            }
            out.printf(
                    "%s %s into %s/%s%s: %d entries, %d unchanged, %d file(s) %s (%s), %d published, %d removed%s%n",
                    dryRun ? "would import" : "imported",
                    r.from(),
                    r.archive(),
                    r.series(),
                    r.signedBy() == null ? " (signature not checked)" : ", signed by " + r.signedBy(),
                    r.listed(),
                    r.unchanged(),
                    r.fetched(),
                    dryRun ? "to fetch" : "fetched",
                    human(r.fetchedBytes()),
                    r.published().size(),
                    r.removed().size(),
                    r.skipped().isEmpty() ? "" : ", " + r.skipped().size() + " skipped");
            if (r.published().size() <= 20) {
                r.published().forEach(p -> out.println("  " + (dryRun ? "would publish " : "published ") + p));
            }
            r.removed().forEach(p -> out.println("  " + (dryRun ? "would remove " : "removed ") + p));
            return ExitCodes.OK;
        }
    }

    private static String human(long bytes) {
        return bytes < 10_000 ? bytes + " B" : bytes < 10_000_000 ? bytes / 1000 + " kB" : bytes / 1_000_000 + " MB";
    }
}
