package org.ppaforge.server;

import org.ppaforge.archive.ArchiveException;

/** How the API's status codes stand for the verbs' kinds of failure, both ways (the server answers, clients read). */
public final class HttpStatuses {
    private HttpStatuses() {}

    public static int of(ArchiveException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case REFUSED -> 409;
            case TOO_LARGE -> 413;
            case BUSY -> 503;
            case IO -> 500;
        };
    }

    /** The kind of failure an error status stands for. */
    public static ArchiveException.Kind kindOf(int status) {
        return switch (status) {
            case 400 -> ArchiveException.Kind.INVALID;
            case 413 -> ArchiveException.Kind.TOO_LARGE;
            case 401 -> ArchiveException.Kind.UNAUTHORIZED;
            case 403 -> ArchiveException.Kind.FORBIDDEN;
            case 404 -> ArchiveException.Kind.NOT_FOUND;
            case 409 -> ArchiveException.Kind.REFUSED;
            case 503 -> ArchiveException.Kind.BUSY;
            default -> ArchiveException.Kind.IO;
        };
    }
}
