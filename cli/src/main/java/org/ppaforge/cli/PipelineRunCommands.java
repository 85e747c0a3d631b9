package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ppaforge.client.Clients;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.StepLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The pipeline commands about runs: list them, show one, follow a step's log, cancel one. */
final class PipelineRunCommands {
    private PipelineRunCommands() {}

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
    static final class Runs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "only this pipeline's")
        String name;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                var runs = c.runs(name, limit);
                if (json) {
                    Json.print(spec.commandLine().getOut(), runs);
                    return ExitCodes.OK;
                }
                Table t = new Table("RUN", "PIPELINE", "STATE", "COMMIT", "VERSION", "CREATED");
                runs.forEach(r -> t.row(
                        r.id(),
                        r.pipeline(),
                        r.state(),
                        r.commit() == null ? "" : r.commit().substring(0, 12),
                        r.version() == null ? "" : r.version(),
                        r.createdAt()));
                if (t.isEmpty()) {
                    spec.commandLine().getOut().println("no runs yet");
                } else {
                    t.print(spec.commandLine().getOut());
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One run: its commit, version and each step's state.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "RUN")
        long run;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        static void describe(PrintWriter out, Run r) {
            out.println("run " + r.id() + " of " + r.pipeline() + ": " + r.state()
                    + (r.ref() == null ? "" : " (ref " + r.ref() + ")")
                    + (r.onlySeries() == null ? "" : " (only " + r.onlySeries() + ")"));
            if (r.commit() != null) {
                out.println("  commit:  " + r.commit());
            }
            if (r.version() != null) {
                out.println("  version: " + r.version());
            }
            for (var s : r.steps()) {
                out.println("  " + s.name() + ": " + s.state()
                        + (s.message() == null
                                ? ""
                                : ": " + s.message().lines().findFirst().orElse("")));
            }
            if (r.message() != null && (r.state().equals("failed") || r.state().equals("timed-out"))) {
                out.println("  why:");
                r.message().lines().forEach(l -> out.println("    " + l));
            }
        }

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                var r = c.run(run);
                if (json) {
                    Json.print(spec.commandLine().getOut(), r);
                } else {
                    describe(spec.commandLine().getOut(), r);
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a run: a queued one at once, a running " + "one before its next step.")
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "RUN")
        long run;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                var r = c.cancel(run);
                spec.commandLine()
                        .getOut()
                        .println("run " + r.id() + " of " + r.pipeline() + ": "
                                + (r.state().equals("cancelled") ? "cancelled" : "stops before its next step"));
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "log",
            mixinStandardHelpOptions = true,
            description = "A step's log (check, test), live with --follow.")
    static final class Log implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "RUN")
        long run;

        @Parameters(index = "1", paramLabel = "STEP", defaultValue = "check")
        String step;

        @Option(
                names = {"-f", "--follow"},
                description = "keep printing as the log grows, until the run ends")
        boolean follow;

        @Override
        public Integer call() throws Exception {
            if (!step.matches("[a-z]+")) {
                throw new IllegalArgumentException("invalid step name '" + step + "'");
            }
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                PrintWriter out = spec.commandLine().getOut();
                long offset = 0;
                while (true) {
                    StepLog page = c.log(run, step, offset);
                    out.print(page.text());
                    out.flush();
                    offset = page.next();
                    if (!page.end()) {
                        continue; // the log holds more than one page: all of it goes out
                    }
                    if (!follow || page.complete()) {
                        return ExitCodes.OK;
                    }
                    Thread.sleep(1000);
                }
            }
        }
    }
}
