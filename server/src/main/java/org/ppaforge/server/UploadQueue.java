package org.ppaforge.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.upload.UploadRejected;
import org.ppaforge.archive.verb.ReceiveUpload;
import org.ppaforge.client.wire.HttpStatuses;
import org.ppaforge.common.ForgeException;
import org.xnio.IoUtils;

/**
 * The incoming queue as dput's {@code http} method uses it: {@code PUT /upload/<archive>/<file>}
 * for each file, the .changes last, with a token as the HTTP Basic password (dput asks for
 * it after a 401). The answer to the .changes says whether the upload was accepted. A
 * failure's short reason is the status line's reason phrase (plain dput prints only that)
 * and the whole report is the text body (dput -d prints it). The rules are in the
 * {@code ReceiveUpload} and {@code ProcessUpload} verbs.
 *
 * <p>Bodies stream to the queue's files (never held in memory), under {@link BodyGuard}'s rules. A request without a
 * valid token is answered before its body is read; since dput sends its first file whole before it reads the answer
 * (then asks for the password), a little of such a body is read and thrown away after the answer, within
 * {@link #ANONYMOUS_DRAIN_BYTES} and {@link #ANONYMOUS_DRAIN_MILLIS}, then the connection is closed.
 */
final class UploadQueue implements HttpHandler {
    /** What is read and discarded of a refused body, at most, so that dput sees the 401 instead of a reset. */
    static final long ANONYMOUS_DRAIN_BYTES = 8L << 20;

    static final long ANONYMOUS_DRAIN_MILLIS = 5_000;
    /** Refused bodies drained at once; past that, the connection is closed straight after the answer. */
    private final Semaphore drains = new Semaphore(4);

    private final Ppaforge ppa;
    private final BodyGuard guard;

    UploadQueue(Ppaforge ppa, BodyGuard guard) {
        this.ppa = ppa;
        this.guard = guard;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (!Methods.PUT.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().put(Headers.ALLOW, "PUT");
            String allowed = "Method Not Allowed: upload with PUT /upload/ARCHIVE/FILE (dput method = http)";
            ex.setPersistent(false);
            PpaServer.text(ex, 405, allowed, allowed);
            return;
        }
        // The path is decoded once, by the server: '+' stays '+' (dput sends mytool_1.0+dfsg1.dsc as it is).
        String[] parts = ex.getRelativePath().substring("/upload/".length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            ex.setPersistent(false);
            PpaServer.text(
                    ex, 404, "Not Found: upload to /upload/ARCHIVE/FILE", "Not Found: upload to /upload/ARCHIVE/FILE");
            return;
        }
        if (ex.isInIoThread()) {
            guard.dispatch(ex, this); // verbs block (files, database): off the I/O threads, on the body threads
            return;
        }
        String archive = parts[0];
        String file = parts[1];
        // A file may be as large as the limit allows (Undertow's default cap is 2 MiB); the queue checks the limit
        // itself, with a message, so the server's cap sits just above it.
        ex.setMaxEntitySize(ppa.uploadLimits().maxFileBytes() + (1 << 20));
        ex.startBlocking();
        ApiToken token;
        try {
            token = ppa.authenticate().token(Api.token(ex)).toWrite(archive).call();
        } catch (ForgeException e) {
            refuseBeforeBody(ex, archive, e);
            return;
        }
        try {
            // Not closed here: closing reads the rest of the body, which asks a waiting client for it.
            ReceiveUpload.Result r = ppa.receiveUpload()
                    .archive(archive)
                    .file(file)
                    .content(BodyGuard.body(ex), ex.getRequestContentLength())
                    .token(token.name())
                    .call();
            if (r.processed() == null) {
                PpaServer.text(
                        ex,
                        201,
                        "Created",
                        "Received " + r.file() + " (" + r.size() + " bytes) for " + r.archive()
                                + "; the upload is processed when its .changes arrives.\n");
            } else {
                PpaServer.text(
                        ex,
                        201,
                        r.processed().summary(),
                        r.processed().summary() + "\n"
                                + String.join(
                                        "\n",
                                        r.processed().published().publishedSources().stream()
                                                .map(s -> "  source  " + s)
                                                .toList())
                                + (r.processed().published().publishedSources().isEmpty() ? "" : "\n")
                                + String.join(
                                        "\n",
                                        r.processed().published().publishedBinaries().stream()
                                                .map(b -> "  binary  " + b)
                                                .toList())
                                + "\n");
            }
        } catch (UploadRejected e) {
            answerError(ex, HttpStatuses.of(e.kind()), "Rejected: " + e.getMessage(), e.report());
        } catch (ForgeException e) {
            answerError(ex, HttpStatuses.of(e.kind()), e.getMessage(), e.getMessage() + "\n");
        }
    }

    /** An error before the whole body was read closes the connection: the rest of the body is never read. */
    private static void answerError(HttpServerExchange ex, int status, String reason, String body) {
        if (ex.isResponseStarted() || !ex.getConnection().isOpen()) {
            ex.endExchange(); // the connection was closed under the body (the pace rule, or the client): nobody
            // to answer
            return;
        }
        if (!ex.isRequestComplete()) {
            ex.setPersistent(false);
        }
        PpaServer.text(ex, status, reason, body);
    }

    /**
     * The answer to a request without a valid token, given before its body is read. A client that waits for
     * "100 Continue" sends no body at all; dput sends its file first, so a bounded part of it is read after the
     * answer (else the client sees a reset, not the 401 that makes dput ask for the password). Either way the
     * connection closes.
     */
    private void refuseBeforeBody(HttpServerExchange ex, String archive, ForgeException e) throws IOException {
        int status = HttpStatuses.of(e.kind());
        if (status == 401) {
            ex.getResponseHeaders()
                    .put(Headers.WWW_AUTHENTICATE, "Basic realm=\"ppaforge uploads to " + archive + "\"");
        }
        ex.setPersistent(false);
        if (HttpContinue.requiresContinueResponse(ex) || ex.isRequestComplete()) {
            PpaServer.text(ex, status, e.getMessage(), e.getMessage() + "\n");
            return;
        }
        byte[] text = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        ex.setStatusCode(status);
        ex.setReasonPhrase(Api.reasonPhrase(e.getMessage()));
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, text.length);
        OutputStream out = ex.getOutputStream();
        out.write(text);
        out.flush();
        long declared = ex.getRequestContentLength();
        if (declared >= 0 && declared <= ANONYMOUS_DRAIN_BYTES && drains.tryAcquire()) {
            var cut = ex.getIoThread()
                    .executeAfter(
                            () -> IoUtils.safeClose(ex.getConnection()), ANONYMOUS_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            try (InputStream in = ex.getInputStream()) {
                in.skipNBytes(declared);
            } catch (IOException | RuntimeException ignored) {
                // cut off, or the client went away: the answer was sent
            } finally {
                cut.remove();
                drains.release();
            }
        }
        out.close();
    }
}
