package org.ppaforge.archive.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.common.sql.Dialect;

/** The store's transaction (see {@link SqlTx}), with the access data on top: signing keys, API tokens, uploaders and the upload log. */
final class Tx extends IndexQueries {
    Tx(Connection c, Map<String, PreparedStatement> statements, Dialect dialect) {
        super(c, statements, dialect);
    }

    @Override
    public List<ArchiveKey> keys(long archiveId) {
        return query(
                "SELECT fingerprint, archive_id, algorithm, user_id, public_key, status, created_at, retired_at, certified_by "
                        + "FROM archive_key WHERE archive_id = ? ORDER BY created_at, fingerprint",
                rs -> new ArchiveKey(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        "active".equals(rs.getString(6)),
                        instant(rs.getString(7)),
                        instant(rs.getString(8)),
                        rs.getString(9)),
                archiveId);
    }

    @Override
    public void insertKey(ArchiveKey k) {
        update(
                "INSERT INTO archive_key (fingerprint, archive_id, algorithm, user_id, public_key, status, created_at, retired_at, "
                        + "certified_by) VALUES (?,?,?,?,?,?,?,?,?)",
                k.fingerprint(),
                k.archiveId(),
                k.algorithm(),
                k.userId(),
                k.publicKey(),
                k.active() ? "active" : "retired",
                k.createdAt().toString(),
                k.retiredAt() == null ? null : k.retiredAt().toString(),
                k.certifiedBy());
    }

    @Override
    public void retireKey(long archiveId, String fingerprint, Instant now) {
        update(
                "UPDATE archive_key SET status = 'retired', retired_at = ? WHERE archive_id = ? AND fingerprint = ?",
                now.toString(),
                archiveId,
                fingerprint);
    }

    @Override
    public void putSecretKey(String fingerprint, String armored, Instant now) {
        update(
                "INSERT INTO archive_secret_key (fingerprint, armored, created_at) VALUES (?,?,?) "
                        + "ON CONFLICT (fingerprint) DO UPDATE SET armored = excluded.armored",
                fingerprint,
                armored,
                now.toString());
    }

    @Override
    public Optional<String> secretKey(String fingerprint) {
        return query("SELECT armored FROM archive_secret_key WHERE fingerprint = ?", rs -> rs.getString(1), fingerprint)
                .stream()
                .findFirst();
    }

    @Override
    public void putIncoming(String archive, String uploader, IncomingFile f, Instant stale) {
        update("DELETE FROM incoming_file WHERE received_at < ?", stale.toString());
        update(
                "INSERT INTO incoming_file (archive, uploader, name, sha256, size, received_at) VALUES (?,?,?,?,?,?) "
                        + "ON CONFLICT (archive, uploader, name) DO UPDATE SET sha256 = excluded.sha256, "
                        + "size = excluded.size, received_at = excluded.received_at",
                archive,
                uploader,
                f.name(),
                f.sha256(),
                f.size(),
                f.receivedAt().toString());
    }

    @Override
    public List<IncomingFile> incoming(String archive, String uploader, Instant stale) {
        return query(
                "SELECT name, sha256, size, received_at FROM incoming_file WHERE archive = ? AND uploader = ? "
                        + "AND received_at >= ? ORDER BY name",
                rs -> new IncomingFile(rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs.getString(4))),
                archive,
                uploader,
                stale.toString());
    }

    @Override
    public void deleteIncoming(String archive, String uploader, java.util.Collection<String> names) {
        for (String n : names) {
            update("DELETE FROM incoming_file WHERE archive = ? AND uploader = ? AND name = ?", archive, uploader, n);
        }
    }

    @Override
    public java.util.Set<String> incomingBlobs() {
        return new java.util.HashSet<>(query("SELECT DISTINCT sha256 FROM incoming_file", rs -> rs.getString(1)));
    }

    @Override
    public ApiToken insertToken(String name, String role, Long archiveId, String sha256, Instant now) {
        long id = insert(
                "api_token",
                "INSERT INTO api_token (id, name, role, archive_id, sha256, created_at) VALUES (?,?,?,?,?,?)",
                name,
                role,
                archiveId,
                sha256,
                now.toString());
        return query("SELECT " + TOKEN_COLUMNS + " WHERE t.id = ?", Tx::token, id)
                .get(0);
    }

    @Override
    public List<ApiToken> tokens() {
        return query("SELECT " + TOKEN_COLUMNS + " ORDER BY t.name", Tx::token);
    }

    @Override
    public Optional<ApiToken> tokenBySha256(String sha256) {
        return query("SELECT " + TOKEN_COLUMNS + " WHERE t.sha256 = ?", Tx::token, sha256).stream()
                .findFirst();
    }

    @Override
    public boolean revokeToken(String name, Instant now) {
        return update("UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", now.toString(), name)
                == 1;
    }

    @Override
    public List<Uploader> uploaders(long archiveId) {
        return query(
                "SELECT a.name, u.fingerprint, u.user_ids, u.public_key, u.added_at FROM archive_uploader u "
                        + "JOIN archive a ON a.id = u.archive_id WHERE u.archive_id = ? ORDER BY u.added_at, u.fingerprint",
                rs -> new Uploader(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs.getString(5))),
                archiveId);
    }

    @Override
    public void insertUploader(long archiveId, String fingerprint, String userIds, String publicKey, Instant now) {
        update(
                "INSERT INTO archive_uploader (archive_id, fingerprint, user_ids, public_key, added_at) VALUES (?,?,?,?,?)",
                archiveId,
                fingerprint,
                userIds,
                publicKey,
                now.toString());
    }

    @Override
    public boolean deleteUploader(long archiveId, String fingerprint) {
        return update("DELETE FROM archive_uploader WHERE archive_id = ? AND fingerprint = ?", archiveId, fingerprint)
                == 1;
    }

    @Override
    public void updateUploader(long archiveId, String fingerprint, String publicKey) {
        update(
                "UPDATE archive_uploader SET public_key = ? WHERE archive_id = ? AND fingerprint = ?",
                publicKey,
                archiveId,
                fingerprint);
    }

    @Override
    public void insertUpload(long archiveId, UploadRecord u) {
        update(
                "INSERT INTO upload_log (archive_id, changes, source, version, series, signer, token_name, status, reason, received_at, "
                        + "urgency) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                archiveId,
                u.changes(),
                u.source(),
                u.version(),
                u.series(),
                u.signer(),
                u.tokenName(),
                u.status(),
                u.reason(),
                u.receivedAt().toString(),
                u.urgency());
    }

    @Override
    public List<UploadRecord> uploads(long archiveId, int limit) {
        return query(
                "SELECT u.id, a.name, u.changes, u.source, u.version, u.series, u.signer, u.token_name, u.status, u.reason, "
                        + "u.received_at, u.urgency FROM upload_log u JOIN archive a ON a.id = u.archive_id WHERE u.archive_id = ? "
                        + "ORDER BY u.id DESC LIMIT ?",
                rs -> new UploadRecord(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        instant(rs.getString(11)),
                        rs.getString(12)),
                archiveId,
                limit);
    }
}
