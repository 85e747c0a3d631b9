package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.client.ArchiveClient;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "key",
        mixinStandardHelpOptions = true,
        description = {
            "Manage the OpenPGP keys that sign an archive's Release files.",
            "Secret keys live in DATA_DIR/keys/, readable only by their owner; set PPAFORGE_KEY_PASSPHRASE to protect new keys "
                    + "with a passphrase (and to unlock them).",
            "A key transition: 'ppa key rotate A' (new key, certified by the old; both sign), give clients the new key "
                    + "('ppa key export A' or 'ppa sources A'), then 'ppa key retire A OLDKEY'."
        },
        subcommands = {
            KeyCommand.Generate.class,
            KeyCommand.Export.class,
            KeyCommand.Import.class,
            KeyCommand.ListKeys.class,
            KeyCommand.Rotate.class,
            KeyCommand.Retire.class
        })
final class KeyCommand {

    static void print(PrintWriter out, boolean json, String verb, ArchiveKey k) {
        if (json) {
            Json.print(out, k);
        } else {
            out.printf("%s %s key %s (%s)%n", verb, k.algorithm(), k.fingerprint(), k.userId());
        }
    }

    /** What generate and rotate share: a new key of a type, for an archive. */
    abstract static class NewKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        String archive;

        @Option(names = "--type", defaultValue = "ed25519", description = "ed25519 (default) or rsa4096")
        String type;

        @Option(
                names = "--user-id",
                paramLabel = "UID",
                description = "e.g. 'Example Release Team <release@example.org>' "
                        + "(default: the current key's, else one naming the archive)")
        String userId;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        abstract ArchiveKey make(ArchiveClient archives);

        abstract String done();

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                print(spec.commandLine().getOut(), json, done(), make(clients.archive()));
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Give an archive its first signing key and republish it signed.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:generated",
                "2:no such archive or key type",
                "3:the archive already has a key (use rotate)"
            })
    static final class Generate extends NewKey {
        @Override
        ArchiveKey make(ArchiveClient archives) {
            return archives.generateKey(archive, type, userId);
        }

        @Override
        String done() {
            return "generated";
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = {
                "Start a key transition: a new key, certified by the current one, signs alongside it from now on, "
                        + "so clients trusting either key keep working."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:rotated", "2:no such archive, or no key to rotate from"})
    static final class Rotate extends NewKey {
        @Override
        ArchiveKey make(ArchiveClient archives) {
            return archives.rotateKey(archive, type, userId);
        }

        @Override
        String done() {
            return "added";
        }
    }

    @Command(
            name = "retire",
            mixinStandardHelpOptions = true,
            description = "End a key transition: the key stops signing (clients trusting only it fail from now on).",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:retired",
                "2:no such archive or key",
                "3:already retired, or the archive's only active key"
            })
    static final class Retire implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        String archive;

        @Parameters(index = "1", paramLabel = "KEY", description = "fingerprint, or its last 8 or more hex digits")
        String key;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                print(
                        spec.commandLine().getOut(),
                        json,
                        "retired",
                        clients.archive().retireKey(archive, key));
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Add a secret key (e.g. from 'gpg --export-secret-keys --armor KEYID') as a signing key of an archive.",
                "Runs on the server's machine only (no --server): secret keys do not travel over the API."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:imported",
                "2:not a usable secret key (weak, public only, wrong passphrase)",
                "3:already there"
            })
    static final class Import implements Callable<Integer>, LocalOnly {
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
            // Local only (a secret key never crosses the network): with --server this is refused before the file is
            // read.
            try (Clients clients = dataDir.localClients()) {
                byte[] data = Files.readAllBytes(file);
                print(
                        spec.commandLine().getOut(),
                        json,
                        "imported",
                        clients.archive().importKey(archive, data, file.toString()));
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Print the archive's active public key(s) as one ASCII-armoured block (for Signed-By or a keyring file).",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:printed", "2:no such archive or key"})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        String archive;

        @Option(names = "--key", paramLabel = "KEY", description = "only this key (active or retired)")
        String key;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                spec.commandLine().getOut().print(clients.archive().exportKey(archive, key));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "An archive's keys, active and retired.")
    static final class ListKeys implements Callable<Integer> {
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
            PrintWriter out = spec.commandLine().getOut();
            try (Clients clients = dataDir.clients()) {
                List<ArchiveKey> keys = clients.archive().listKeys(archive);
                if (json) {
                    Json.print(out, keys);
                    return ExitCodes.OK;
                }
                Table t = new Table("FINGERPRINT", "TYPE", "STATUS", "CREATED", "RETIRED", "CERTIFIED BY", "USER ID");
                for (ArchiveKey k : keys) {
                    t.row(
                            k.fingerprint(),
                            k.algorithm(),
                            k.active() ? "active" : "retired",
                            k.createdAt(),
                            k.retiredAt() == null ? "" : k.retiredAt(),
                            k.certifiedBy() == null ? "" : k.certifiedBy(),
                            k.userId());
                }
                t.print(out);
                return ExitCodes.OK;
            }
        }
    }
}
