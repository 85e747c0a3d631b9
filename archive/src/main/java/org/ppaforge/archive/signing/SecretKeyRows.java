package org.ppaforge.archive.signing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.StoreTx;

/**
 * Signing keys' secret parts in the shared database, so that every server can sign and a server can be replaced
 * without copying files. Only keys protected by a passphrase are kept there (the database's backups and replicas must
 * not hold a usable key): set {@code PPAFORGE_KEY_PASSPHRASE} on every server.
 */
public final class SecretKeyRows implements SecretKeys {
    private final MetadataStore metadata;
    private final Clock clock;

    public SecretKeyRows(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    private static final String UNPROTECTED = "signing keys kept in a shared database must be protected by a "
            + "passphrase: set PPAFORGE_KEY_PASSPHRASE on every server (and protect an imported key with it)";

    @Override
    public void checkGenerated(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw ArchiveException.refused(UNPROTECTED);
        }
    }

    @Override
    public void write(StoreTx tx, PGPSecretKeyRing ring) {
        for (PGPSecretKey k : ring) {
            if (!k.isPrivateKeyEmpty() && k.getKeyEncryptionAlgorithm() == 0) { // SymmetricKeyAlgorithmTags.NULL
                throw ArchiveException.refused(UNPROTECTED);
            }
        }
        tx.putSecretKey(OpenPgp.fingerprint(ring.getPublicKey()), OpenPgp.armor(ring), clock.instant());
    }

    @Override
    public PGPSecretKeyRing read(String fingerprint) {
        String armored = metadata.read(tx -> tx.secretKey(fingerprint))
                .orElseThrow(() -> new IllegalStateException(
                        "the secret key " + fingerprint + " is missing from the shared database"));
        return OpenPgp.readSecretRing(armored.getBytes(StandardCharsets.US_ASCII), "the key " + fingerprint);
    }
}
