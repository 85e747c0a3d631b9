package org.ppaforge.archive.signing;

import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.store.StoreTx;

/**
 * Where archive signing keys' secret parts are kept: owner-only files in the data directory (the embedded default,
 * {@link SecretKeyFiles}) or, on a shared database, rows every server reads ({@link SecretKeyRows}).
 */
public interface SecretKeys {
    /** Keeps {@code ring}'s secret part, in the transaction that records the key. */
    void write(StoreTx tx, PGPSecretKeyRing ring);

    PGPSecretKeyRing read(String fingerprint);

    /**
     * Refuses, before anything is made, when a key generated with {@code passphrase} (null: none) could not be kept here.
     */
    default void checkGenerated(char[] passphrase) {}
}
