package org.ppaforge.archive.verb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;

/**
 * Creates an API token: 32 random bytes, shown once (the result's {@code secret}); only its
 * SHA-256 is stored. Roles: {@code admin} (everything) or {@code uploader} (writes to one
 * archive, or to all when none is named).
 */
public final class CreateToken {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String name;
    private String role = "uploader";
    private String archive;

    public CreateToken(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public CreateToken caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public CreateToken name(String name) {
        this.name = name;
        return this;
    }

    public CreateToken role(String role) {
        this.role = role;
        return this;
    }

    public CreateToken archive(String archive) {
        this.archive = archive;
        return this;
    }

    private String given;

    /** Use this token instead of a random one (e.g. an admin token handed to the server by its environment). */
    public CreateToken secret(String secret) {
        if (secret != null && secret.strip().length() < 24) {
            throw ArchiveException.invalid("a token must be at least 24 characters long");
        }
        this.given = secret == null ? null : secret.strip();
        return this;
    }

    /** The stored record and the token itself (not stored anywhere). */
    public record Result(ApiToken token, String secret) {}

    public Result call() {
        caller.admin(ppa);
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            throw ArchiveException.invalid(
                    "invalid token name '" + name + "': letters, digits and . _ @ -, at most 64");
        }
        if (!"admin".equals(role)
                && !"uploader".equals(role)
                && !ApiToken.WORKER.equals(role)
                && !ApiToken.READER.equals(role)) {
            throw ArchiveException.invalid("invalid role '" + role + "': admin, uploader, reader or worker");
        }
        if (!"uploader".equals(role) && !ApiToken.READER.equals(role) && archive != null) {
            throw ArchiveException.invalid("an " + role + " token is not limited to an archive: leave out --archive");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = given != null
                ? given
                : "ppf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ApiToken t = ppa.metadata().write(tx -> {
            Long archiveId =
                    archive == null ? null : Lookup.archive(tx, archive).id();
            if (tx.tokens().stream().anyMatch(x -> x.name().equals(name))) {
                throw ArchiveException.refused(
                        "a token named '" + name + "' exists (revoked or not): choose another name");
            }
            return tx.insertToken(
                    name, role, archiveId, sha256(secret), ppa.clock().instant());
        });
        ppa.accessCache().clear(); // who may read what changed: apt reads see it now
        return new Result(t, secret);
    }

    /** How a credential is stored and looked up: the hex SHA-256 of its UTF-8 bytes (tokens, and modules' own credentials). */
    public static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
