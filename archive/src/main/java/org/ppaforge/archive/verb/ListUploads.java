package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.UploadRecord;

/** An archive's upload log, newest first: every upload received, accepted or rejected, and why. */
public final class ListUploads {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private int limit = 50;

    public ListUploads(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ListUploads caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ListUploads archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** At most this many (default 50). */
    public ListUploads limit(int limit) {
        if (limit <= 0) {
            throw ArchiveException.invalid("the number of uploads to show must be positive, not " + limit);
        }
        this.limit = limit;
        return this;
    }

    public List<UploadRecord> call() {
        caller.read(ppa, archive);
        return ppa.metadata().read(tx -> tx.uploads(Lookup.archive(tx, archive).id(), limit));
    }
}
