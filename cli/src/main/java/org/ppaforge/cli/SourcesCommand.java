package org.ppaforge.cli;

import java.util.concurrent.Callable;
import org.ppaforge.client.Clients;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "sources",
        mixinStandardHelpOptions = true,
        description = {
            "Print a deb822 .sources stanza for an archive, its public key(s) inline in Signed-By (apt >= 2.3.10).",
            "Save it as /etc/apt/sources.list.d/ARCHIVE.sources on a client."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:printed", "2:no such archive or series, no key, or a bad URL"})
final class SourcesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Option(
            names = "--url",
            paramLabel = "BASE",
            description = "where the archives are served (the archive is BASE/ARCHIVE), e.g. http://ppa.example.org or "
                    + "file:///srv/public; with --server, default: the server's URL")
    String url;

    @Option(names = "--series", paramLabel = "SERIES", description = "only this series (default: all)")
    String series;

    @Option(names = "--no-deb-src", description = "binary packages only")
    boolean noSources;

    @Option(
            names = "--key-file",
            paramLabel = "PATH",
            description =
                    "name this keyring file in Signed-By instead of writing the key inline, for apt before 2.3.10 "
                            + "(Debian 11, Ubuntu 20.04 and earlier); put the key there: ppa key export ARCHIVE | gpg --dearmor "
                            + "> PATH")
    String keyFile;

    @Override
    public Integer call() {
        try (Clients clients = dataDir.clients()) {
            if (url == null && dataDir.server() == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "Missing required option: '--url=BASE' (it may be left out only with --server)");
            }
            spec.commandLine().getOut().print(clients.archive().aptSources(archive, url, series, !noSources, keyFile));
            return ExitCodes.OK;
        }
    }
}
