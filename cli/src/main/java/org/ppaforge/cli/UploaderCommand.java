package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.archive.verb.AddUploader;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "uploader",
        mixinStandardHelpOptions = true,
        description =
                "Manage an archive's uploaders keyring: the OpenPGP keys whose signatures on a .changes let an upload in.",
        subcommands = {UploaderCommand.Add.class, UploaderCommand.ListAll.class, UploaderCommand.Remove.class})
final class UploaderCommand {

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add the public key(s) in FILE (e.g. from 'gpg --export --armor KEYID').",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:added", "2:no such archive, or not a key file", "3:revoked, expired, or already there"})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        String archive;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws IOException {
            byte[] data = Files.readAllBytes(file);
            try (Clients clients = dataDir.clients()) {
                List<AddUploader.Added> added = clients.archive().addUploader(archive, data, file.toString());
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, added);
                } else {
                    added.forEach(a -> out.println((a.refreshed() ? "refreshed uploader " : "added uploader ")
                            + a.uploader().fingerprint() + " (" + a.uploader().userIds() + ") of " + archive));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an archive's uploaders.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        String archive;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                List<Uploader> all = clients.archive().listUploaders(archive);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, all);
                    return ExitCodes.OK;
                }
                Table t = new Table("FINGERPRINT", "USER IDS", "ADDED");
                all.forEach(u -> t.row(u.fingerprint(), u.userIds(), u.addedAt()));
                t.print(out);
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Take a key out of the uploaders keyring.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:removed", "2:no such archive or uploader"})
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        String archive;

        @Parameters(index = "1", paramLabel = "KEY", description = "fingerprint, or its last 8 or more hex digits")
        String key;

        @Option(names = "--json", description = "machine-readable output: the removed uploader")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                Uploader u = clients.archive().removeUploader(archive, key);
                if (json) {
                    Json.print(spec.commandLine().getOut(), u);
                } else {
                    spec.commandLine().getOut().println("removed uploader " + u.fingerprint() + " from " + archive);
                }
                return ExitCodes.OK;
            }
        }
    }
}
