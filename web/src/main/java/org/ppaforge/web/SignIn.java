package org.ppaforge.web;

import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.model.ApiToken;
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

    private WebResponse signIn(Web.Context c) {
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
        } catch (ArchiveException e) {
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
