package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.ppaforge.client.Clients;
import org.ppaforge.client.FarmClient;
import org.ppaforge.common.Times;
import org.ppaforge.farm.Build;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.BuildState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "The build farm: every source published in an archive is built by sbuild workers into binaries, "
                    + "published into the same archive and series.",
            "States: waiting, building, uploading, built, failed-to-build, dependency-wait (the unmet build-dependencies "
                    + "are recorded; retried by itself once they are published), chroot-wait (no build environment: 'ppa chroot create'), "
                    + "superseded, failed-to-upload, cancelled."
        },
        subcommands = {
            BuildCommand.ListAll.class,
            BuildCommand.Show.class,
            BuildCommand.Log.class,
            BuildCommand.Retry.class,
            BuildCommand.Cancel.class
        })
final class BuildCommand {
    static void row(Table t, Build b) {
        t.row(
                b.id(),
                b.archive() + "/" + b.series(),
                b.source(),
                b.version(),
                b.architecture() + (b.archAll() ? "+all" : ""),
                b.state().label() + (b.cancelRequested() && !b.state().isFinal() ? " (cancelling)" : ""),
                b.finishedAt() != null ? b.finishedAt() : b.startedAt() != null ? b.startedAt() : b.createdAt());
    }

    static void describe(PrintWriter out, Build b, String tail) {
        out.println("build " + b.id() + ": " + b.source() + " " + b.version() + " on " + b.architecture()
                + (b.archAll() ? " (and the all packages)" : "") + " in " + b.archive() + "/" + b.series());
        out.println("  state:    " + b.state().label()
                + (b.cancelRequested() && !b.state().isFinal() ? " (cancel requested)" : ""));
        out.println("  score:    " + b.score());
        if (b.plan() != null) {
            out.println("  plan:     " + b.plan());
        }
        out.println("  created:  " + Times.exact(b.createdAt()));
        if (b.startedAt() != null) {
            out.println("  started:  " + Times.exact(b.startedAt())
                    + (b.worker() == null ? "" : " on worker " + b.worker()) + ", attempt " + b.attempts());
        }
        if (b.finishedAt() != null) {
            out.println("  finished: " + Times.exact(b.finishedAt())
                    + (b.startedAt() == null
                            ? ""
                            : " (took " + Times.span(java.time.Duration.between(b.startedAt(), b.finishedAt())) + ")"));
        }
        if (b.unmet() != null) {
            out.println("  unmet:    " + b.unmet());
        }
        if (b.message() != null) {
            out.println("  result:   " + b.message());
        }
        if (tail != null
                && !tail.isBlank()
                && (b.state() == BuildState.FAILED_TO_BUILD
                        || b.state() == BuildState.BUILDING
                        || b.state() == BuildState.FAILED_TO_UPLOAD)) {
            out.println("  log (last lines; 'ppa build log " + b.id() + "' for all):");
            tail.lines().forEach(l -> out.println("    " + l));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List builds, newest first.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Option(names = "--archive", paramLabel = "ARCHIVE", description = "only this archive's")
        String archive;

        @Option(
                names = "--state",
                paramLabel = "STATE",
                description = "only builds in this state (waiting, building, built, "
                        + "failed-to-build, dependency-wait, chroot-wait, ...)")
        String state;

        @Option(names = "--source", paramLabel = "NAME", description = "only this source's")
        String source;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            BuildState s = state == null ? null : BuildState.parse(state);
            try (Clients clients = dataDir.clients()) {
                FarmClient c = clients.farm();
                List<Build> builds = c.list(archive, s, source, limit);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, builds);
                    return ExitCodes.OK;
                }
                if (builds.isEmpty()) {
                    out.println("no builds" + (archive == null ? "" : " in " + archive)
                            + (s == null ? "" : " " + s.label()));
                    return ExitCodes.OK;
                }
                // Builds of their own first, then each plan as a group (a backport with what it took along).
                boolean first = true;
                for (Build.Group g : Build.groups(builds)) {
                    if (g.plan() != null) {
                        Map<String, Integer> states = new TreeMap<>();
                        g.builds().forEach(b -> states.merge(b.state().label(), 1, Integer::sum));
                        out.println((first ? "" : "\n") + "plan: " + g.plan() + " ("
                                + g.builds().size()
                                + " build(s): "
                                + String.join(
                                        ", ",
                                        states.entrySet().stream()
                                                .map(x -> x.getValue() + " " + x.getKey())
                                                .toList())
                                + ")");
                    }
                    Table t = g.plan() == null
                            ? new Table("ID", "ARCHIVE", "SOURCE", "VERSION", "ARCH", "STATE", "SINCE")
                            : new Table("  ID", "ARCHIVE", "SOURCE", "VERSION", "ARCH", "STATE", "SINCE");
                    g.builds().forEach(b -> row(t, b));
                    t.print(out);
                    first = false;
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One build: state, times, worker, unmet "
                    + "build-dependencies, result, and the end of the log of a failed build.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "ID", description = "the build's number")
        long id;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                FarmClient c = clients.farm();
                Build b = c.show(id);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, b);
                } else {
                    describe(out, b, c.logTail(id));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "log",
            mixinStandardHelpOptions = true,
            description = "A build's log: live while it builds (with "
                    + "--follow, until it ends), kept compressed afterwards.")
    static final class Log implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "ID", description = "the build's number")
        long id;

        @Option(
                names = {"-f", "--follow"},
                description = "keep printing as the log grows, until the build ends")
        boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            try (Clients clients = dataDir.clients()) {
                FarmClient c = clients.farm();
                PrintWriter out = spec.commandLine().getOut();
                long offset = 0;
                while (true) {
                    BuildLogs.Chunk chunk = c.log(id, offset);
                    out.print(chunk.text());
                    out.flush();
                    boolean more =
                            chunk.next() > offset; // logs come in pages: ask again while a page brought something
                    offset = chunk.next();
                    if (chunk.complete()
                            || !more && (!follow || c.show(id).state().isFinal())) {
                        return ExitCodes.OK;
                    }
                    if (!more) {
                        Thread.sleep(1000);
                    }
                }
            }
        }
    }

    /** A command that acts on one build and says what became of it. */
    abstract static class OnOneBuild implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "ID", description = "the build's number")
        long id;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        abstract Build act(FarmClient c);

        abstract String said(Build b);

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                FarmClient c = clients.farm();
                Build b = act(c);
                if (json) {
                    Json.print(spec.commandLine().getOut(), b);
                } else {
                    spec.commandLine()
                            .getOut()
                            .println("build " + b.id() + " (" + b.source() + " " + b.version() + " " + b.architecture()
                                    + ") " + said(b));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description =
                    "Queue a build that failed, waits for " + "dependencies or a chroot, or was cancelled, again.")
    static final class Retry extends OnOneBuild {
        @Override
        Build act(FarmClient c) {
            return c.retry(id);
        }

        @Override
        String said(Build b) {
            return "is " + b.state().label() + " again";
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a build: a waiting one at once, a "
                    + "running one when its worker next checks in (within seconds; sbuild is stopped).")
    static final class Cancel extends OnOneBuild {
        @Override
        Build act(FarmClient c) {
            return c.cancel(id);
        }

        @Override
        String said(Build b) {
            return b.state() == BuildState.CANCELLED ? "is cancelled" : "will stop when its worker next checks in";
        }
    }
}
