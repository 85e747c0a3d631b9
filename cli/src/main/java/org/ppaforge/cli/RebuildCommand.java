package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.client.Clients;
import org.ppaforge.client.RebuildClient;
import org.ppaforge.common.ForgeException;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;
import org.ppaforge.qa.rebuild.RebuildSetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "rebuild",
        mixinStandardHelpOptions = true,
        description = {
            "Regression rebuilds: packages of one archive rebuilt into another (version VERSION~rebuildYYYYMMDD.RUN, "
                    + "so they never shadow the real ones) by the build farm with their build-time tests, then their autopkgtests "
                    + "(autopkgtest-virt-unshare on the build farm's chroot), each judged against its history: passed, regression, "
                    + "always-failed, fixed, flaky, neutral, temporary, build-regression, build-always-failed; skipped when nothing "
                    + "changed. On the local data directory 'run' runs the set and waits (a 'ppa serve' on it, or 'ppa worker's, do the "
                    + "builds); with --server it asks the server to run it."
        },
        subcommands = {
            RebuildCommand.Create.class,
            RebuildCommand.ListAll.class,
            RebuildCommand.Show.class,
            RebuildCommand.RunNow.class,
            RebuildCommand.Runs.class,
            RebuildCommand.Results.class
        })
final class RebuildCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Define a rebuild set.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "ARCHIVE[/SERIES]|'deb-src URL SUITE COMPONENT'",
                description =
                        "where the sources come from: an archive here, or an apt repository (e.g. a Debian mirror)")
        String from;

        @Option(
                names = "--from-key",
                paramLabel = "FILE",
                description = "for an apt repository: the key its InRelease is signed with "
                        + "(armoured, e.g. from gpg --export --armor)")
        Path fromKey;

        @Option(
                names = "--packages",
                required = true,
                split = ",",
                paramLabel = "P1,P2",
                description = "source packages")
        List<String> packages;

        @Option(
                names = "--into",
                required = true,
                paramLabel = "ARCHIVE[/SERIES]",
                description = "where the rebuilds go")
        String into;

        @Option(
                names = "--schedule",
                paramLabel = "daily|CRON",
                description = "run by 'ppa serve': daily (once a day, UTC) or "
                        + "a cron expression such as '30 3 * * *'; default: by hand only")
        String schedule;

        @Option(
                names = "--webhook",
                paramLabel = "URL",
                description = "each run's regressions and changes are POSTed here as JSON " + "(retried)")
        String webhook;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws IOException {
            try (Clients clients = dataDir.clients()) {
                RebuildClient c = clients.rebuilds();
                boolean apt = from.startsWith("deb") || from.startsWith("http");
                String[] f = apt ? new String[] {from} : from.split("/", 2);
                String[] i = into.split("/", 2);
                String key = null;
                if (fromKey != null) { // armoured or a binary keyring (as /usr/share/keyrings holds): stored armoured
                    key = OpenPgp.armoredPublicKeys(Files.readAllBytes(fromKey), fromKey.toString());
                }
                RebuildSet s = c.create(new RebuildSetRequest(
                        name,
                        f[0],
                        f.length > 1 ? f[1] : null,
                        packages,
                        i[0],
                        i.length > 1 ? i[1] : null,
                        schedule,
                        webhook,
                        key));
                if (json) {
                    Json.print(spec.commandLine().getOut(), s);
                } else {
                    spec.commandLine()
                            .getOut()
                            .println("rebuild set " + s.name() + ": " + String.join(", ", s.packages()) + " from "
                                    + s.sourceLabel() + " into " + s.into() + "/" + s.series()
                                    + (s.schedule() == null ? "" : ", " + s.schedule()));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The rebuild sets.")
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
                RebuildClient c = clients.rebuilds();
                List<RebuildSet> sets = c.list();
                if (json) {
                    Json.print(spec.commandLine().getOut(), sets);
                    return ExitCodes.OK;
                }
                Table t = new Table("SET", "FROM", "INTO", "PACKAGES");
                sets.forEach(s ->
                        t.row(s.name(), s.sourceLabel(), s.into() + "/" + s.series(), String.join(",", s.packages())));
                t.print(spec.commandLine().getOut());
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A set: where from, into, its packages and schedule, " + "and its newest run.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                RebuildClient c = clients.rebuilds();
                RebuildSet s = c.list().stream()
                        .filter(x -> x.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> ForgeException.notFound("there is no rebuild set '" + name + "'"));
                List<RebuildRun> runs = c.runs(name, 1);
                if (json) {
                    Json.print(spec.commandLine().getOut(), Map.of("set", s, "runs", runs));
                    return ExitCodes.OK;
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("rebuild set " + s.name() + ": " + String.join(", ", s.packages()));
                out.println("  from:     " + s.sourceLabel());
                out.println("  into:     " + s.into() + "/" + s.series());
                out.println("  schedule: " + (s.schedule() == null ? "by hand" : s.schedule()));
                if (s.webhook() != null) {
                    out.println("  webhook:  " + s.webhook());
                }
                if (runs.isEmpty()) {
                    out.println("  no run yet");
                } else {
                    print(out, runs.get(0));
                }
                return ExitCodes.OK;
            }
        }
    }

    static void print(PrintWriter out, RebuildRun r) {
        out.println("run " + r.number() + " of " + r.set() + ": " + r.state()
                + (r.message() == null ? "" : " (" + r.message() + ")"));
        Table t = new Table("PACKAGE", "VERSION", "REBUILT", "BUILT", "TEST", "VERDICT", "LAST GOOD");
        for (RebuildResult x : r.results()) {
            t.row(
                    x.pkg(),
                    x.version(),
                    x.rebuiltVersion(),
                    x.built() ? "yes" : "no",
                    x.test() == null
                            ? ""
                            : x.test() + (x.retriedFrom() == null ? "" : " (retried after " + x.retriedFrom() + ")"),
                    x.verdict(),
                    x.lastGoodVersion() == null ? "" : x.lastGoodVersion());
        }
        t.print(out);
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run a set now and wait for it (each package is a real "
                        + "build and real tests: minutes). Exit 1 when a package regressed."
            })
    static final class RunNow implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--force", description = "rebuild even what did not change since the last run")
        boolean force;

        @Option(
                names = "--progress",
                negatable = true,
                description = "a line per package step on stderr as it happens (default: when there is a terminal and "
                        + "no --json)")
        Boolean progress;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (Clients clients = dataDir.clients()) {
                RebuildClient c = clients.rebuilds();
                // On a terminal, a line per package step as it happens (on stderr: the table stays on stdout); with
                // --json or without a terminal, quiet.
                PrintWriter err = spec.commandLine().getErr();
                boolean tell = progress != null ? progress : !json && System.console() != null;
                RebuildRun r = c.run(name, force, line -> {
                    if (tell) {
                        err.println(line);
                        err.flush();
                    }
                });
                if (r == null) {
                    spec.commandLine()
                            .getOut()
                            .println("asked the server for a run of " + name + (force ? " (forced)" : "")
                                    + ": 'ppa rebuild results " + name + "' shows it once it ran");
                    return ExitCodes.OK;
                }
                if (json) {
                    Json.print(spec.commandLine().getOut(), r);
                } else {
                    print(spec.commandLine().getOut(), r);
                }
                return r.results().stream().anyMatch(x -> x.verdict().endsWith("regression"))
                        ? ExitCodes.FOUND
                        : ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "runs",
            mixinStandardHelpOptions = true,
            description = "A set's runs, newest first, with their results.")
    static final class Runs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--limit", defaultValue = "10")
        int limit;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                RebuildClient c = clients.rebuilds();
                List<RebuildRun> runs = c.runs(name, limit);
                if (json) {
                    Json.print(spec.commandLine().getOut(), runs);
                } else {
                    runs.forEach(r -> print(spec.commandLine().getOut(), r));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "results",
            mixinStandardHelpOptions = true,
            description = "A set's results: of its newest run, or of the run " + "started on --date.")
    static final class Results implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "the run started that day (UTC)")
        LocalDate date;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                RebuildClient c = clients.rebuilds();
                RebuildRun r = c.results(name, date);
                if (json) {
                    Json.print(spec.commandLine().getOut(), r.results());
                } else {
                    print(spec.commandLine().getOut(), r);
                }
                return ExitCodes.OK;
            }
        }
    }
}
