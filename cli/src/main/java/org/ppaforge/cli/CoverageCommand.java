package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ppaforge.client.Clients;
import org.ppaforge.client.CoverageClient;
import org.ppaforge.qa.CoverageDiff;
import org.ppaforge.qa.CoverageSummary;
import org.ppaforge.qa.LeastCovered;
import org.ppaforge.qa.ShowCoverage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "coverage",
        mixinStandardHelpOptions = true,
        description = {
            "Coverage per project and commit: JaCoCo XML, Cobertura XML (coverage.py 'coverage xml', gcovr) and lcov "
                    + ".info files, told apart by their content. Pipelines store their check step's reports here (check.coverage)."
        },
        subcommands = {
            CoverageCommand.Upload.class,
            CoverageCommand.Show.class,
            CoverageCommand.Trend.class,
            CoverageCommand.Least.class,
            CoverageCommand.Diff.class
        })
final class CoverageCommand {
    static String pct(double p) {
        return String.format(Locale.ROOT, "%.1f %%", p);
    }

    @Command(
            name = "upload",
            mixinStandardHelpOptions = true,
            description = {
                "Store a commit's coverage. Several files are merged "
                        + "(e.g. the Python and the C parts); uploading a commit again replaces its report. A malformed or unknown file refuses "
                        + "the whole upload, naming the file and why."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:stored", "2:a file is not a coverage report, or bad names"})
    static final class Upload implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Option(names = "--project", required = true, description = "the project, e.g. mytool")
        String project;

        @Option(
                names = "--commit",
                required = true,
                paramLabel = "SHA",
                description = "the git commit the report is of")
        String commit;

        @Option(names = "--branch", paramLabel = "B", description = "its branch (trends can follow one)")
        String branch;

        @Option(
                names = "--archive",
                paramLabel = "A",
                description = "the archive a new project belongs to: only those who may "
                        + "write it store the project's reports, and a private archive's project is seen only by its readers (default: "
                        + "the project's, or the one archive the token is limited to)")
        String archive;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            try (Clients clients = dataDir.clients()) {
                CoverageClient c = clients.coverage();
                CoverageSummary s = c.upload(project, archive, commit, branch, files);
                if (json) {
                    Json.print(spec.commandLine().getOut(), s);
                } else {
                    spec.commandLine()
                            .getOut()
                            .println(s.project() + " " + s.commit() + ": " + pct(s.percent()) + " of " + s.lines()
                                    + " lines in " + s.files() + " files"
                                    + (s.branchPercent() == null
                                            ? ""
                                            : ", " + pct(s.branchPercent()) + " of " + s.branches() + " branches")
                                    + " (" + s.format() + ")");
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A commit's coverage (default: the newest) and its files.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "PROJECT")
        String project;

        @Option(names = "--commit", paramLabel = "SHA")
        String commit;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                CoverageClient c = clients.coverage();
                ShowCoverage.Result r = c.show(project, commit);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, r);
                    return ExitCodes.OK;
                }
                CoverageSummary s = r.summary();
                out.println(
                        s.project() + " at " + s.commit() + (s.branch() == null ? "" : " (" + s.branch() + ")") + ": "
                                + pct(s.percent()) + " of " + s.lines() + " lines"
                                + (s.branchPercent() == null
                                        ? ""
                                        : ", " + pct(s.branchPercent()) + " of " + s.branches() + " branches"));
                Table t = new Table("FILE", "LINES", "COVERED", "MISSED", "BRANCHES", "%");
                r.files()
                        .forEach(f -> t.row(
                                f.path(),
                                f.lines(),
                                f.coveredLines(),
                                f.missedLines(),
                                f.branches() == 0 ? "" : f.branchesCovered() + "/" + f.branches(),
                                pct(f.percent())));
                t.print(out);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "trend", mixinStandardHelpOptions = true, description = "Coverage per commit, newest last.")
    static final class Trend implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "PROJECT")
        String project;

        @Option(names = "--branch", paramLabel = "B")
        String branch;

        @Option(
                names = "--limit",
                defaultValue = "1000",
                description = "the newest N commits (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                CoverageClient c = clients.coverage();
                List<CoverageSummary> t = c.trend(project, branch, limit);
                if (json) {
                    Json.print(spec.commandLine().getOut(), t);
                    return ExitCodes.OK;
                }
                Table table = new Table("COMMIT", "BRANCH", "LINES", "COVERED", "%", "CHANGE", "WHEN");
                Double last = null;
                for (CoverageSummary s : t) {
                    table.row(
                            s.commit().substring(0, Math.min(12, s.commit().length())),
                            s.branch() == null ? "" : s.branch(),
                            s.lines(),
                            s.covered(),
                            pct(s.percent()),
                            last == null ? "" : String.format(Locale.ROOT, "%+.2f", s.percent() - last),
                            s.createdAt());
                    last = s.percent();
                }
                table.print(spec.commandLine().getOut());
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "least",
            mixinStandardHelpOptions = true,
            description = {"The files with the most missed lines: as Markdown, " + "ready to file as bugs, or as JSON."
            })
    static final class Least implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(paramLabel = "PROJECT")
        String project;

        @Option(names = "--commit", paramLabel = "SHA", description = "default: the newest report")
        String commit;

        @Option(names = "--limit", defaultValue = "20", description = "how many files (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(
                names = "--format",
                defaultValue = "markdown",
                description = "markdown or json (default: ${DEFAULT-VALUE})")
        String format;

        @Override
        public Integer call() {
            if (!format.equals("markdown") && !format.equals("json")) {
                throw new IllegalArgumentException("--format is markdown or json, not '" + format + "'");
            }
            try (Clients clients = dataDir.clients()) {
                CoverageClient c = clients.coverage();
                LeastCovered.Result r = c.least(project, commit, limit);
                if (format.equals("json")) {
                    Json.print(spec.commandLine().getOut(), r);
                } else {
                    spec.commandLine().getOut().print(r.markdown());
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = "What changed per file between two commits' reports.")
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "PROJECT")
        String project;

        @Parameters(index = "1", paramLabel = "A")
        String from;

        @Parameters(index = "2", paramLabel = "B")
        String to;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                CoverageClient c = clients.coverage();
                CoverageDiff.Result r = c.diff(project, from, to);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, r);
                    return ExitCodes.OK;
                }
                out.println(pct(r.from().percent()) + " -> " + pct(r.to().percent())
                        + String.format(Locale.ROOT, " (%+.2f points)", r.percentDelta()));
                Table t = new Table("FILE", "BEFORE", "AFTER", "CHANGE");
                for (CoverageDiff.Change ch : r.changes()) {
                    t.row(
                            ch.path(),
                            ch.before() == null
                                    ? "(new)"
                                    : pct(ch.before().percent()) + " of "
                                            + ch.before().lines(),
                            ch.after() == null
                                    ? "(gone)"
                                    : pct(ch.after().percent()) + " of "
                                            + ch.after().lines(),
                            String.format(Locale.ROOT, "%+.2f", ch.percentDelta()));
                }
                t.print(out);
                return ExitCodes.OK;
            }
        }
    }
}
