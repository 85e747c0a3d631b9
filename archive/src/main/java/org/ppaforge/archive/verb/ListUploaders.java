package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Uploader;

/** An archive's uploaders keyring. */
public final class ListUploaders {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;

    public ListUploaders(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ListUploaders caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ListUploaders archive(String archive) {
        this.archive = archive;
        return this;
    }

    public List<Uploader> call() {
        caller.read(ppa, archive);
        return ppa.metadata()
                .read(tx -> tx.uploaders(Lookup.archive(tx, archive).id()));
    }
}
