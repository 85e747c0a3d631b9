package org.ppaforge.archive.model;

import java.time.Instant;

/**
 * One upload an archive received (a .changes and its files), as its upload log keeps it.
 *
 * @param source null when the .changes could not be read
 * @param signer the fingerprint of the key that signed the .changes, or null when none was accepted
 * @param tokenName the API token that sent it
 * @param status {@code accepted} or {@code rejected}
 * @param reason why it was rejected (null when accepted)
 * @param urgency the .changes' Urgency (low, medium, high, emergency, critical), null when unknown
 */
public record UploadRecord(
        long id,
        String archive,
        String changes,
        String source,
        String version,
        String series,
        String signer,
        String tokenName,
        String status,
        String reason,
        Instant receivedAt,
        String urgency) {
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
}
