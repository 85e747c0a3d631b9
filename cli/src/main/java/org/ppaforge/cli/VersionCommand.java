package org.ppaforge.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "version",
        description = "Compare and sort Debian versions exactly as dpkg does.",
        mixinStandardHelpOptions = true,
        subcommands = {VersionCommand.Compare.class, VersionCommand.Sort.class})
final class VersionCommand {

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description = {
                "Print '<', '=' or '>' for how version A orders against version B.",
                "Equal versions may be spelled differently: 1.01 = 1.1, 0:1.0 = 1.0."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:compared (whatever the result)",
                "2:a version is invalid (the message names it and the rule)"
            })
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "A", description = "first version")
        String a;

        @Parameters(index = "1", paramLabel = "B", description = "second version")
        String b;

        @Override
        public Integer call() {
            int c = Version.parse(a).compareTo(Version.parse(b));
            spec.commandLine().getOut().println(c < 0 ? "<" : c == 0 ? "=" : ">");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "sort",
            mixinStandardHelpOptions = true,
            description = {
                "Sort versions read from standard input, one per line, lowest first.",
                "Empty lines are skipped; the sort is stable, so equal versions keep their input order."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:sorted",
                "2:a line is not a valid version (the message gives its line number); nothing is printed"
            })
    static final class Sort implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = {"-r", "--reverse"},
                description = "highest first")
        boolean reverse;

        @Option(names = "--json", description = "print a JSON array of {version, epoch, upstream, revision}")
        boolean json;

        @Override
        public Integer call() throws IOException {
            List<Version> versions = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    versions.add(Version.parse(line));
                } catch (FormatException e) {
                    throw new FormatException("stdin", number, e.getMessage(), e);
                }
            }
            versions.sort(reverse ? Comparator.<Version>reverseOrder() : Comparator.<Version>naturalOrder());
            var out = spec.commandLine().getOut();
            if (json) {
                Json.print(
                        out,
                        versions.stream()
                                .map(v -> Map.of(
                                        "version",
                                        v.toString(),
                                        "epoch",
                                        v.epoch(),
                                        "upstream",
                                        v.upstream(),
                                        "revision",
                                        v.revision()))
                                .toList());
            } else {
                for (Version v : versions) {
                    out.println(v);
                }
            }
            return ExitCodes.OK;
        }
    }
}
