package org.ppaforge.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browsers: a random session id (the cookie) stands for the API token the visitor signed in with, with a CSRF
 * token for its forms. Sessions end after {@link #IDLE} without a request, and their number is bounded (the oldest go
 * first). The embedded default keeps them in memory (a restart signs everyone out); on a shared database they are rows
 * every server reads ({@link SharedSessions}), so a session made on one server works on the others.
 */
final class Sessions {
    static final String COOKIE = "ppaforge_session";
    static final Duration IDLE = Duration.ofHours(12);
    static final int MAX = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final SharedSessions shared;

    Sessions(Clock clock) {
        this(clock, null);
    }

    /** @param shared the rows of a shared database, or null to keep sessions in memory */
    Sessions(Clock clock, SharedSessions shared) {
        this.clock = clock;
        this.shared = shared;
    }

    /** One signed-in browser. {@code token} is the API token's secret, never shown again. */
    static final class Session {
        final String id;
        final String token;
        final String tokenName;
        final String csrf;
        volatile Instant seen;

        Session(String id, String token, String tokenName, String csrf, Instant now) {
            this.id = id;
            this.token = token;
            this.tokenName = tokenName;
            this.csrf = csrf;
            this.seen = now;
        }
    }

    Session create(String token, String tokenName) {
        if (shared != null) {
            Session s = new Session(random(), token, tokenName, random(), clock.instant());
            shared.put(s, clock.instant().minus(IDLE), MAX);
            return s;
        }
        if (sessions.size() >= MAX) {
            sessions.values().stream().min((a, b) -> a.seen.compareTo(b.seen)).ifPresent(s -> sessions.remove(s.id));
        }
        Session s = new Session(random(), token, tokenName, random(), clock.instant());
        sessions.put(s.id, s);
        return s;
    }

    /** The live session of this cookie value, or null. */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        if (shared != null) {
            return shared.find(id, clock.instant(), IDLE);
        }
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        Instant now = clock.instant();
        if (s.seen.plus(IDLE).isBefore(now)) {
            sessions.remove(id);
            return null;
        }
        s.seen = now;
        return s;
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
            if (shared != null) {
                shared.end(id);
            }
        }
    }

    /** Ends every session of a token (it was revoked). */
    void endToken(String tokenName) {
        sessions.values().removeIf(s -> s.tokenName.equals(tokenName));
        if (shared != null) {
            shared.endToken(tokenName);
        }
    }

    private static String random() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
