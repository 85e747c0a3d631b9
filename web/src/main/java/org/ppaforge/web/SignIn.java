package org.ppaforge.web;

import java.util.concurrent.ConcurrentHashMap;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.common.ForgeException;
import org.ppaforge.web.view.MessageView;

/**
 * Sign in with an API token: the token stays on the server, the browser gets a session cookie (HttpOnly, SameSite=Strict,
 * Secure over HTTPS). Signing out ends the session.
 */
final class SignIn {
    private final Web web;

    SignIn(Web web) {
        this.web = web;
    }

    void register() {
        web.get("/\\+signin", (c, m) -> form(c, 200, null));
        web.post("/\\+signin", (c, m) -> signIn(c));
        web.post("/\\+signout", (c, m) -> {
            web.sessions.end(c.viewer.session() == null ? null : c.viewer.session().id);
            return WebResponse.redirect("/").header("Set-Cookie", cookie(c, "", 0));
        });
    }

    private WebResponse form(Web.Context c, int status, String error) {
        return c.render(status, "signin.jte", new MessageView(c.page("Sign in", "signin"), status, error));
    }

    /** Failed sign-ins per client address in the current window; past {@link #FREE_FAILURES}, each further try waits. */
    private final ConcurrentHashMap<String, long[]> failures = new ConcurrentHashMap<>();

    static final int FREE_FAILURES = 5;
    static final long WINDOW_MILLIS = 15 * 60_000;

    /** How long this address must wait before its next try (0: at once). */
    private long wait(String client) {
        long[] f = failures.get(client);
        if (f == null || System.currentTimeMillis() - f[1] > WINDOW_MILLIS) {
            return 0;
        }
        long over = f[0] - FREE_FAILURES;
        return over < 0
                ? 0
                : Math.max(0, f[1] + Math.min(60_000, 1000L << Math.min(over, 6)) - System.currentTimeMillis());
    }

    private void failed(String client) {
        if (failures.size() > 100_000) {
            failures.clear(); // bounded: a flood of addresses costs the flood its own slowing down, not the server's
            // memory
        }
        failures.compute(
                client,
                (k, f) -> f == null || System.currentTimeMillis() - f[1] > WINDOW_MILLIS
                        ? new long[] {1, System.currentTimeMillis()}
                        : new long[] {f[0] + 1, System.currentTimeMillis()});
    }

    private WebResponse signIn(Web.Context c) {
        long wait = wait(c.request.client());
        if (wait > 0) {
            return form(
                            c,
                            429,
                            "Too many failed sign-ins from your address: try again in " + (wait + 999) / 1000 + " s.")
                    .header("Retry-After", Long.toString((wait + 999) / 1000));
        }
        WebResponse r = attempt(c);
        if (r.status() == 403) {
            failed(c.request.client());
        } else if (r.status() < 400) {
            failures.remove(c.request.client());
        }
        return r;
    }

    private WebResponse attempt(Web.Context c) {
        String token = c.request.field("token");
        if (token == null || token.isBlank()) {
            return form(c, 400, "Give your API token (ppa token create).");
        }
        if (token.length() > 200) {
            return form(c, 400, "That is not a token: tokens are under 200 characters.");
        }
        ApiToken t;
        try {
            t = web.ppa.authenticate().token(token.strip()).identify();
        } catch (ForgeException e) {
            return form(c, 403, "Unknown or revoked token.");
        }
        if (t.isWorker()) {
            return form(c, 403, "A worker token cannot sign in.");
        }
        if (c.viewer.session() != null) {
            web.sessions.end(c.viewer.session().id);
        }
        Sessions.Session s = web.sessions.create(token.strip(), t.name());
        String next = c.request.param("next");
        String to = next != null && next.matches("/[A-Za-z0-9+._/-]{0,200}") && !next.startsWith("//") ? next : "/";
        return WebResponse.redirect(to).header("Set-Cookie", cookie(c, s.id, Sessions.IDLE.toSeconds()));
    }

    static String cookie(Web.Context c, String value, long maxAge) {
        return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (c.request.secure() ? "; Secure" : "");
    }
}
