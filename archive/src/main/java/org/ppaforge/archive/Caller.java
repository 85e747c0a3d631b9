package org.ppaforge.archive;

import org.ppaforge.common.ForgeException;

/**
 * Who calls a verb: the local operator (a command on the server's own data directory: everything is allowed), or a
 * request with a token (its secret) or without one. Verbs take the caller and decide themselves what it may see and
 * do, so the API, the web pages and the command line cannot disagree; the refusals are the ones the API always gave:
 * 401 without a valid token, 403 with the reason, and a private archive missing (404, word for word) to whoever may not
 * read it.
 */
public final class Caller {
    /** The local operator: commands run on the data directory itself. */
    public static final Caller OPERATOR = new Caller(null, true);

    private final String secret;
    private final boolean operator;

    private Caller(String secret, boolean operator) {
        this.secret = secret;
        this.operator = operator;
    }

    /** A request with this token's secret (null or blank: none, an anonymous request). */
    public static Caller token(String secret) {
        return new Caller(secret, false);
    }

    public static Caller anonymous() {
        return new Caller(null, false);
    }

    public boolean isOperator() {
        return operator;
    }

    /** The token's secret, or null (anonymous, or the operator). */
    public String secret() {
        return secret;
    }

    /** Refuses unless the caller may read {@code archive} (a private one is missing to it, as a missing archive is). */
    public void read(Ppaforge ppa, String archive) {
        if (!operator) {
            ppa.authenticate().token(secret).toRead(archive);
        }
    }

    /** Whether the caller may read {@code archive}. */
    public boolean mayRead(Ppaforge ppa, String archive) {
        try {
            read(ppa, archive);
            return true;
        } catch (ForgeException e) {
            return false;
        }
    }

    /** Refuses unless the caller may write to {@code archive}: an admin, or an uploader token for it or for all. */
    public void write(Ppaforge ppa, String archive) {
        if (!operator) {
            ppa.authenticate().token(secret).toWrite(archive).call();
        }
    }

    /** Refuses unless the caller is an admin (creating archives, keys, tokens, uploaders, settings). */
    public void admin(Ppaforge ppa) {
        if (!operator) {
            ppa.authenticate().token(secret).adminOnly().call();
        }
    }

    /** Who the history records: the operator's system user, or {@code token 'NAME'}. */
    public String who(Ppaforge ppa) {
        return operator
                ? ppa.user()
                : "token '" + ppa.authenticate().token(secret).name() + "'";
    }

    @Override
    public String toString() {
        return operator ? "the local operator" : secret == null || secret.isBlank() ? "anonymous" : "a token";
    }
}
