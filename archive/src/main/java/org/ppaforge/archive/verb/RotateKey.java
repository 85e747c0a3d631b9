package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.signing.OpenPgp;

/**
 * Starts a key transition: a new key, certified by the newest active key, signs alongside
 * the old one(s) from now on, so InRelease and Release.gpg carry both signatures and clients
 * trusting either key keep working. End it with {@link RetireKey} once clients have the new key.
 */
public final class RotateKey {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String type;
    private String userId;

    public RotateKey(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public RotateKey caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public RotateKey archive(String archive) {
        this.archive = archive;
        return this;
    }

    public RotateKey type(String type) {
        this.type = type;
        return this;
    }

    public RotateKey userId(String userId) {
        this.userId = userId;
        return this;
    }

    public ArchiveKey call() {
        caller.admin(ppa);
        OpenPgp.KeyType t = KeySupport.type(type);
        ppa.secretKeys().checkGenerated(ppa.keyPassphrase());
        Archive a = ppa.metadata().read(tx -> Lookup.archive(tx, archive));
        List<ArchiveKey> active = ppa.metadata().read(tx -> KeySupport.active(tx, a));
        if (active.isEmpty()) {
            throw ArchiveException.notFound("archive '" + a.name()
                    + "' has no active key to rotate from: create one with " + "'ppa key generate " + a.name() + "'");
        }
        ArchiveKey old = active.get(active.size() - 1);
        Instant now = ppa.clock().instant();
        PGPSecretKeyRing ring = OpenPgp.generate(
                t,
                userId == null
                        ? OpenPgp.userId(
                                ppa.secretKeys().read(old.fingerprint()).getPublicKey())
                        : userId,
                ppa.keyPassphrase(),
                Date.from(now));
        PGPPublicKeyRing certified;
        try {
            certified = OpenPgp.certify(
                    OpenPgp.publicRing(ring),
                    ppa.secretKeys().read(old.fingerprint()).getSecretKey(),
                    ppa.keyPassphrase(),
                    Date.from(now));
        } catch (IllegalArgumentException e) {
            throw ArchiveException.invalid(e.getMessage());
        }
        ArchiveKey key =
                ppa.metadata().write(tx -> KeySupport.store(ppa, tx, a, ring, certified, old.fingerprint(), now));
        ppa.changed(a.name());
        return key;
    }
}
