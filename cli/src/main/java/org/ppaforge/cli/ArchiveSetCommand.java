package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.ppaforge.archive.model.PublishSettings;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.farm.SetDependencies;
import org.ppaforge.farm.store.BuildStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = {
            "Change how an archive publishes, then republish it. Unset options keep their value.",
            "Keep Origin and Label stable once clients use the archive: apt stops on a change until the user passes "
                    + "--allow-releaseinfo-change."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:changed and republished", "2:no such archive, or a bad value"})
final class ArchiveSetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Option(names = "--origin", description = "Release Origin (default: ppaforge)")
    String origin;

    @Option(names = "--label", description = "Release Label (default: the archive name)")
    String label;

    @Option(
            names = "--not-automatic",
            arity = "1",
            paramLabel = "yes|no",
            converter = YesNo.class,
            description = "NotAutomatic: apt installs from it only when asked (like experimental)")
    Boolean notAutomatic;

    @Option(
            names = "--but-automatic-upgrades",
            arity = "1",
            paramLabel = "yes|no",
            converter = YesNo.class,
            description =
                    "ButAutomaticUpgrades: with NotAutomatic, still upgrade what was installed from it (like backports)")
    Boolean butAutomaticUpgrades;

    @Option(
            names = "--valid-for",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "write Valid-Until = Date + this (e.g. 7d, 12h; 0 removes it)")
    Duration validFor;

    @Option(
            names = "--keep-superseded",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "how long superseded index and pool files stay for clients mid-update (default 1d)")
    Duration keep;

    @Option(
            names = "--private",
            arity = "1",
            paramLabel = "yes|no",
            converter = YesNo.class,
            description =
                    "serve the archive only to requests with a token covering it (apt: put the token in auth.conf)")
    Boolean privateArchive;

    @Option(
            names = "--depends",
            split = ",",
            paramLabel = "ARCHIVE",
            description =
                    "other archives its builds take build-dependencies from, after itself, in order (e.g. backports; "
                            + "'' removes them)")
    List<String> depends;

    @Option(
            names = "--external-dependency",
            paramLabel = "'deb URL SUITE COMPONENT...'",
            description =
                    "an apt repository its builds take build-dependencies from last (e.g. a Debian or Ubuntu mirror); "
                            + "{series} in the suite is each build's series ('deb http://deb.debian.org/debian {series} "
                            + "main'); repeat for several, each with its --external-key; '' removes them")
    List<String> externals;

    @Option(
            names = "--external-key",
            paramLabel = "FILE",
            description = "the public key the external repository of the same position is signed with")
    List<Path> externalKeys = List.of();

    @Option(
            names = "--series",
            paramLabel = "SERIES",
            description =
                    "with --external-dependency: the lines are this series' own, used by its builds instead of the "
                            + "lines for every series (which stay as they are)")
    String series;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<SetDependencies.External> ext = null;
        if (externals != null) {
            ext = new ArrayList<>();
            List<String> lines = externals.stream().filter(l -> !l.isBlank()).toList();
            if (lines.size() != externalKeys.size()) {
                throw new IllegalArgumentException("give one --external-key per --external-dependency (" + lines.size()
                        + " and " + externalKeys.size() + ")");
            }
            for (int i = 0; i < lines.size(); i++) {
                ext.add(new SetDependencies.External(lines.get(i), Files.readAllBytes(externalKeys.get(i))));
            }
        }
        List<String> archives = depends == null
                ? null
                : depends.stream().filter(a -> !a.isBlank()).toList();
        try (Clients clients = dataDir.clients()) {
            if (archives != null || ext != null) {
                if (series != null && ext == null) {
                    throw new IllegalArgumentException(
                            "--series names the series of the --external-dependency lines: " + "give them too");
                }
                List<BuildStore.ArchiveDependency> deps =
                        clients.farm().setDependencies(archive, archives, ext, series);
                if (!json) {
                    out.println(archive + " builds against itself"
                            + (deps.isEmpty()
                                    ? " only"
                                    : ", then "
                                            + deps.stream()
                                                    .map(d -> d.kind().equals("archive")
                                                            ? d.value()
                                                            : "'" + d.value() + "'"
                                                                    + (d.series() == null
                                                                            ? ""
                                                                            : " (for " + d.series() + ")"))
                                                    .collect(Collectors.joining(", "))));
                }
            }
            PublishSettings s = clients.archive()
                    .configure(
                            archive,
                            new ArchiveRequests.Settings(
                                    origin, label, notAutomatic, butAutomaticUpgrades, validFor, keep, privateArchive));
            if (json) {
                Json.print(out, s);
            } else {
                out.printf(
                        "%s%s: Origin %s, Label %s, NotAutomatic %s, ButAutomaticUpgrades %s, Valid-Until %s, superseded files kept %s%n",
                        archive,
                        s.privateArchive() ? " (private)" : "",
                        s.originOr(archive),
                        s.labelOr(archive),
                        s.notAutomatic() ? "yes" : "no",
                        s.butAutomaticUpgrades() ? "yes" : "no",
                        s.validFor() == null ? "none" : "Date + " + Durations.format(s.validFor()),
                        Durations.format(s.keepSuperseded()));
            }
            return ExitCodes.OK;
        }
    }

    static final class YesNo implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "yes", "true", "on" -> true;
                case "no", "false", "off" -> false;
                default -> throw new CommandLine.TypeConversionException("expected yes or no, got '" + v + "'");
            };
        }
    }
}
