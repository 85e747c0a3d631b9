package org.ppaforge.pipeline;

import java.time.Instant;

/** A registered pipeline: where its definition and code come from, and the key its uploads are signed with. */
public record Pipeline(
        String name, String gitUrl, String branch, String file, String keyFingerprint, Instant createdAt) {}
