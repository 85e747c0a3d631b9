package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.forge.Migrate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Copy an installation to other stores: the embedded default (this data directory's SQLite files and pool) "
                    + "to a shared PostgreSQL database and S3 bucket (--to-database, --to-blobs), or shared stores "
                    + "(--database, --blobs) back into a data directory (--to-data-dir). Every module's rows, every "
                    + "pool file and the signing keys go over; the source is only read. A migration stopped midway "
                    + "goes on where it was when run again. At the end each table's rows are counted on both sides and "
                    + "every archive's Packages and Sources, as each side publishes them, compared byte for byte.",
            "Stop the servers of the source first. Signing keys kept in a shared database must be protected by "
                    + "$PPAFORGE_KEY_PASSPHRASE.",
            "Works on the local data directory only."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:migrated and compared",
            "2:no target, a bad URI, or a target that holds other data",
            "3:the two sides differ after the copy, or a store failed"
        })
final class MigrateCommand implements Callable<Integer>, LocalOnly {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Option(
            names = "--to-database",
            paramLabel = "URI",
            description = "the target PostgreSQL database (postgresql://...)")
    String toDatabase;

    @Option(names = "--to-blobs", paramLabel = "URI", description = "the target bucket (s3://bucket/prefix)")
    String toBlobs;

    @Option(
            names = "--to-data-dir",
            paramLabel = "DIR",
            description = "the target data directory: the embedded default there (without --to-database and "
                    + "--to-blobs), or the target's local directory for its caches and published trees (with them; "
                    + "default: a temporary one)")
    Path toDataDir;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (toDatabase == null && toBlobs == null && toDataDir == null) {
            throw new IllegalArgumentException(
                    "name the target: --to-database and --to-blobs (shared stores), or --to-data-dir (a data directory)");
        }
        ArchiveSettings source = dataDir.settings();
        Path local = toDataDir;
        boolean temporary = false;
        if (local == null) {
            local = Files.createTempDirectory("ppaforge-migrate-");
            temporary = true;
        }
        ArchiveSettings target = ArchiveSettings.of(local)
                .withKeyPassphrase(source.keyPassphrase())
                .withDatabase(toDatabase)
                .withBlobs(toBlobs);
        try {
            long started = System.nanoTime();
            Migrate.Result r = new Migrate()
                    .from(source)
                    .to(target)
                    .progress(line -> {
                        if (!json) {
                            err.println("ppa: " + line);
                            err.flush();
                        }
                    })
                    .call();
            if (json) {
                Json.print(out, r);
            } else {
                out.printf(
                        "migrated %d tables (%d rows copied now), %d pool files (%s), %d signing keys in %.1f s; "
                                + "%d index files compare equal%n",
                        r.rows().size(),
                        r.rowsCopied(),
                        r.blobsCopied(),
                        BackupCommand.size(r.blobBytes()),
                        r.keys(),
                        (System.nanoTime() - started) / 1e9,
                        r.compared().size());
            }
            return ExitCodes.OK;
        } finally {
            if (temporary) {
                try (Stream<Path> all = Files.walk(local)) {
                    all.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
