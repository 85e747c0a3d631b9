package org.ppaforge.archive.verb;

import java.time.Instant;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;

/**
 * Ends a key transition: the key stops signing (clients trusting only it fail from the next
 * publish on). The last active key cannot be retired: an archive must stay signed.
 */
public final class RetireKey {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String key;

    public RetireKey(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public RetireKey caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public RetireKey archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** The key's fingerprint, or its last 8 or more hex digits. */
    public RetireKey key(String key) {
        this.key = key;
        return this;
    }

    public ArchiveKey call() {
        caller.admin(ppa);
        ArchiveKey retired = ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            ArchiveKey k = KeySupport.find(tx, a, key);
            if (!k.active()) {
                throw ArchiveException.refused(
                        "key " + k.fingerprint() + " of " + a.name() + " was already retired on " + k.retiredAt());
            }
            if (KeySupport.active(tx, a).size() == 1) {
                throw ArchiveException.refused("key " + k.fingerprint() + " is the only active key of " + a.name()
                        + ": rotate first ('ppa key rotate " + a.name() + "'), then retire the old key");
            }
            Instant now = ppa.clock().instant();
            tx.retireKey(a.id(), k.fingerprint(), now);
            return new ArchiveKey(
                    k.fingerprint(),
                    k.archiveId(),
                    k.algorithm(),
                    k.userId(),
                    k.publicKey(),
                    false,
                    k.createdAt(),
                    now,
                    k.certifiedBy());
        });
        ppa.changed(archive);
        return retired;
    }
}
