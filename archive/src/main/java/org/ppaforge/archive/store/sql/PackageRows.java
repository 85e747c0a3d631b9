package org.ppaforge.archive.store.sql;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ppaforge.archive.model.PoolFile;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.sql.Dialect;
import org.ppaforge.debian.checksum.Checksums;

/** Source and binary packages and their pool files, each stored once whatever publishes it. */
abstract class PackageRows extends ArchiveRows {
    PackageRows(Connection c, Map<String, PreparedStatement> statements, Dialect dialect) {
        super(c, statements, dialect);
    }

    @Override
    public List<PoolFile> sourceFiles(long sourceId) {
        return query(
                "SELECT filename, sha256 FROM source_file WHERE source_id = ? ORDER BY filename",
                rs -> new PoolFile(rs.getString(1), rs.getString(2)),
                sourceId);
    }

    @Override
    public void putPoolFiles(Collection<Checksums> files) {
        flush();
        try {
            PreparedStatement p = prepare("INSERT INTO pool_file (sha256, size, md5, sha1, sha512) VALUES (?,?,?,?,?) "
                    + "ON CONFLICT DO NOTHING");
            for (Checksums f : files) {
                p.setString(1, f.sha256());
                p.setLong(2, f.size());
                p.setString(3, f.md5());
                p.setString(4, f.sha1());
                // No longer computed (no index publishes it); the column stays so that older backups restore.
                p.setString(5, "");
                p.addBatch();
            }
            p.executeBatch();
        } catch (SQLException e) {
            throw new Sql(e);
        }
    }

    @Override
    public Map<String, Long> findSourcePackages(Collection<String> names) {
        Map<String, Long> found = new HashMap<>();
        for (List<String> chunk : chunks(names, 500)) {
            for (Object[] row : query(
                    "SELECT name, version, dsc_sha256, id FROM source_package WHERE name IN (" + marks(chunk.size())
                            + ") ORDER BY id",
                    rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)},
                    chunk.toArray())) {
                found.put(StoreTx.sourceKey((String) row[0], (String) row[1], (String) row[2]), (Long) row[3]);
            }
        }
        return found;
    }

    @Override
    public Optional<Long> findSourcePackage(String name, String version, String dscSha256) {
        String sql = "SELECT id FROM source_package WHERE name = ? AND version = ? AND "
                + (dscSha256 == null ? "dsc_sha256 IS NULL" : "dsc_sha256 = ?") + " ORDER BY id DESC LIMIT 1";
        List<Long> ids = dscSha256 == null
                ? query(sql, rs -> rs.getLong(1), name, version)
                : query(sql, rs -> rs.getLong(1), name, version, dscSha256);
        return ids.stream().findFirst();
    }

    @Override
    public long insertSourcePackage(
            String name, String version, String dscSha256, String stanza, List<PoolFile> files, Instant now) {
        long id = insert(
                "source_package",
                "INSERT INTO source_package (id, name, version, dsc_sha256, stanza, created_at) "
                        + "VALUES (?,?,?,?,?,?)",
                name,
                version,
                dscSha256,
                stanza,
                now.toString());
        insertSourceFiles(id, files);
        return id;
    }

    @Override
    public void attachDsc(long sourceId, String dscSha256, String stanza, List<PoolFile> files) {
        update("UPDATE source_package SET dsc_sha256 = ?, stanza = ? WHERE id = ?", dscSha256, stanza, sourceId);
        insertSourceFiles(sourceId, files);
    }

    @Override
    public Map<String, Long> findBinaryPackages(Collection<String> sha256s) {
        Map<String, Long> found = new HashMap<>();
        for (List<String> chunk : chunks(sha256s, 500)) {
            for (Object[] row : query(
                    "SELECT sha256, id FROM binary_package WHERE sha256 IN (" + marks(chunk.size()) + ")",
                    rs -> new Object[] {rs.getString(1), rs.getLong(2)},
                    chunk.toArray())) {
                found.put((String) row[0], (Long) row[1]);
            }
        }
        return found;
    }

    @Override
    public Optional<Long> findBinaryPackage(String sha256) {
        return query("SELECT id FROM binary_package WHERE sha256 = ?", rs -> rs.getLong(1), sha256).stream()
                .findFirst();
    }

    @Override
    public long insertBinaryPackage(
            String name,
            String version,
            String architecture,
            String filename,
            String sha256,
            String control,
            String contents) {
        return insert(
                "binary_package",
                "INSERT INTO binary_package (id, name, version, architecture, filename, sha256, "
                        + "control, contents, contents_bytes, summary) VALUES (?,?,?,?,?,?,?,?,?,?)",
                name,
                version,
                architecture,
                filename,
                sha256,
                control,
                contents,
                (long) contents.getBytes(StandardCharsets.UTF_8).length,
                summary(control));
    }

    /** The first line of the stanza's Description (empty when it has none), as the migration derives it too. */
    static String summary(String control) {
        int at = control.startsWith("Description:") ? 0 : control.indexOf("\nDescription:") + 1;
        if (at == 0 && !control.startsWith("Description:")) {
            return "";
        }
        int from = at + "Description:".length();
        int end = control.indexOf('\n', from);
        return control.substring(from, end < 0 ? control.length() : end).strip();
    }

    @Override
    public long contentsBytes(long archiveId, String series) {
        return query(
                        "SELECT COALESCE(SUM(b.contents_bytes), 0) FROM binary_publication bp JOIN binary_package b ON b.id = "
                                + "bp.binary_id WHERE bp.archive_id = ? AND bp.series = ? AND bp.status = 'published'",
                        rs -> rs.getLong(1),
                        archiveId,
                        series)
                .get(0);
    }
}
