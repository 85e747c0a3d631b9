package org.ppaforge.archive.model;

import org.ppaforge.debian.Version;

/** A binary package's publication, tied to the source publication it belongs to. */
public record BinaryPublication(
        long id,
        long sourcePublicationId,
        long binaryId,
        String name,
        Version version,
        String architecture,
        String filename,
        String sha256,
        Status status) {}
