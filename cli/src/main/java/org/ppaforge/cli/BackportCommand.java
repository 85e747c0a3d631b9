package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.client.Clients;
import org.ppaforge.qa.rebuild.BackportPlan;
import org.ppaforge.qa.rebuild.BackportRequest;
import org.ppaforge.qa.rebuild.CreateBackport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "backport",
        mixinStandardHelpOptions = true,
        description = {
            "Backport a source from an apt repository into an archive: its InRelease checked against --from-key, its "
                    + "Sources entry and every file against their sizes and SHA-256; a changelog entry with the "
                    + "backport's version and where it came from; packed again with dpkg-source (every format) and "
                    + "included, so the build farm builds it.",
            "Versions as users know them: Debian's ~bpo12+1, Ubuntu's ~22.04.1 (from distro-info-data), or "
                    + "--version-suffix '~ppa{n}'; a second backport of the same version gets the next number; a "
                    + "version that would not upgrade what the archive has is refused.",
            "Runs on the server's machine only (no --server)."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:backported (or, with --dry-run, what it would be)",
            "1:with --dry-run: the plan has relations nothing satisfies, or cycles",
            "2:bad input: no such archive or series, no such package in the repository, a bad key or spec",
            "3:refused: the backport would not upgrade the archive's version",
            "4:the repository could not be read or did not check out"
        })
final class BackportCommand implements Callable<Integer>, LocalOnly {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(
            paramLabel = "SOURCE[=VERSION]",
            description = "the source package to backport (default: its newest version there)")
    String source;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "'deb-src URL SUITE COMPONENT' | ARCHIVE[/SERIES]",
            description = "the apt repository to take it from, or an archive of this server")
    String from;

    @Option(
            names = "--from-key",
            paramLabel = "FILE",
            description = "the key its InRelease is signed with (a keyring as /usr/share/keyrings holds, or armoured)")
    Path fromKey;

    @Option(names = "--to", required = true, paramLabel = "ARCHIVE")
    String to;

    @Option(names = "--series", required = true, paramLabel = "SERIES", description = "the target series")
    String series;

    @Option(
            names = "--version-suffix",
            paramLabel = "TEMPLATE",
            description = "e.g. '~ppa{n}' ({n}: the backport's number; {series-number}: 12, 22.04); default: the "
                    + "target distribution's style")
    String versionSuffix;

    @Option(
            names = "--sign-key",
            paramLabel = "FILE",
            description = "sign the .dsc with this secret key (gpg --export-secret-keys --armor KEYID; "
                    + "PPAFORGE_KEY_PASSPHRASE unlocks it) instead of the target archive's key")
    Path signKey;

    @Option(
            names = "--with-build-deps",
            description = "also backport, first and recursively, each build-dependency that what the archive's builds "
                    + "see (the distribution, the archive, its dependency archives) does not satisfy and the "
                    + "repository has; the farm builds each when what it needs is published")
    boolean withBuildDeps;

    @Option(
            names = "--with-depends",
            description = "also check what the binaries need to install (with --with-build-deps: take it along too)")
    boolean withDepends;

    @Option(
            names = "--dry-run",
            description = "fetch and check, print the plan (which sources, which versions, why, in build order), "
                    + "change nothing")
    boolean dryRun;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String key =
                fromKey == null ? null : OpenPgp.armoredPublicKeys(Files.readAllBytes(fromKey), fromKey.toString());
        PrintWriter out = spec.commandLine().getOut();
        try (Clients clients = dataDir.localClients()) {
            CreateBackport.Result r = clients.rebuilds()
                    .backport(new BackportRequest(
                            source,
                            from,
                            key,
                            to,
                            series,
                            versionSuffix,
                            dryRun,
                            withBuildDeps,
                            withDepends,
                            signKey == null
                                    ? null
                                    : OpenPgp.armor(
                                            OpenPgp.readSecretRing(Files.readAllBytes(signKey), signKey.toString()))));
            if (json) {
                Json.print(out, r);
                return r.unsatisfied().isEmpty() && r.cycles().isEmpty() ? ExitCodes.OK : ExitCodes.FOUND;
            }
            if (r.plan().size() > 1 || dryRun) {
                out.println((dryRun ? "plan" : "backported") + ", in build order:");
                int i = 0;
                for (BackportPlan.Step s : r.plan()) {
                    out.println("  " + ++i + ". " + s.source() + " " + s.version() + " as " + s.backportVersion()
                            + (s.source().equals(r.source()) ? "" : ": " + s.why())
                            + (s.after().isEmpty() ? "" : " (builds after " + String.join(", ", s.after()) + ")"));
                }
            }
            r.unsatisfied().forEach(u -> out.println("  nothing satisfies " + u));
            r.cycles().forEach(c -> out.println("  cycle: " + c));
            out.println((dryRun ? "would backport " : "backported ") + r.source() + " " + r.version() + " from "
                    + r.from() + " as " + r.backportVersion() + " into " + to + "/" + r.series()
                    + (dryRun ? "" : " (" + r.dsc() + "; the build farm builds it)"));
            return r.unsatisfied().isEmpty() && r.cycles().isEmpty() ? ExitCodes.OK : ExitCodes.FOUND;
        }
    }
}
