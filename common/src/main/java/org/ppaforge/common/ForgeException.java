package org.ppaforge.common;

/**
 * A verb refused or could not do its work. The message names what is involved (archive, package, version, file,
 * build, pipeline); {@link #kind()} tells the front ends how to report it: the CLI maps it to an exit status, the
 * server to an HTTP status. Every module throws this type (the archive core its own subtype).
 */
public class ForgeException extends RuntimeException {
    public enum Kind {
        /** An archive, series, package, version, build or run that does not exist (or that the caller may not see). */
        NOT_FOUND,
        /** Malformed input: a bad name, a corrupt file, a missing file. */
        INVALID,
        /** Refused by a rule: older version, conflicting pool file, a state that does not allow it, ... */
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

    public ForgeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ForgeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ForgeException notFound(String message) {
        return new ForgeException(Kind.NOT_FOUND, message);
    }

    public static ForgeException invalid(String message) {
        return new ForgeException(Kind.INVALID, message);
    }

    public static ForgeException refused(String message) {
        return new ForgeException(Kind.REFUSED, message);
    }

    public static ForgeException forbidden(String message) {
        return new ForgeException(Kind.FORBIDDEN, message);
    }
}
