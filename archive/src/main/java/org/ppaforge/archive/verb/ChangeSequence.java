package org.ppaforge.archive.verb;

import org.ppaforge.archive.Ppaforge;

/**
 * A number that grows with every change of an archive's publications, signing keys or settings, made by any process on
 * the data directory (the store bumps it in the writer's own transaction). Caches of what an archive publishes (the web
 * pages' package lists) compare it instead of reading everything again.
 */
public final class ChangeSequence {
    private final Ppaforge ppa;
    private String archive;

    public ChangeSequence(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ChangeSequence archive(String archive) {
        this.archive = archive;
        return this;
    }

    public long call() {
        return ppa.metadata()
                .read(tx -> tx.changedSeq(Lookup.archive(tx, archive).id()));
    }
}
