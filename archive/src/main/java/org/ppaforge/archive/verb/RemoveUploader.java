package org.ppaforge.archive.verb;

import java.util.List;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.Uploader;

/** Takes a key out of an archive's uploaders keyring (by fingerprint or its last 8+ hex digits). */
public final class RemoveUploader {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String key;

    public RemoveUploader(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public RemoveUploader caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public RemoveUploader archive(String archive) {
        this.archive = archive;
        return this;
    }

    public RemoveUploader key(String key) {
        this.key = key;
        return this;
    }

    public Uploader call() {
        caller.admin(ppa);
        String suffix = KeySupport.fingerprintSuffix(key);
        return ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            List<Uploader> hits = KeySupport.matching(tx.uploaders(a.id()), Uploader::fingerprint, suffix);
            if (hits.isEmpty()) {
                throw ArchiveException.notFound("key " + key + " is not an uploader of " + a.name());
            }
            if (hits.size() > 1) {
                throw ArchiveException.invalid(
                        "'" + key + "' matches several uploaders of " + a.name() + ": give the full fingerprint");
            }
            tx.deleteUploader(a.id(), hits.get(0).fingerprint());
            return hits.get(0);
        });
    }
}
