package org.ppaforge.farm;

import java.time.Instant;

/** A build environment: an mmdebstrap tarball for one series and architecture, kept in the blob store by its SHA-256. */
public record Chroot(
        String series,
        String architecture,
        String sha256,
        long size,
        String mirror,
        String suite,
        String includes,
        Instant createdAt) {}
