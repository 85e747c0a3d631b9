package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Uploader;

/** An archive's uploaders keyring. */
public final class ListUploaders {
    private final Ppaforge ppa;
    private String archive;

    public ListUploaders(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ListUploaders archive(String archive) {
        this.archive = archive;
        return this;
    }

    public List<Uploader> call() {
        return ppa.metadata()
                .read(tx -> tx.uploaders(Lookup.archive(tx, archive).id()));
    }
}
