package org.ppaforge.archive.verb;

import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;

/** Revokes an API token by name: requests carrying it are refused from now on. */
public final class RevokeToken {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String name;

    public RevokeToken(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public RevokeToken caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public RevokeToken name(String name) {
        this.name = name;
        return this;
    }

    public void call() {
        caller.admin(ppa);
        boolean done =
                ppa.metadata().write(tx -> tx.revokeToken(name, ppa.clock().instant()));
        ppa.accessCache().clear(); // who may read what changed: apt reads see it now
        if (!done) {
            throw ArchiveException.notFound("no active token named '" + name + "'");
        }
    }
}
