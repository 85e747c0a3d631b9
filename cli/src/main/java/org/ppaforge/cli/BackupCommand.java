package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ppaforge.backup.Backups;
import org.ppaforge.backup.CreateBackup;
import org.ppaforge.backup.Snapshot;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = {
            "Back up a data directory into a target directory, restic's way: every backup is whole and costs only what "
                    + "changed (each file and each table chunk is stored once by content), everything in the target is "
                    + "encrypted and authenticated, and a target copied anywhere with any tool still works.",
            "The passphrase comes from $PPAFORGE_BACKUP_PASSPHRASE or --passphrase-file. Works on the local data "
                    + "directory only; 'ppa serve' may run meanwhile."
        },
        subcommands = {
            BackupCommand.Create.class,
            BackupCommand.ListAll.class,
            BackupCommand.Verify.class,
            BackupCommand.Restore.class,
            BackupCommand.Prune.class,
            BackupCommand.Copy.class
        })
final class BackupCommand {
    /** The target and its passphrase, for every subcommand. */
    static final class TargetOptions {
        @Parameters(index = "0", paramLabel = "TARGET", description = "the target directory (made by the first backup)")
        Path target;

        @Option(
                names = "--passphrase-file",
                paramLabel = "FILE",
                description = "the passphrase, the file's first line (default: $PPAFORGE_BACKUP_PASSPHRASE)")
        Path passphraseFile;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        char[] passphrase() throws IOException {
            if (passphraseFile != null) {
                String line = Files.readString(passphraseFile, StandardCharsets.UTF_8)
                        .lines()
                        .findFirst()
                        .orElse("");
                return line.toCharArray();
            }
            String env = System.getenv("PPAFORGE_BACKUP_PASSPHRASE");
            return env == null ? new char[0] : env.toCharArray();
        }

        Backups backups() throws IOException {
            return Backups.at(target, passphrase());
        }
    }

    /** A progress line on a terminal, rewritten at most ten times a second; nothing without one or with --json. */
    static Consumer<String> progress(PrintWriter err, boolean json) {
        return progress(err, json, s -> s);
    }

    /** The same for the verbs' progress records, each put into words only when a line is written. */
    static <T> Consumer<T> progress(PrintWriter err, boolean json, Function<T, String> words) {
        if (json || System.console() == null) {
            return s -> {};
        }
        long[] last = {0};
        return p -> {
            long now = System.nanoTime();
            if (now - last[0] > 100_000_000L) {
                last[0] = now;
                String s = words.apply(p);
                String line = s.length() > 100 ? s.substring(0, 97) + "..." : s;
                err.print("\r" + line + " ".repeat(Math.max(0, 100 - line.length())));
                err.flush();
            }
        };
    }

    static void endProgress(PrintWriter err, boolean json) {
        if (!json && System.console() != null) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
    }

    static String size(long bytes) {
        return bytes < 10_000 ? bytes + " B" : bytes < 10_000_000 ? bytes / 1000 + " kB" : bytes / 1_000_000 + " MB";
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Back up the data directory now. A backup killed midway is resumed by the next one.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:backed up",
                "2:no passphrase, or no data directory",
                "3:a wrong passphrase, or a prune of the target is running"
            })
    static final class Create implements Callable<Integer>, LocalOnly {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Mixin
        TargetOptions t;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (dataDir.database() != null || dataDir.blobs() != null) {
                throw new IllegalArgumentException(
                        "ppa backup covers the embedded default (the data directory's SQLite "
                                + "files and pool); a shared PostgreSQL database is backed up with PostgreSQL's own tools "
                                + "(pg_dump, or continuous archiving), and a bucket with its versioning. Leave out --database "
                                + "and --blobs (and $PPAFORGE_DATABASE, $PPAFORGE_BLOBS) to back up a data directory.");
            }
            long started = System.nanoTime();
            CreateBackup.Result r = t.backups()
                    .create()
                    .dataDirectory(dataDir.resolve())
                    .reached(EnvDiagnostics.fromEnvironment()::reached)
                    .progress(progress(
                            err,
                            t.json,
                            (CreateBackup.Progress p) -> p.files() == 0
                                    ? p.what()
                                    : String.format(
                                            "files %d/%d, %s read, %d objects sent (%s)",
                                            p.filesDone(),
                                            p.files(),
                                            size(p.bytesRead()),
                                            p.objectsSent(),
                                            size(p.bytesSent()))))
                    .call();
            endProgress(err, t.json);
            double s = (System.nanoTime() - started) / 1e9;
            if (t.json) {
                Json.print(out, r);
            } else {
                out.printf(
                        "backup %s: %d files (%s) and %d tables; %d new blobs (%s) sent in %.1f s%n",
                        r.snapshot().id(),
                        r.files(),
                        size(r.bytes()),
                        r.snapshot().tables().size(),
                        r.objectsSent(),
                        size(r.bytesSent()),
                        s);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The complete backups in the target, oldest first.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        TargetOptions t;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            var all = t.backups().list();
            if (t.json) {
                Json.print(
                        out,
                        all.stream()
                                .map(s -> new Listed(
                                        s.id(),
                                        s.time().toString(),
                                        s.files().size(),
                                        s.bytes(),
                                        s.tables().size()))
                                .toList());
                return ExitCodes.OK;
            }
            Table table = new Table("ID", "TIME", "FILES", "SIZE", "TABLES");
            for (Snapshot s : all) {
                table.row(
                        s.id(),
                        s.time().toString(),
                        s.files().size(),
                        size(s.bytes()),
                        s.tables().size());
            }
            table.print(out);
            return ExitCodes.OK;
        }

        record Listed(String id, String time, int files, long bytes, int tables) {}
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Check that every object every backup needs is in the target; with --read-data, also open "
                            + "each one and check its content. A damaged or missing object is named with the backups that need it.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:every backup is whole", "1:objects are missing or damaged"})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        TargetOptions t;

        @Option(names = "--read-data", description = "read and check every object (as long as a restore)")
        boolean readData;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            var r = t.backups()
                    .verify()
                    .readData(readData)
                    .progress(progress(err, t.json))
                    .call();
            endProgress(err, t.json);
            if (t.json) {
                Json.print(out, r);
            } else {
                for (var p : r.problems()) {
                    out.println(
                            "blob " + p.object() + ": " + p.what() + "; needed by " + String.join(", ", p.backups()));
                }
                out.println((r.backups() == 1 ? "1 backup" : r.backups() + " backups") + ", " + r.objects() + " blobs "
                        + (readData ? "read and checked" : "present") + ": "
                        + (r.ok() ? "all whole" : r.problems().size() + " problems"));
            }
            return r.ok() ? ExitCodes.OK : 1;
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = "Restore a backup (default: the newest) into a new data directory; start 'ppa serve "
                    + "--data-dir DIR' on it afterwards (it publishes every archive again with the restored keys).",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:restored", "2:no such backup", "3:a wrong passphrase, or the directory is not empty"})
    static final class Restore implements Callable<Integer>, LocalOnly {
        @Spec
        CommandSpec spec;

        @Mixin
        TargetOptions t;

        @Option(names = "--backup", paramLabel = "ID", description = "the backup to restore (default: the newest)")
        String id;

        @Option(names = "--to", paramLabel = "DIR", required = true, description = "the new data directory")
        Path to;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            var r = t.backups()
                    .restore()
                    .backup(id)
                    .to(to)
                    .schema(dir -> Forge.open(ForgeConfig.of(dir)).openAll().close())
                    .progress(progress(err, t.json))
                    .call();
            endProgress(err, t.json);
            if (t.json) {
                Json.print(out, new Restored(r.snapshot().id(), r.files(), r.bytes(), r.rows()));
            } else {
                out.printf(
                        "restored backup %s into %s: %d files (%s), %d rows%n",
                        r.snapshot().id(), to, r.files(), size(r.bytes()), r.rows());
            }
            return ExitCodes.OK;
        }

        record Restored(String id, int files, long bytes, long rows) {}
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Forget the backups the policy does not keep (the newest of each of the last N days, weeks, "
                    + "months that have one, and the last N) and delete what no kept backup needs.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:pruned", "2:no policy given", "3:a backup of the target is running"})
    static final class Prune implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        TargetOptions t;

        @Option(names = "--keep-last", paramLabel = "N", defaultValue = "0")
        int last;

        @Option(names = "--keep-daily", paramLabel = "N", defaultValue = "0")
        int daily;

        @Option(names = "--keep-weekly", paramLabel = "N", defaultValue = "0")
        int weekly;

        @Option(names = "--keep-monthly", paramLabel = "N", defaultValue = "0")
        int monthly;

        @Option(names = "--dry-run", description = "say what would go, change nothing")
        boolean dryRun;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            var r = t.backups()
                    .prune()
                    .keep(last, daily, weekly, monthly)
                    .dryRun(dryRun)
                    .call();
            if (t.json) {
                Json.print(out, r);
            } else {
                out.printf(
                        "%s %d backups (%s), keeping %d; %d blobs (%s) %s%n",
                        dryRun ? "would forget" : "forgot",
                        r.forgotten().size(),
                        String.join(", ", r.forgotten()),
                        r.kept().size(),
                        r.objectsDeleted(),
                        size(r.bytesFreed()),
                        dryRun ? "would be deleted" : "deleted");
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "copy",
            mixinStandardHelpOptions = true,
            description = "Copy the target's backups to another target (same passphrase), sending only what it lacks; "
                    + "resumable (e.g. to a drive first, then elsewhere at your own pace).")
    static final class Copy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        TargetOptions t;

        @Parameters(index = "1", paramLabel = "TO", description = "the destination directory")
        Path to;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            var r = t.backups().copyTo(to).progress(progress(err, t.json)).call();
            endProgress(err, t.json);
            if (t.json) {
                Json.print(out, r);
            } else {
                out.printf(
                        "copied %d backups: %d blobs (%s)%n",
                        r.snapshotsCopied(), r.objectsCopied(), size(r.bytesCopied()));
            }
            return ExitCodes.OK;
        }
    }
}
