package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;

/** Every API token's record (names, roles, dates; never the tokens). */
public final class ListTokens {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;

    public ListTokens(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ListTokens caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public List<ApiToken> call() {
        caller.admin(ppa);
        return ppa.metadata().read(tx -> tx.tokens());
    }
}
