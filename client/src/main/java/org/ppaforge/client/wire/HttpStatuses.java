package org.ppaforge.client.wire;

import org.ppaforge.common.ForgeException;

/** How the API's status codes stand for the verbs' kinds of failure, both ways (the server answers, clients read). */
public final class HttpStatuses {
    private HttpStatuses() {}

    public static int of(ForgeException.Kind kind) {
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
    public static ForgeException.Kind kindOf(int status) {
        return switch (status) {
            case 400 -> ForgeException.Kind.INVALID;
            case 413 -> ForgeException.Kind.TOO_LARGE;
            case 401 -> ForgeException.Kind.UNAUTHORIZED;
            case 403 -> ForgeException.Kind.FORBIDDEN;
            case 404 -> ForgeException.Kind.NOT_FOUND;
            case 409 -> ForgeException.Kind.REFUSED;
            case 503 -> ForgeException.Kind.BUSY;
            default -> ForgeException.Kind.IO;
        };
    }
}
