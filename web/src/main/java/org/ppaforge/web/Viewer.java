package org.ppaforge.web;

import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.common.ForgeException;

/**
 * Who is looking at a page: a visitor (no session) or a signed-in token. Every question is answered by the core's own
 * rules ({@code Authenticate}), as for the API: a private archive is readable only with a token that covers it.
 */
public final class Viewer {
    private final Ppaforge ppa;
    private final Sessions.Session session;
    private final ApiToken token;

    Viewer(Ppaforge ppa, Sessions.Session session) {
        this.ppa = ppa;
        ApiToken t = null;
        if (session != null) {
            try {
                t = ppa.authenticate().token(session.token).identify();
            } catch (ForgeException e) {
                session = null; // revoked since it signed in: a visitor now
            }
        }
        this.session = session;
        this.token = t;
    }

    public boolean signedIn() {
        return token != null;
    }

    /** The token's name, e.g. {@code ci-trunk}, or null. */
    public String name() {
        return token == null ? null : token.name();
    }

    public String role() {
        return token == null ? null : token.role();
    }

    public boolean isAdmin() {
        return token != null && token.isAdmin();
    }

    /** The CSRF token every form of this session carries. */
    public String csrf() {
        return session == null ? "" : session.csrf;
    }

    String secret() {
        return session == null ? null : session.token;
    }

    /** The viewer as the verbs' caller: its token, or none (a visitor). */
    public Caller caller() {
        return Caller.token(secret());
    }

    Sessions.Session session() {
        return session;
    }

    /** Whether this viewer may see {@code archive} (public, or private and covered by the token). */
    public boolean mayRead(String archive) {
        return caller().mayRead(ppa, archive);
    }

    /** Whether this viewer may change {@code archive} (retry a build, ...). */
    public boolean mayWrite(String archive) {
        if (token == null) {
            return false;
        }
        try {
            ppa.authenticate().token(secret()).toWrite(archive).call();
            return true;
        } catch (ForgeException e) {
            return false;
        }
    }
}
