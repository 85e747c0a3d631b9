package org.ppaforge.archive.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.common.sql.Dialect;

/** What each archive series publishes: source and binary publications, superseding and deleting them. */
abstract class PublicationRows extends PackageRows {
    PublicationRows(Connection c, Map<String, PreparedStatement> statements, Dialect dialect) {
        super(c, statements, dialect);
    }

    @Override
    public List<SourcePublication> sources(long archiveId, String series, boolean publishedOnly) {
        String sql = "SELECT " + SOURCE_COLUMNS + " WHERE sp.archive_id = ?"
                + (series == null ? "" : " AND sp.series = ?")
                + (publishedOnly ? " AND sp.status = 'published'" : "") + " ORDER BY sp.name, sp.series, sp.id";
        return series == null ? query(sql, Tx::source, archiveId) : query(sql, Tx::source, archiveId, series);
    }

    @Override
    public List<String[]> publishedVersions(long archiveId, String series) {
        String sql =
                "SELECT series, name, version FROM source_publication WHERE archive_id = ? AND status = 'published'"
                        + (series == null ? "" : " AND series = ?");
        Rows<String[]> row = rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
        return series == null ? query(sql, row, archiveId) : query(sql, row, archiveId, series);
    }

    @Override
    public List<SourcePublication> history(long archiveId, String name) {
        return query(
                "SELECT " + SOURCE_COLUMNS + " WHERE sp.archive_id = ? AND sp.name = ? ORDER BY sp.id",
                Tx::source,
                archiveId,
                name);
    }

    @Override
    public List<BinaryPublication> publishedBinaries(long archiveId, String series) {
        String sql = "SELECT " + BINARY_COLUMNS + " WHERE bp.archive_id = ? AND bp.status = 'published'"
                + (series == null ? "" : " AND bp.series = ?") + " ORDER BY b.name, b.architecture";
        return series == null ? query(sql, Tx::binary, archiveId) : query(sql, Tx::binary, archiveId, series);
    }

    @Override
    public List<BinaryPublication> binariesOf(long sourcePublicationId) {
        return query(
                "SELECT " + BINARY_COLUMNS + " WHERE bp.source_publication_id = ? ORDER BY b.name, b.architecture",
                Tx::binary,
                sourcePublicationId);
    }

    @Override
    public Map<String, String> poolNames(long archiveId) {
        Map<String, String> names = new HashMap<>();
        for (String[] row : query(
                "SELECT DISTINCT b.filename, b.sha256 FROM binary_publication bp JOIN binary_package b "
                        + "ON b.id = bp.binary_id WHERE bp.archive_id = ? UNION SELECT DISTINCT f.filename, f.sha256 FROM "
                        + "source_publication sp JOIN source_file f ON f.source_id = sp.source_id WHERE sp.archive_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)},
                archiveId,
                archiveId)) {
            names.put(row[0], row[1]);
        }
        return names;
    }

    @Override
    public Map<String, String> poolNames(long archiveId, Collection<String> filenames) {
        Map<String, String> names = new HashMap<>();
        for (List<String> part : chunks(filenames, 400)) {
            List<Object> args = new ArrayList<>();
            args.add(archiveId);
            args.addAll(part);
            args.add(archiveId);
            args.addAll(part);
            for (String[] row : query(
                    "SELECT DISTINCT b.filename, b.sha256 FROM binary_publication bp JOIN binary_package b "
                            + "ON b.id = bp.binary_id WHERE bp.archive_id = ? AND b.filename IN ("
                            + marks(part.size()) + ") UNION "
                            + "SELECT DISTINCT f.filename, f.sha256 FROM source_publication sp JOIN source_file f ON f.source_id = sp.source_id "
                            + "WHERE sp.archive_id = ? AND f.filename IN (" + marks(part.size()) + ")",
                    rs -> new String[] {rs.getString(1), rs.getString(2)},
                    args.toArray())) {
                names.put(row[0], row[1]);
            }
        }
        return names;
    }

    @Override
    public List<SourcePublication> publishedSources(long archiveId, String series, Collection<String> names) {
        List<SourcePublication> out = new ArrayList<>();
        for (List<String> part : chunks(names, 400)) {
            out.addAll(query(
                    "SELECT " + SOURCE_COLUMNS
                            + " WHERE sp.archive_id = ? AND sp.series = ? AND sp.status = 'published' "
                            + "AND sp.name IN (" + marks(part.size()) + ")",
                    Tx::source,
                    args(archiveId, series, part)));
        }
        return out;
    }

    @Override
    public List<BinaryPublication> publishedBinaries(long archiveId, String series, Collection<String> names) {
        List<BinaryPublication> out = new ArrayList<>();
        for (List<String> part : chunks(names, 400)) {
            out.addAll(query(
                    "SELECT " + BINARY_COLUMNS
                            + " WHERE bp.archive_id = ? AND bp.series = ? AND bp.status = 'published' "
                            + "AND bp.name IN (" + marks(part.size()) + ")",
                    Tx::binary,
                    args(archiveId, series, part)));
        }
        return out;
    }

    @Override
    public long publishSource(
            long archiveId,
            String series,
            String component,
            long sourceId,
            String name,
            String version,
            String origin,
            String by,
            Instant now,
            Long replaces) {
        if (replaces != null) {
            update(
                    "UPDATE source_publication SET status = 'superseded', superseded_at = ? WHERE id = ? AND status = 'published'",
                    now.toString(),
                    replaces);
        }
        long id = insert(
                "source_publication",
                "INSERT INTO source_publication (id, archive_id, series, component, source_id, name, "
                        + "version, status, origin, created_at, created_by) VALUES (?,?,?,?,?,?,?,'published',?,?,?)",
                archiveId,
                series,
                component,
                sourceId,
                name,
                version,
                origin,
                now.toString(),
                by);
        if (replaces != null) {
            update("UPDATE source_publication SET superseded_by = ? WHERE id = ?", id, replaces);
        }
        return id;
    }

    @Override
    public long publishBinary(
            long sourcePublicationId,
            long binaryId,
            long archiveId,
            String series,
            String name,
            String architecture,
            Instant now) {
        return insert(
                "binary_publication",
                "INSERT INTO binary_publication (id, source_publication_id, binary_id, archive_id, "
                        + "series, name, architecture, status, created_at) VALUES (?,?,?,?,?,?,?,'published',?)",
                sourcePublicationId,
                binaryId,
                archiveId,
                series,
                name,
                architecture,
                now.toString());
    }

    @Override
    public void supersedeBinary(long binaryPublicationId, Instant now) {
        update(
                "UPDATE binary_publication SET status = 'superseded', ended_at = ? WHERE id = ? AND status = 'published'",
                now.toString(),
                binaryPublicationId);
    }

    @Override
    public void deleteSource(long publicationId, String by, String reason, Instant now) {
        update(
                "UPDATE source_publication SET status = 'deleted', deleted_at = ?, deleted_by = ?, deleted_reason = ? "
                        + "WHERE id = ? AND status = 'published'",
                now.toString(),
                by,
                reason,
                publicationId);
        update(
                "UPDATE binary_publication SET status = 'deleted', ended_at = ? WHERE source_publication_id = ? "
                        + "AND status = 'published'",
                now.toString(),
                publicationId);
    }
}
