package org.ppaforge.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.upload.UploadRejected;
import org.ppaforge.archive.verb.ReceiveUpload;

/**
 * The incoming queue as dput's {@code http} method uses it: {@code PUT /upload/<archive>/<file>}
 * for each file, the .changes last, with a token as the HTTP Basic password (dput asks for
 * it after a 401). The answer to the .changes says whether the upload was accepted. A
 * failure's short reason is the status line's reason phrase (plain dput prints only that)
 * and the whole report is the text body (dput -d prints it). The rules are in the
 * {@code ReceiveUpload} and {@code ProcessUpload} verbs.
 */
final class UploadQueue implements HttpHandler {
    private final Ppaforge ppa;

    UploadQueue(Ppaforge ppa) {
        this.ppa = ppa;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this); // verbs block (files, database): off the I/O threads
            return;
        }
        ex.startBlocking();
        String[] parts = ex.getRelativePath().substring("/upload/".length()).split("/", -1);
        if (!Methods.PUT.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().put(Headers.ALLOW, "PUT");
            String allowed = "Method Not Allowed: upload with PUT /upload/ARCHIVE/FILE (dput method = http)";
            PpaServer.text(ex, 405, allowed, allowed);
            return;
        }
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            PpaServer.text(ex, 404, "Not Found: upload to /upload/ARCHIVE/FILE", "Not Found: upload to /upload/ARCHIVE/FILE");
            return;
        }
        String archive = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String file = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        // Not closed here: closing reads the rest of the body, which asks a waiting client for it.
        InputStream body = ex.getInputStream();
        try {
            ApiToken token;
            try {
                token = ppa.authenticate().token(Api.token(ex)).toWrite(archive).call();
            } catch (ArchiveException e) {
                if (!HttpContinue.requiresContinueResponse(ex)) {
                    drain(body); // dput sends the whole file before it reads the answer
                } // else the client waits for a 100 before sending: the answer goes first, no body follows
                throw e;
            }
            ReceiveUpload.Result r = ppa.receiveUpload().archive(archive).file(file).content(body, ex.getRequestContentLength())
                    .token(token.name()).call();
            if (r.processed() == null) {
                PpaServer.text(ex, 201, "Created", "Received " + r.file() + " (" + r.size() + " bytes) for " + r.archive()
                        + "; the upload is processed when its .changes arrives.\n");
            } else {
                PpaServer.text(ex, 201, r.processed().summary(), r.processed().summary() + "\n"
                        + String.join("\n", r.processed().published().publishedSources().stream().map(s -> "  source  " + s).toList())
                        + (r.processed().published().publishedSources().isEmpty() ? "" : "\n")
                        + String.join("\n", r.processed().published().publishedBinaries().stream().map(b -> "  binary  " + b).toList())
                        + "\n");
            }
        } catch (UploadRejected e) {
            PpaServer.text(ex, HttpStatuses.of(e.kind()), "Rejected: " + e.getMessage(), e.report());
        } catch (ArchiveException e) {
            int status = HttpStatuses.of(e.kind());
            if (status == 401) {
                ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Basic realm=\"ppaforge uploads to " + archive + "\"");
            }
            PpaServer.text(ex, status, e.getMessage(), e.getMessage() + "\n");
        }
    }

    /** Reads what is left of the request, at most the upload limit, so the client sees the answer instead of a reset. */
    private void drain(InputStream in) throws IOException {
        long left = ppa.uploadLimits().maxFileBytes();
        byte[] buf = new byte[1 << 16];
        int n;
        while (left > 0 && (n = in.read(buf)) > 0) {
            left -= n;
        }
    }
}
