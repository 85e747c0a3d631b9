package org.ppaforge.archive;

/**
 * A verb refused or could not do its work. The message names the archive, package,
 * version and file involved; {@link #kind()} tells front ends how to report it (exit
 * status, HTTP status).
 */
public class ArchiveException extends RuntimeException {
    public enum Kind {
        /** An archive, series, package or version that does not exist. */
        NOT_FOUND,
        /** Malformed input: a bad name, a corrupt file, a missing file. */
        INVALID,
        /** Refused by an archive rule: older version, conflicting pool file, ... */
        REFUSED,
        /** Another process holds the store for too long. */
        BUSY,
        /** Reading or writing files failed (disk full, permissions, ...). */
        IO,
        /** No credentials, or credentials that are not valid (unknown or revoked token). */
        UNAUTHORIZED,
        /** Valid credentials that may not do this (an uploader token for another archive). */
        FORBIDDEN,
        /** Larger than a configured limit (an upload's file or total size). */
        TOO_LARGE
    }

    private final Kind kind;

    public ArchiveException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ArchiveException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
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
