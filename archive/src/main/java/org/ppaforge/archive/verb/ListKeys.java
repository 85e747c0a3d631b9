package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ArchiveKey;

/** An archive's signing keys, active and retired, oldest first. */
public final class ListKeys {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;

    public ListKeys(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ListKeys caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ListKeys archive(String archive) {
        this.archive = archive;
        return this;
    }

    public List<ArchiveKey> call() {
        caller.read(ppa, archive);
        return ppa.metadata().read(tx -> tx.keys(Lookup.archive(tx, archive).id()));
    }
}
