package org.ppaforge.server;

import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The server's write log: one line per request that is not a GET or HEAD (uploads, API writes) with its answer, secrets
 * blanked; a worker's routine calls only when they fail.
 */
final class WriteLog {
    private final Consumer<String> log;

    WriteLog(Consumer<String> log) {
        this.log = log;
    }
    /** A worker's routine calls: logged only when they fail (a worker beats every few seconds). */
    private static final Pattern WORKER_CHATTER =
            Pattern.compile("^/api/v1/(workers/lease|builds/\\d+/(heartbeat|log))$");

    void write(HttpServerExchange ex, long millis) {
        if (ex.getStatusCode() < 300
                && WORKER_CHATTER.matcher(ex.getRequestPath()).matches()) {
            return;
        }
        String query = ex.getQueryString();
        log.accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " "
                + ex.getSourceAddress().getAddress().getHostAddress() + " " + ex.getRequestMethod() + " "
                + blankSecrets(ex.getRequestPath() + (query == null || query.isEmpty() ? "" : "?" + query)) + " "
                + ex.getStatusCode() + " " + millis + " ms"
                + (ex.getReasonPhrase() != null ? " " + ex.getReasonPhrase() : ""));
    }

    private static final Pattern CALLBACK_SECRET = Pattern.compile("(/callback/)[^/?]+");

    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&](?:token|secret|password|key)=)[^&]*");

    private static final Pattern URL_CREDENTIALS = Pattern.compile("(://)[^/@\\s]+@");

    /** A request line as the log keeps it: the install tests' callback secrets, token-like parameters and URL credentials blanked. */
    static String blankSecrets(String line) {
        String s = CALLBACK_SECRET.matcher(line).replaceAll("$1***");
        s = SECRET_PARAMETER.matcher(s).replaceAll("$1***");
        return URL_CREDENTIALS.matcher(s).replaceAll("$1***@");
    }
}
