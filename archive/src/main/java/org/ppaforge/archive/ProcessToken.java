package org.ppaforge.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.ppaforge.archive.model.ApiToken;

/**
 * A worker token that lives as long as the process: the embedded build worker of {@code ppa serve} talks to its own
 * server's API with it, like any worker, without a token in the store (none to leak, none left behind).
 */
public final class ProcessToken {
    private final String secret;
    private final ApiToken token = new ApiToken(-1, "embedded-worker", ApiToken.WORKER, null, Instant.now(), null);

    ProcessToken() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        secret = "ppf_process_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public String secret() {
        return secret;
    }

    public ApiToken token() {
        return token;
    }

    /** In constant time. */
    public boolean matches(String given) {
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }
}
