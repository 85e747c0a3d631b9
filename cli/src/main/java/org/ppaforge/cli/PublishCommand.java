package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publish an archive as a signed apt repository: PUBLISH_DIR/ARCHIVE/dists/<series>/{Release,InRelease,"
                    + "Release.gpg}, Packages/Sources (plain, .gz, .xz), Contents-<arch>.gz, by-hash/, and pool/.",
            "include, copy, sync and remove republish by themselves; run this to refresh signatures and dates (Valid-Until), "
                    + "or after changing keys or settings by hand. Unchanged parts are reused: republishing after a small change is fast."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:published",
            "2:no such archive or series; a signing key cannot be used",
            "4:writing the tree failed"
        })
final class PublishCommand implements Callable<Integer> {
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
            Publisher.Result r = clients.archive().publish(archive, series);
            if (json) {
                Json.print(out, r);
                return ExitCodes.OK;
            }
            for (Publisher.SeriesResult s : r.series()) {
                out.printf(
                        "published %s/%s: %d source(s), %d binary package(s); index chunks reused %d, rebuilt %d%n",
                        archive, s.series(), s.sources(), s.binaries(), s.chunksReused(), s.chunksRebuilt());
            }
            out.printf(
                    "tree %s; pool files linked %d, removed %d; %s; %d ms%n",
                    r.tree(),
                    r.poolLinked(),
                    r.poolRemoved(),
                    r.signedBy().isEmpty()
                            ? "UNSIGNED (no key: 'ppa key generate " + archive + "')"
                            : "signed by " + String.join(", ", r.signedBy()),
                    r.millis());
            return ExitCodes.OK;
        }
    }
}
