package org.ppaforge.archive.model;

import java.time.Instant;

/**
 * An OpenPGP key that signs (active) or signed (retired) an archive's Release files.
 *
 * @param publicKey the ASCII-armoured public key, with any certification by an older key
 * @param certifiedBy the fingerprint of the key that certified this one at a rotation, or null
 */
public record ArchiveKey(
        String fingerprint,
        long archiveId,
        String algorithm,
        String userId,
        String publicKey,
        boolean active,
        Instant createdAt,
        Instant retiredAt,
        String certifiedBy) {}
