package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.verb.ListArchives;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.common.Times;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "archive",
        description = "Create and inspect archives (PPAs).",
        mixinStandardHelpOptions = true,
        subcommands = {
            ArchiveCommand.Create.class,
            ArchiveCommand.ListAll.class,
            ArchiveCommand.Show.class,
            ArchiveSetCommand.class
        })
final class ArchiveCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create an archive for some series and architectures.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:created", "2:invalid name, series or architecture", "3:an archive of that name exists"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "NAME", description = "archive name, e.g. trunk")
        String name;

        @Option(
                names = "--series",
                split = ",",
                required = true,
                paramLabel = "SERIES",
                description = "series it publishes for, e.g. jammy,noble")
        List<String> series;

        @Option(
                names = {"--arch", "--architectures"},
                split = ",",
                required = true,
                paramLabel = "ARCH",
                description = "architectures it builds, e.g. amd64,arm64 (Architecture: all packages go to every one)")
        List<String> architectures;

        @Option(
                names = {"--component", "--components"},
                split = ",",
                defaultValue = "main",
                paramLabel = "COMPONENT",
                description = "components (default: ${DEFAULT-VALUE})")
        List<String> components;

        @Option(names = "--description", defaultValue = "", description = "a line describing the archive")
        String description;

        @Option(
                names = "--key",
                defaultValue = "ed25519",
                paramLabel = "TYPE",
                description =
                        "signing key to generate: ed25519 (default), rsa4096, or none (add one later with 'ppa key generate')")
        String key;

        @Option(names = "--json", description = "print the archive as JSON")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                Archive a = clients.archive()
                        .createArchive(new ArchiveRequests.CreateArchive(
                                name, description, series, components, architectures, key));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, a);
                } else {
                    out.println("created archive " + a.name() + ": series " + String.join(", ", a.series())
                            + "; architectures " + String.join(", ", a.architectures()) + "; components "
                            + String.join(", ", a.components()));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List archives with the number of sources each series publishes.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                print(spec.commandLine().getOut(), clients.archive().listArchives(), json);
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one archive.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:shown", "2:no such archive"})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                List<ListArchives.Summary> one = List.of(clients.archive().showArchive(name));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, one.get(0));
                    return ExitCodes.OK;
                }
                Archive a = one.get(0).archive();
                out.println("Name: " + a.name());
                out.println("Description: " + a.description());
                out.println("Series: " + String.join(", ", a.series()));
                out.println("Components: " + String.join(", ", a.components()));
                out.println("Architectures: " + String.join(", ", a.architectures()));
                out.println("Created: " + Times.exact(a.createdAt()));
                one.get(0).publishedSources().forEach((s, n) -> out.println("Published sources in " + s + ": " + n));
                return ExitCodes.OK;
            }
        }
    }

    static void print(PrintWriter out, List<ListArchives.Summary> all, boolean json) {
        if (json) {
            Json.print(out, all);
            return;
        }
        if (all.isEmpty()) {
            out.println("no archives yet: create one with 'ppa archive create NAME --series SERIES --arch ARCH'");
            return;
        }
        Table t = new Table("ARCHIVE", "SERIES", "ARCHITECTURES", "SOURCES", "DESCRIPTION");
        for (ListArchives.Summary s : all) {
            Archive a = s.archive();
            t.row(
                    a.name(),
                    String.join(",", a.series()),
                    String.join(",", a.architectures()),
                    s.publishedSources().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum(),
                    a.description());
        }
        t.print(out);
    }
}
