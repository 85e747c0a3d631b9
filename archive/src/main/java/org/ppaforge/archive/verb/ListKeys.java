package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ArchiveKey;

/** An archive's signing keys, active and retired, oldest first. */
public final class ListKeys {
    private final Ppaforge ppa;
    private String archive;

    public ListKeys(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ListKeys archive(String archive) {
        this.archive = archive;
        return this;
    }

    public List<ArchiveKey> call() {
        return ppa.metadata().read(tx -> tx.keys(Lookup.archive(tx, archive).id()));
    }
}
