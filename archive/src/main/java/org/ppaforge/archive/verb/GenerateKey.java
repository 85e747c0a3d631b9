package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.store.StoreTx;

/**
 * Gives an archive its first signing key (Ed25519 by default, or RSA 4096) and republishes
 * it signed. An archive that already has an active key is refused: changing keys is a
 * rotation ({@link RotateKey}), which keeps every client working.
 */
public final class GenerateKey {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String type;
    private String userId;

    public GenerateKey(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public GenerateKey caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public GenerateKey archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** {@code ed25519} (default) or {@code rsa4096}. */
    public GenerateKey type(String type) {
        this.type = type;
        return this;
    }

    public GenerateKey userId(String userId) {
        this.userId = userId;
        return this;
    }

    public ArchiveKey call() {
        caller.admin(ppa);
        OpenPgp.KeyType t = KeySupport.type(type);
        ppa.secretKeys().checkGenerated(ppa.keyPassphrase());
        Archive a = ppa.metadata().read(tx -> {
            Archive ar = Lookup.archive(tx, archive);
            checkNoActiveKey(tx, ar);
            return ar;
        });
        Instant now = ppa.clock().instant();
        PGPSecretKeyRing ring = OpenPgp.generate(
                t, userId == null ? KeySupport.defaultUserId(a.name()) : userId, ppa.keyPassphrase(), Date.from(now));
        ArchiveKey key = ppa.metadata().write(tx -> {
            checkNoActiveKey(tx, a);
            return KeySupport.store(ppa, tx, a, ring, OpenPgp.publicRing(ring), null, now);
        });
        ppa.changed(a.name());
        return key;
    }

    private static void checkNoActiveKey(StoreTx tx, Archive a) {
        var active = KeySupport.active(tx, a);
        if (!active.isEmpty()) {
            throw ArchiveException.refused("archive '" + a.name() + "' already has signing key "
                    + active.get(0).fingerprint() + ": change keys with 'ppa key rotate " + a.name()
                    + "' so clients trusting the old key keep working");
        }
    }
}
