package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.verb.CreateToken;
import org.ppaforge.client.Clients;
import org.ppaforge.client.wire.ArchiveRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Manage the tokens the server's API asks for. A token is shown once, when created; only its SHA-256 is kept.",
            "Send it as 'Authorization: Bearer TOKEN', or as the password of HTTP Basic (as apt and dput do)."
        },
        subcommands = {TokenCommand.Create.class, TokenCommand.ListAll.class, TokenCommand.Revoke.class})
final class TokenCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a token and print it (once).",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:created", "2:bad name, role or archive", "3:name taken"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Option(names = "--name", required = true, description = "who or what uses it, e.g. ci-trunk")
        String name;

        @Option(
                names = "--role",
                defaultValue = "uploader",
                description = "admin (everything), uploader (uploads and changes to "
                        + "archives), reader (reads private archives: the token for apt on client machines) or worker (build workers) "
                        + "(default: ${DEFAULT-VALUE})")
        String role;

        @Option(
                names = "--archive",
                paramLabel = "ARCHIVE",
                description = "limit an uploader or reader token to this archive")
        String archive;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                CreateToken.Result r =
                        clients.archive().createToken(new ArchiveRequests.CreateToken(name, role, archive));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, r);
                } else {
                    out.println(r.secret());
                    spec.commandLine()
                            .getErr()
                            .println("ppa: created " + r.token().role() + " token '"
                                    + r.token().name() + "'"
                                    + (r.token().archive() == null
                                            ? ""
                                            : " for archive " + r.token().archive())
                                    + ": it is shown only now; keep it safe");
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never the tokens themselves).")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                List<ApiToken> tokens = clients.archive().listTokens();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, tokens);
                    return ExitCodes.OK;
                }
                Table t = new Table("NAME", "ROLE", "ARCHIVE", "CREATED", "REVOKED");
                for (ApiToken k : tokens) {
                    t.row(
                            k.name(),
                            k.role(),
                            k.archive() == null ? "(all)" : k.archive(),
                            k.createdAt(),
                            k.revokedAt() == null ? "" : k.revokedAt());
                }
                t.print(out);
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a token: requests with it fail from now on.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:revoked", "2:no such active token"})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir dataDir;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "machine-readable output: {\"revoked\": NAME}")
        boolean json;

        @Override
        public Integer call() {
            try (Clients clients = dataDir.clients()) {
                clients.archive().revokeToken(name);
                if (json) {
                    Json.print(spec.commandLine().getOut(), Map.of("revoked", name));
                } else {
                    spec.commandLine().getOut().println("revoked token '" + name + "'");
                }
                return ExitCodes.OK;
            }
        }
    }
}
