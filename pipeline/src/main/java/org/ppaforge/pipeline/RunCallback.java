package org.ppaforge.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.ppaforge.common.ForgeException;

/**
 * An install test reports its result: pass or fail. Only with the secret of one of the run's waiting test steps (each
 * series and configuration has its own; 403 otherwise), once, and only before the timeout (409 after: the run stays
 * timed out).
 */
public final class RunCallback {
    private final Pipelines pipelines;
    private long id;
    private String secret;
    private String result;
    private String message;

    RunCallback(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    public RunCallback run(long id) {
        this.id = id;
        return this;
    }

    public RunCallback secret(String secret) {
        this.secret = secret;
        return this;
    }

    public RunCallback result(String result) {
        this.result = result;
        return this;
    }

    public RunCallback message(String message) {
        this.message = message;
        return this;
    }

    public Run call() {
        Run r = pipelines.run(id);
        var open = pipelines.store().openCallbacks(id);
        if (open.isEmpty()) {
            throw ForgeException.refused("run " + id + " is not waiting for a callback (it is " + r.state() + ")");
        }
        byte[] given = secret == null ? null : Pipelines.sha256(secret).getBytes(StandardCharsets.US_ASCII);
        var cb = open.stream()
                .filter(c ->
                        given != null && MessageDigest.isEqual(given, c.sha256().getBytes(StandardCharsets.US_ASCII)))
                .findFirst()
                .orElseThrow(
                        () -> new ForgeException(ForgeException.Kind.FORBIDDEN, "wrong callback secret for run " + id));
        if (!"pass".equals(result) && !"fail".equals(result)) {
            throw ForgeException.invalid("result is pass or fail, not '" + result + "'");
        }
        String m = message == null ? null : message.length() > 2000 ? message.substring(0, 2000) : message;
        if (!pipelines.store().recordCallback(id, cb.step(), result, m, Instant.now())) {
            Run now = pipelines.run(id);
            throw ForgeException.refused("run " + id + " takes no callback now: "
                    + (cb.result() != null
                            ? "one came already"
                            : "it is " + now.state() + (now.isFinal() ? "" : " and its callback time is over")));
        }
        return pipelines.run(id);
    }
}
