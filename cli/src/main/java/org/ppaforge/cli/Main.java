package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ppa} command. */
@Command(
        name = "ppa",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "ppaforge: Debian and Ubuntu release engineering (PPAs, apt publishing, uploads).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "1:the command ran and found what it checks for (e.g. version skew)",
            "2:invalid input or usage (bad version, malformed file, unknown option)",
            "3:refused by an archive rule (older version, conflicting file)",
            "4:I/O or internal error"
        })
public final class Main {
    /**
     * The subcommands, in help order. Only the one named on the command line is built (picocli builds a
     * command's whole model, with reflection, up front: for every command that is a tenth of a second of
     * a one-shot call); help and unknown words get them all.
     */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        for (Class<?> c : new Class<?>[] {
            ArchiveCommand.class,
            IncludeCommand.class,
            ListCommand.class,
            CopyCommand.class,
            BackportCommand.class,
            ImportCommand.class,
            SkewCommand.class,
            SyncCommand.class,
            RemoveCommand.class,
            HistoryCommand.class,
            PublishCommand.class,
            KeyCommand.class,
            SourcesCommand.class,
            ServeCommand.class,
            BuildCommand.class,
            ChrootCommand.class,
            WorkerCommand.class,
            PipelineCommand.class,
            CoverageCommand.class,
            BackupCommand.class,
            DuCommand.class,
            GcCommand.class,
            MigrateCommand.class,
            RebuildCommand.class,
            TokenCommand.class,
            UploaderCommand.class,
            UploadsCommand.class,
            VersionCommand.class,
            DebCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        }) {
            COMMANDS.put(c.getAnnotation(Command.class).name(), c);
        }
    }

    private Main() {}

    /** The subcommands by name, in help order. */
    static Map<String, Class<?>> commands() {
        return COMMANDS;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> only = args.length > 0 && !"help".equals(args[0]) ? COMMANDS.get(args[0]) : null;
        for (var e : COMMANDS.entrySet()) {
            if (only == null || e.getValue() == only) {
                cli.addSubcommand(e.getKey(), e.getValue());
            }
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new Errors());
        cli.setExitCodeExceptionMapper(Errors::exitCode);
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ppa (ppaforge) " + (v == null ? "development build" : v)};
        }
    }
}
