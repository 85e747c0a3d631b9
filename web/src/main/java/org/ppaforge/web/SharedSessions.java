package org.ppaforge.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ppaforge.common.sql.Database;
import org.ppaforge.common.sql.Databases;

/**
 * Web sessions as rows of the shared database, so that every server knows a session another one made. A row is keyed
 * by the SHA-256 of the session id (the cookie), never the id itself, and holds the signed-in token's secret sealed
 * with AES-GCM under a key derived from that id: the database alone (a dump, a replica, a backup) opens no session
 * and reveals no token; only the browser's cookie does.
 */
final class SharedSessions {
    private static final List<String> MIGRATIONS = List.of("pg/W1__sessions.sql");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A session's last-seen time is written at most this often (not on every page). */
    private static final Duration TOUCH = Duration.ofMinutes(1);

    private final Database db;

    private SharedSessions(Database db) {
        this.db = db;
    }

    /** The sessions' rows in the shared database; null on the embedded default (sessions stay in memory). */
    static SharedSessions open(Databases databases) {
        if (!databases.shared()) {
            return null;
        }
        return new SharedSessions(databases.open(
                "web.db", SharedSessions.class, List.of(), MIGRATIONS, "web_schema_version", "the web sessions"));
    }

    void put(Sessions.Session s, Instant idleBefore, int max) {
        db.tx(() -> {
            db.update("DELETE FROM web_session WHERE seen_at < ?", idleBefore);
            db.update(
                    "DELETE FROM web_session WHERE id_sha256 IN (SELECT id_sha256 FROM web_session ORDER BY seen_at DESC "
                            + "OFFSET ?)",
                    max - 1);
            return db.update(
                    "INSERT INTO web_session (id_sha256, sealed, token_name, csrf, seen_at) VALUES (?,?,?,?,?)",
                    hash(s.id),
                    seal(s.id, s.token),
                    s.tokenName,
                    s.csrf,
                    s.seen);
        });
    }

    Sessions.Session find(String id, Instant now, Duration idle) {
        return db.tx(() -> {
            Sessions.Session s = null;
            try (PreparedStatement p = db.prepare(
                            "SELECT sealed, token_name, csrf, seen_at FROM web_session WHERE id_sha256 = ?", hash(id));
                    ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    Instant seen = Instant.parse(rs.getString(4));
                    String token = open(id, rs.getString(1));
                    if (token != null && !seen.plus(idle).isBefore(now)) {
                        s = new Sessions.Session(id, token, rs.getString(2), rs.getString(3), seen);
                    }
                }
            }
            if (s == null) {
                db.update("DELETE FROM web_session WHERE id_sha256 = ?", hash(id));
                return null;
            }
            if (s.seen.plus(TOUCH).isBefore(now)) {
                db.update("UPDATE web_session SET seen_at = ? WHERE id_sha256 = ?", now, hash(id));
            }
            s.seen = now;
            return s;
        });
    }

    void end(String id) {
        db.tx(() -> db.update("DELETE FROM web_session WHERE id_sha256 = ?", hash(id)));
    }

    void endToken(String tokenName) {
        db.tx(() -> db.update("DELETE FROM web_session WHERE token_name = ?", tokenName));
    }

    private static String hash(String id) {
        return HexFormat.of().formatHex(digest("ppaforge web session id\n" + id));
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretKeySpec key(String id) {
        return new SecretKeySpec(digest("ppaforge web session key\n" + id), "AES");
    }

    private static String seal(String id, String token) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(id), new GCMParameterSpec(128, iv));
            byte[] sealed = c.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, iv.length + sealed.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token, or null when the row was not sealed under this id's key. */
    private static String open(String id, String sealed) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(id), new GCMParameterSpec(128, in, 0, 12));
            return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
