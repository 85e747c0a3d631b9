package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.FarmRequests;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.CreateChroot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "chroot",
        mixinStandardHelpOptions = true,
        description = {
            "Build environments: one mmdebstrap tarball (--variant=buildd) per series and architecture, kept in "
                    + "the blob store; workers fetch each once. Builds of a series without one wait (chroot-wait) and start by "
                    + "themselves once it exists."
        },
        subcommands = {ChrootCommand.Create.class, ChrootCommand.ListAll.class, ChrootCommand.Remove.class})
final class ChrootCommand {

    @Command(
            name = "create",
            aliases = "update",
            mixinStandardHelpOptions = true,
            description = {
                "Make (or remake: 'update') the build environment of a series with mmdebstrap, e.g.",
                "  ppa chroot create bookworm --arch amd64 --mirror http://deb.debian.org/debian --include debhelper",
                "Packages named with --include are in every build already (debhelper: builds start sooner). --tarball "
                        + "takes a tarball made elsewhere instead. Needs mmdebstrap (apt-get install mmdebstrap).",
                "Runs on the server's machine only (no --server): mmdebstrap runs where the environment is kept."
            })
    static final class Create implements Callable<Integer>, LocalOnly {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "SERIES", description = "the archive series it builds for (e.g. bookworm, noble)")
        String series;

        @Option(names = "--arch", defaultValue = "amd64", description = "architecture (default: ${DEFAULT-VALUE})")
        String arch;

        @Option(names = "--mirror", paramLabel = "URL", description = "the Debian or Ubuntu mirror to install from")
        String mirror;

        @Option(names = "--suite", paramLabel = "SUITE", description = "the mirror's suite (default: SERIES)")
        String suite;

        @Option(names = "--keyring", paramLabel = "FILE", description = "the keyring the mirror is signed with")
        Path keyring;

        @Option(
                names = "--include",
                split = ",",
                paramLabel = "PKG",
                description = "packages to preinstall, comma-separated")
        List<String> include = List.of();

        @Option(
                names = "--tarball",
                paramLabel = "FILE",
                description = "use this tarball instead of running mmdebstrap")
        Path tarball;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (Clients clients = dataDir.localClients()) {
                PrintWriter err = spec.commandLine().getErr();
                CreateChroot.Result r = clients.farm()
                        .createChroot(
                                new FarmRequests.CreateChroot(series, arch, mirror, suite, keyring, include, tarball),
                                line -> {
                                    if (!json) {
                                        err.println("  " + line);
                                        err.flush();
                                    }
                                });
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, r);
                } else {
                    out.println("chroot for " + series + "/" + arch + ": "
                            + r.chroot().size() / (1 << 20) + " MiB, sha256 "
                            + r.chroot().sha256()
                            + (r.buildsReleased() == 0
                                    ? ""
                                    : "; " + r.buildsReleased() + " build(s) waiting for it are queued"));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the build environments.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            List<Chroot> chroots;
            try (Clients clients = dataDir.clients()) {
                chroots = clients.farm().listChroots();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, chroots);
                return ExitCodes.OK;
            }
            Table t = new Table("SERIES", "ARCH", "SIZE", "FROM", "INCLUDES", "CREATED");
            for (Chroot c : chroots) {
                t.row(
                        c.series(),
                        c.architecture(),
                        c.size() / (1 << 20) + " MiB",
                        c.mirror().isEmpty() ? "(tarball)" : c.mirror() + " " + c.suite(),
                        c.includes(),
                        c.createdAt());
            }
            if (t.isEmpty()) {
                out.println("no chroots yet: 'ppa chroot create SERIES --arch ARCH --mirror URL'");
            } else {
                t.print(out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = {
                "Remove a build environment (builds for it then wait for a new one).",
                "Runs on the server's machine only (no --server)."
            })
    static final class Remove implements Callable<Integer>, LocalOnly {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "SERIES")
        String series;

        @Option(names = "--arch", defaultValue = "amd64", description = "architecture (default: ${DEFAULT-VALUE})")
        String arch;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.localClients()) {
                clients.farm().removeChroot(series, arch);
                spec.commandLine().getOut().println("removed the chroot for " + series + "/" + arch);
                return ExitCodes.OK;
            }
        }
    }
}
