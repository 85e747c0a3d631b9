package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.CreateChroot;
import org.ppaforge.forge.Forge;
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
                        + "takes a tarball made elsewhere instead. Needs mmdebstrap (apt-get install mmdebstrap)."
            })
    static final class Create implements Callable<Integer> {
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
            try (Forge forge = dataDir.forge()) {
                Builds builds = forge.farm();
                PrintWriter err = spec.commandLine().getErr();
                CreateChroot.Result r = builds.createChroot()
                        .series(series)
                        .architecture(arch)
                        .mirror(mirror)
                        .suite(suite)
                        .keyring(keyring)
                        .include(include)
                        .tarball(tarball)
                        .progress(line -> {
                            if (!json) {
                                err.println("  " + line);
                                err.flush();
                            }
                        })
                        .call();
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
            if (dataDir.server() != null) {
                chroots = dataDir.remote().get("/api/v1/chroots", Remote.listOf(Chroot.class));
            } else {
                try (Forge forge = dataDir.forge()) {
                    Builds builds = forge.farm();
                    chroots = builds.listChroots().call();
                }
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
            description = "Remove a build environment (builds for it " + "then wait for a new one).")
    static final class Remove implements Callable<Integer> {
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
            try (Forge forge = dataDir.forge()) {
                Builds builds = forge.farm();
                builds.removeChroot().series(series).architecture(arch).call();
                spec.commandLine().getOut().println("removed the chroot for " + series + "/" + arch);
                return ExitCodes.OK;
            }
        }
    }
}
