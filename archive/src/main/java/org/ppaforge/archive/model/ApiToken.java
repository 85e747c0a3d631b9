package org.ppaforge.archive.model;

import java.time.Instant;

/**
 * An API token's record (never the token itself: only its SHA-256 is stored).
 *
 * @param archive the archive an uploader or reader token is limited to, or null (admin, or every archive)
 */
public record ApiToken(long id, String name, String role, String archive, Instant createdAt, Instant revokedAt) {
    /** A build worker's role: it may lease builds and return results for the builds it holds, nothing else. */
    public static final String WORKER = "worker";
    /**
     * A reader's role: it may read private archives (their apt trees and keys), the one it is limited to or all, and
     * nothing else; the token to give apt on client machines (and the one a pipeline's install test gets).
     */
    public static final String READER = "reader";

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    public boolean isWorker() {
        return WORKER.equals(role);
    }

    public boolean isReader() {
        return READER.equals(role);
    }

    /** Whether this token may read {@code archiveName} when it is private. */
    public boolean mayRead(String archiveName) {
        return revokedAt == null
                && (isWorker()
                        || isReader() && (archive == null || archive.equals(archiveName))
                        || mayWrite(archiveName));
    }

    /** Whether this token may change {@code archiveName}. */
    public boolean mayWrite(String archiveName) {
        return revokedAt == null
                && !isWorker()
                && !isReader()
                && (isAdmin() || archive == null || archive.equals(archiveName));
    }
}
