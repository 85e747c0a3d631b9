package org.ppaforge.archive.model;

import java.time.Instant;

/** An OpenPGP key allowed to sign uploads to an archive. */
public record Uploader(String archive, String fingerprint, String userIds, String publicKey, Instant addedAt) {}
