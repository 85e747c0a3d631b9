package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.pipeline.definition.DefinitionReader;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.definition.PipelineFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Pipelines: from a git commit to a checked, built, tested and promoted upload, defined in the project's "
            + ".ppaforge.yml (so far: checking a definition)."},
        subcommands = {PipelineCommand.Check.class})
final class PipelineCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a pipeline file without running it: every mistake is reported as FILE:LINE:COLUMN: what was "
                + "expected.", "The file's keys: archive, series, version (a template with {debupstream}, {debversion}, {revno}, "
                + "{revtime}, {revdate}, {time}, {git-commit}, {latest-tag}), check (commands, artifacts, timeout), source "
                + "(packaging-branch), upload, build (timeout), test (install, script, timeout), promote (to, skew-check), triggers "
                + "(poll, webhook, schedule: daily or cron)."},
            exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:valid", "2:not valid (the reason on stderr)"})
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
            } catch (java.nio.charset.MalformedInputException e) {
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
            if (d.source() != null) {
                steps.add("source (version " + d.version() + ")");
            }
            if (d.upload()) {
                steps.add("upload to " + d.archive() + "/" + d.series());
            }
            if (d.build() != null) {
                steps.add("build");
            }
            if (d.test() != null) {
                steps.add("test (" + d.test().script() + ", callback within " + Durations.format(d.test().timeout()) + ")");
            }
            if (d.promote() != null) {
                steps.add("promote to " + d.promote().to() + (d.promote().skewCheck() ? " if there is no version skew" : ""));
            }
            out.println(file + " is valid: " + (steps.isEmpty() ? "no steps" : String.join(", then ", steps)));
            return ExitCodes.OK;
        }
    }
}
