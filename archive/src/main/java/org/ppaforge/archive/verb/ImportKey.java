package org.ppaforge.archive.verb;

import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.signing.OpenPgp;

/**
 * Adds an existing secret key (e.g. from {@code gpg --export-secret-keys --armor}) as an
 * active signing key of an archive. Keys apt rejects (RSA under 2048 bits, DSA) and keys
 * that cannot be unlocked are refused before anything is stored.
 */
public final class ImportKey {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private byte[] keyData;
    private String source = "key file";

    public ImportKey(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public ImportKey caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public ImportKey archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** The key file's bytes (armoured or binary) and its name for messages. */
    public ImportKey key(byte[] data, String source) {
        this.keyData = data;
        this.source = source;
        return this;
    }

    public ArchiveKey call() {
        caller.admin(ppa);
        PGPSecretKeyRing ring;
        try {
            ring = OpenPgp.readSecretRing(keyData, source);
            OpenPgp.checkUsableForApt(ring, source);
            OpenPgp.privateKey(ring.getSecretKey(), ppa.keyPassphrase());
        } catch (IllegalArgumentException e) {
            throw ArchiveException.invalid(e.getMessage());
        }
        ArchiveKey key = ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            String fpr = OpenPgp.fingerprint(ring.getPublicKey());
            if (tx.keys(a.id()).stream().anyMatch(k -> k.fingerprint().equals(fpr))) {
                throw ArchiveException.refused("archive '" + a.name() + "' already has key " + fpr);
            }
            return KeySupport.store(
                    ppa,
                    tx,
                    a,
                    ring,
                    OpenPgp.publicRing(ring),
                    null,
                    ppa.clock().instant());
        });
        ppa.changed(archive);
        return key;
    }
}
