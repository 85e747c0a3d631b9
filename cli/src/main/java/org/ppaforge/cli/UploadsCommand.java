package org.ppaforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.client.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "uploads",
        mixinStandardHelpOptions = true,
        description = {
            "An archive's upload log, newest first: every upload its incoming queue received (dput, method http, "
                    + "to http://HOST:PORT/upload/ARCHIVE), accepted or rejected, with the signer, the token and the reason."
        })
final class UploadsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    String archive;

    @Option(
            names = "--limit",
            defaultValue = "50",
            paramLabel = "N",
            description = "show at most N uploads (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<UploadRecord> uploads;
        try (Clients clients = dataDir.clients()) {
            uploads = clients.archive().uploads(archive, limit);
        }
        if (json) {
            Json.print(out, uploads);
            return ExitCodes.OK;
        }
        if (uploads.isEmpty()) {
            out.println(archive + ": no uploads yet");
            return ExitCodes.OK;
        }
        Table t =
                new Table("RECEIVED", "STATUS", "CHANGES", "SOURCE", "VERSION", "SERIES", "SIGNER", "TOKEN", "REASON");
        for (UploadRecord u : uploads) {
            t.row(
                    u.receivedAt(),
                    u.status(),
                    u.changes(),
                    u.source(),
                    u.version(),
                    u.series(),
                    u.signer() == null
                            ? null
                            : u.signer().substring(Math.max(0, u.signer().length() - 16)),
                    u.tokenName(),
                    u.reason());
        }
        t.print(out);
        return ExitCodes.OK;
    }
}
