package org.ppaforge.archive.verb;

import java.util.stream.Collectors;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;

/**
 * Who a token is, and whether it may write to an archive: what every write through the
 * HTTP API checks first.
 */
public final class Authenticate {
    private final Ppaforge ppa;
    private String secret;
    private String archive;
    private boolean admin;

    public Authenticate(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public Authenticate token(String secret) {
        this.secret = secret;
        return this;
    }

    /** The archive the request writes to (null: no archive, e.g. creating one). */
    public Authenticate toWrite(String archive) {
        this.archive = archive;
        return this;
    }

    private boolean worker;

    /** The request is a build worker's (leases, heartbeats, results): a worker token or an admin token. */
    public Authenticate workerOnly() {
        this.worker = true;
        return this;
    }

    /** The request needs an admin token (creating archives, tokens). */
    public Authenticate adminOnly() {
        this.admin = true;
        return this;
    }

    /**
     * Whether a request may read {@code archive}'s tree: anyone for a public archive; for a private one, a
     * token that may write it (admin, or an uploader token for it or for all archives), a reader token for it or for all
     * archives, or a worker's. To anyone else a private
     * archive is missing: the refusal is the not-found answer a missing archive gets, word for word.
     */
    public void toRead(String archive) {
        if (isPrivate(archive)) {
            try {
                ApiToken t = known();
                if (!t.mayRead(archive)) { // build workers read every archive they may build for
                    throw ArchiveException.refused("no");
                }
            } catch (ArchiveException e) {
                if (secret != null && !secret.isBlank() && ppa.granted(CreateToken.sha256(secret.strip()), archive)) {
                    return; // a module's short-lived credential (a build's lease) that covers this archive
                }
                throw ppa.metadata().read(tx -> Lookup.missing(tx, archive));
            }
        }
    }

    /** Whether {@code archive} is private (a client without a token covering it may not read it); false for a missing one. */
    public boolean isPrivate(String archive) {
        return ppa.accessCache()
                .isPrivate(
                        archive,
                        () -> ppa.metadata()
                                .read(tx -> tx.archives().stream()
                                        .filter(a -> tx.publishSettings(a.id()).privateArchive())
                                        .map(a -> a.name())
                                        .collect(Collectors.toSet())));
    }

    /** Whether this token was looked up within the access cache's second (so checking it touches no store). */
    public boolean isCached() {
        return secret != null
                && !secret.isBlank()
                && ppa.accessCache().isFreshToken(CreateToken.sha256(secret.strip()));
    }

    /** Who the token is (known and not revoked), whatever its role: e.g. for signing in to the web pages. */
    public ApiToken identify() {
        return known();
    }

    /** The name of the token, known and not revoked, whatever its role: who a caller is, for the history. */
    public String name() {
        return known().name();
    }

    /** The token, known and not revoked, whatever its role. */
    private ApiToken known() {
        if (secret == null || secret.isBlank()) {
            throw new ArchiveException(
                    ArchiveException.Kind.UNAUTHORIZED,
                    "this needs a token: 'Authorization: Bearer TOKEN' "
                            + "(or HTTP Basic with the token as password); create one with 'ppa token create'");
        }
        ApiToken t = ppa.processToken().matches(secret.strip())
                ? ppa.processToken().token()
                : ppa.accessCache()
                        .token(
                                CreateToken.sha256(secret.strip()),
                                sha -> ppa.metadata().read(tx -> tx.tokenBySha256(sha)))
                        .orElseThrow(() -> new ArchiveException(ArchiveException.Kind.UNAUTHORIZED, "unknown token"));
        if (t.revokedAt() != null) {
            throw new ArchiveException(
                    ArchiveException.Kind.UNAUTHORIZED, "token '" + t.name() + "' was revoked on " + t.revokedAt());
        }
        return t;
    }

    public ApiToken call() {
        ApiToken t = known();
        if (admin && !t.isAdmin()) {
            throw new ArchiveException(
                    ArchiveException.Kind.FORBIDDEN,
                    "token '" + t.name() + "' is an " + t.role() + " token: this needs an admin token");
        }
        if (worker && !t.isWorker() && !t.isAdmin()) {
            throw new ArchiveException(
                    ArchiveException.Kind.FORBIDDEN,
                    "token '" + t.name() + "' is an " + t.role()
                            + " token: this needs a worker token ('ppa token create NAME --role worker')");
        }
        if (t.isReader()) {
            throw new ArchiveException(
                    ArchiveException.Kind.FORBIDDEN,
                    "token '" + t.name() + "' is a reader token: it may only "
                            + "read archives (their apt trees and keys)");
        }
        if (t.isWorker() && (admin || archive != null || !worker)) {
            throw new ArchiveException(
                    ArchiveException.Kind.FORBIDDEN,
                    "token '" + t.name() + "' is a worker token: it may only "
                            + "lease builds and return their results");
        }
        if (archive != null && !t.mayWrite(archive)) {
            throw new ArchiveException(
                    ArchiveException.Kind.FORBIDDEN,
                    "token '" + t.name() + "' may write only to archive '" + t.archive() + "', not '" + archive + "'");
        }
        return t;
    }
}
