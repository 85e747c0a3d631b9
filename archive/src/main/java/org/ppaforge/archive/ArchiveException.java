package org.ppaforge.archive;

import org.ppaforge.common.ForgeException;

/**
 * An archive verb refused or could not do its work. The message names the archive, package, version and file involved;
 * {@link #kind()} tells front ends how to report it (exit status, HTTP status), as for every {@link ForgeException}.
 */
public class ArchiveException extends ForgeException {
    public ArchiveException(Kind kind, String message) {
        super(kind, message);
    }

    public ArchiveException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    public static ArchiveException notFound(String message) {
        return new ArchiveException(Kind.NOT_FOUND, message);
    }

    public static ArchiveException invalid(String message) {
        return new ArchiveException(Kind.INVALID, message);
    }

    public static ArchiveException refused(String message) {
        return new ArchiveException(Kind.REFUSED, message);
    }
}
