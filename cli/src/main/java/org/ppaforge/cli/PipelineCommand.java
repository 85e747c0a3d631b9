package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.client.Clients;
import org.ppaforge.client.PipelineClient;
import org.ppaforge.pipeline.Run;
import org.ppaforge.pipeline.definition.DefinitionReader;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.definition.PipelineFileException;
import org.ppaforge.pipeline.version.VersionTemplate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Pipelines: from a git commit to a checked, packaged, uploaded, built and promoted source, defined in the "
                    + "project's .ppaforge.yml. 'ppa serve' runs queued runs; steps: check, source, upload, build, test (an install "
                    + "test that must call back to $PPAFORGE_CALLBACK_URL before its timeout), promote."
        },
        subcommands = {
            PipelineCommand.Check.class,
            PipelineCommand.Create.class,
            PipelineCommand.ListAll.class,
            PipelineCommand.Key.class,
            PipelineCommand.RunNow.class,
            PipelineRunCommands.Runs.class,
            PipelineRunCommands.Show.class,
            PipelineRunCommands.Log.class,
            PipelineRunCommands.Cancel.class
        })
final class PipelineCommand {
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Register a pipeline: its git remote, branch and "
                        + "definition file. It gets a signing key of its own: make it an uploader of the archive its uploads go to "
                        + "('ppa pipeline key NAME > key.asc && ppa uploader add ARCHIVE key.asc')."
            })
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--git",
                required = true,
                paramLabel = "URL",
                description = "the repository: https://, git://, ssh:// or file:// URL, or a directory on this machine "
                        + "(made a file:// URL; a server elsewhere needs a URL it can reach)")
        String git;

        @Option(
                names = "--branch",
                defaultValue = "main",
                description = "the branch to build (default: ${DEFAULT-VALUE})")
        String branch;

        @Option(
                names = "--file",
                defaultValue = ".ppaforge.yml",
                description = "the definition's path in the repository " + "(default: ${DEFAULT-VALUE})")
        String file;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                var p = c.create(name, gitUrl(git), branch, file);
                if (json) {
                    Json.print(spec.commandLine().getOut(), p);
                } else {
                    spec.commandLine()
                            .getOut()
                            .println("pipeline " + p.name() + ": " + p.gitUrl() + " " + p.branch() + ", " + p.file()
                                    + "; its uploads are signed with key " + p.keyFingerprint());
                }
                return ExitCodes.OK;
            }
        }
    }

    /** A repository as given: a URL as it is, an existing directory as its file:// URL. */
    static String gitUrl(String given) {
        if (given.matches("[a-z][a-z0-9+.-]*://.*")) {
            return given;
        }
        Path dir = Path.of(given).toAbsolutePath().normalize();
        return Files.isDirectory(dir) ? dir.toUri().toString() : given;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the pipelines.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                var all = c.list();
                if (json) {
                    Json.print(spec.commandLine().getOut(), all);
                    return ExitCodes.OK;
                }
                Table t = new Table("NAME", "GIT", "BRANCH", "FILE", "KEY");
                all.forEach(p -> t.row(p.name(), p.gitUrl(), p.branch(), p.file(), p.keyFingerprint()));
                if (t.isEmpty()) {
                    spec.commandLine().getOut().println("no pipelines yet: 'ppa pipeline create NAME --git URL'");
                } else {
                    t.print(spec.commandLine().getOut());
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "key",
            mixinStandardHelpOptions = true,
            description = "Print the pipeline's public signing key (for 'ppa " + "uploader add').")
    static final class Key implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                spec.commandLine().getOut().print(c.key(name));
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Queue a run of the branch (or of --ref); 'ppa serve' "
                        + "runs it. With --wait, wait until the server has run it; with --here, run it in this process "
                        + "now. Both show each step as it changes on a terminal and exit 1 unless the run passed."
            })
    static final class RunNow implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--ref", paramLabel = "REF", description = "a branch or tag instead of the pipeline's branch")
        String ref;

        @Option(
                names = "--series",
                paramLabel = "SERIES",
                description = "only this one of the pipeline's series (default: all of them; the promotion then "
                        + "copies this series only)")
        String series;

        @Option(names = "--here", description = "run it now, in this process, instead of leaving it to the server")
        boolean here;

        @Option(
                names = "--wait",
                description =
                        "wait until the server has run it (exit 1 unless it passed), showing its steps as they go")
        boolean wait;

        @Option(
                names = "--progress",
                negatable = true,
                description = "with --here or --wait, a line on stderr each time a step changes state (default: when "
                        + "there is a terminal and no --json)")
        Boolean progress;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (here && wait) {
                throw new IllegalArgumentException(
                        "--here runs it in this command, --wait waits for the server to run it: give one of them");
            }
            if (here && dataDir.server() != null) {
                throw new IllegalArgumentException(
                        "--here runs on the local data directory: leave out --server (the server runs "
                                + "queued runs itself)");
            }
            try (Clients clients = dataDir.clients()) {
                PipelineClient c = clients.pipelines();
                Run r = c.start(name, ref, series);
                boolean tell = progress != null ? progress : !json && System.console() != null;
                if (here || wait) {
                    if (tell) {
                        spec.commandLine()
                                .getErr()
                                .println("run " + r.id() + " of " + name + ": "
                                        + (here ? "running it here" : "waiting for the server to run it"));
                    }
                    try (RunWatcher w =
                            tell ? new RunWatcher(c, r.id(), spec.commandLine().getErr()) : null) {
                        r = here ? c.runHere(r.id()) : RunWatcher.awaitEnd(c, r.id());
                    }
                }
                if (json) {
                    Json.print(spec.commandLine().getOut(), r);
                } else {
                    PipelineRunCommands.Show.describe(spec.commandLine().getOut(), r);
                }
                return (here || wait) && !r.state().equals(Run.PASSED) ? ExitCodes.FOUND : ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Validate a pipeline file without running it: every mistake is reported as FILE:LINE:COLUMN: what was "
                        + "expected.",
                "The file's keys: archive, series (one or a list; default: the archive's), version (a template with "
                        + "{debupstream}, {debversion}, {revno}, {revtime}, {revdate}, {time}, {git-commit}, {latest-tag}, "
                        + "{series}, {series-number}, {series-suffix}), check (commands, artifacts, timeout), source "
                        + "(packaging-branch), upload, build (timeout), test (install, script, timeout, env, debconf, "
                        + "apt-sources, and configurations: named sets of these), promote (to, skew-check, with-dependencies), triggers "
                        + "(poll, webhook, schedule: daily or cron)."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:valid", "2:not valid (the reason on stderr)"})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the pipeline file, e.g. .ppaforge.yml")
        Path file;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such file");
            }
            PipelineDefinition d;
            try {
                d = DefinitionReader.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (MalformedInputException e) {
                throw new IllegalArgumentException(file + ": not UTF-8 text");
            } catch (PipelineFileException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, d);
                return ExitCodes.OK;
            }
            List<String> steps = new ArrayList<>();
            if (d.check() != null) {
                steps.add("check (" + d.check().commands().size() + " command(s))");
            }
            String series = d.series().isEmpty() ? "every series of " + d.archive() : String.join(", ", d.series());
            if (d.source() != null) {
                steps.add("source (version "
                        + VersionTemplate.forSeries(d.version(), d.series().size()) + ")");
            }
            if (d.upload()) {
                steps.add(
                        d.series().size() == 1
                                ? "upload to " + d.archive() + "/" + d.series().get(0)
                                : "upload to " + d.archive() + " (" + series + ")");
            }
            if (d.build() != null) {
                steps.add("build");
            }
            if (d.test() != null) {
                List<String> configurations = new ArrayList<>();
                for (PipelineDefinition.Configuration c : d.test().configurations()) {
                    configurations.add((c.name().equals(PipelineDefinition.Test.DEFAULT) ? "" : c.name() + ": ")
                            + c.script() + ", callback within " + Durations.format(c.timeout()));
                }
                steps.add("test (" + String.join("; ", configurations) + ")");
            }
            if (d.promote() != null) {
                steps.add("promote to " + d.promote().to()
                        + (d.promote().skewCheck() ? " if there is no version skew" : ""));
            }
            out.println(file + " is valid: " + (steps.isEmpty() ? "no steps" : String.join(", then ", steps))
                    + (d.series().size() == 1 || steps.isEmpty() ? "" : "; in " + series));
            return ExitCodes.OK;
        }
    }
}
