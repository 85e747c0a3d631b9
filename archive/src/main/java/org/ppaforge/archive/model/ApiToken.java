package org.ppaforge.archive.model;

import java.time.Instant;

/**
 * An API token's record (never the token itself: only its SHA-256 is stored).
 *
 * @param archive the archive an uploader token is limited to, or null (admin, or every archive)
 */
public record ApiToken(long id, String name, String role, String archive, Instant createdAt, Instant revokedAt) {
    /** A build worker's role: it may lease builds and return results for the builds it holds, nothing else. */
    public static final String WORKER = "worker";

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    public boolean isWorker() {
        return WORKER.equals(role);
    }

    /** Whether this token may change {@code archiveName}. */
    public boolean mayWrite(String archiveName) {
        return revokedAt == null && !isWorker() && (isAdmin() || archive == null || archive.equals(archiveName));
    }
}
