package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;

/** Every API token's record (names, roles, dates; never the tokens). */
public final class ListTokens {
    private final Ppaforge ppa;

    public ListTokens(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public List<ApiToken> call() {
        return ppa.metadata().read(tx -> tx.tokens());
    }
}
