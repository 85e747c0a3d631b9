package org.ppaforge.archive.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.common.sql.Dialect;
import org.ppaforge.common.sql.SqliteDatabase;

/** The queries publishing reads: the rows of Packages and Sources indices and what changed since a publish. */
abstract class IndexQueries extends PublicationRows {
    IndexQueries(Connection c, Map<String, PreparedStatement> statements, Dialect dialect) {
        super(c, statements, dialect);
    }

    @Override
    public Map<String, List<IndexRows.Binary>> indexBinaries(long archiveId) {
        Map<String, List<IndexRows.Binary>> out = new HashMap<>();
        for (IndexRows.BinaryChange c : binaryRows(
                "WHERE bp.archive_id = ? AND bp.status = 'published' "
                        + "ORDER BY bp.series, sp.component, b.name, b.architecture, b.id",
                archiveId)) {
            out.computeIfAbsent(c.series(), k -> new ArrayList<>()).add(c.binary());
        }
        return out;
    }

    @Override
    public long maxBinaryPublicationId() {
        return query("SELECT COALESCE(MAX(id), 0) FROM binary_publication", rs -> rs.getLong(1))
                .get(0);
    }

    /** The (archive, file) pairs of publications, only the published ones when {@code published}. */
    private static String files(boolean published) {
        String s = published ? " AND sp.status = 'published'" : "";
        String b = published ? " AND bp.status = 'published'" : "";
        return "SELECT sp.archive_id AS aid, sf.sha256 AS sha FROM source_publication sp "
                + "JOIN source_file sf ON sf.source_id = sp.source_id WHERE 1=1" + s
                + " UNION SELECT sp.archive_id, p.dsc_sha256 FROM source_publication sp "
                + "JOIN source_package p ON p.id = sp.source_id WHERE p.dsc_sha256 IS NOT NULL" + s
                + " UNION SELECT bp.archive_id, bk.sha256 FROM binary_publication bp "
                + "JOIN binary_package bk ON bk.id = bp.binary_id WHERE 1=1" + b;
    }

    @Override
    public List<PoolUsage> poolUsage() {
        Map<String, Long> published = new HashMap<>();
        query(
                "SELECT a.name, SUM(f.size) FROM (" + files(true) + ") x JOIN archive a ON a.id = x.aid "
                        + "JOIN pool_file f ON f.sha256 = x.sha GROUP BY a.name",
                rs -> published.put(rs.getString(1), rs.getLong(2)));
        return query(
                "SELECT a.name, COALESCE(SUM(f.size), 0) FROM archive a LEFT JOIN (" + files(false)
                        + ") x ON x.aid = a.id LEFT JOIN pool_file f ON f.sha256 = x.sha GROUP BY a.name ORDER BY a.name",
                rs -> new PoolUsage(rs.getString(1), published.getOrDefault(rs.getString(1), 0L), rs.getLong(2)));
    }

    @Override
    public Set<String> neededPoolFiles(Instant now) {
        Set<String> out = new HashSet<>();
        query(
                "SELECT sf.sha256, sp.status, COALESCE(sp.superseded_at, sp.deleted_at), a.keep_superseded_seconds "
                        + "FROM source_publication sp JOIN archive a ON a.id = sp.archive_id "
                        + "JOIN source_file sf ON sf.source_id = sp.source_id "
                        + "UNION ALL SELECT p.dsc_sha256, sp.status, COALESCE(sp.superseded_at, sp.deleted_at), "
                        + "a.keep_superseded_seconds FROM source_publication sp JOIN archive a ON a.id = sp.archive_id "
                        + "JOIN source_package p ON p.id = sp.source_id WHERE p.dsc_sha256 IS NOT NULL "
                        + "UNION ALL SELECT bk.sha256, bp.status, bp.ended_at, a.keep_superseded_seconds "
                        + "FROM binary_publication bp JOIN archive a ON a.id = bp.archive_id "
                        + "JOIN binary_package bk ON bk.id = bp.binary_id",
                rs -> {
                    String ended = rs.getString(3);
                    if (rs.getString(2).equals("published")
                            || ended == null
                            || SqliteDatabase.instant(ended)
                                    .plusSeconds(rs.getLong(4))
                                    .isAfter(now)) {
                        out.add(rs.getString(1));
                    }
                    return null;
                });
        return out;
    }

    @Override
    public Set<String> referencedPoolFiles() {
        return new HashSet<>(query("SELECT sha FROM (" + files(false) + ")", rs -> rs.getString(1)));
    }

    @Override
    public long publishedBinaryCount(long archiveId) {
        return query(
                        "SELECT COUNT(*) FROM binary_publication WHERE archive_id = ? AND status = 'published'",
                        rs -> rs.getLong(1),
                        archiveId)
                .get(0);
    }

    @Override
    public List<IndexRows.BinaryChange> binaryChanges(long archiveId, long afterId, Instant endedSince) {
        return binaryRows(
                "WHERE bp.archive_id = ? AND (bp.id > ? OR (bp.ended_at IS NOT NULL " + "AND "
                        + dialect.time("bp.ended_at") + " >= " + dialect.time("?") + "))",
                archiveId,
                afterId,
                endedSince.toString());
    }

    @Override
    public Map<Long, IndexRows.BinaryDetail> binaryDetails(Collection<Long> binaryIds) {
        Map<Long, IndexRows.BinaryDetail> out = new HashMap<>();
        for (List<Long> part : chunks(binaryIds, 500)) {
            for (Object[] row : query(
                    "SELECT b.id, b.control, b.contents, f.size, f.md5, f.sha1, f.sha256 FROM binary_package b "
                            + "JOIN pool_file f ON f.sha256 = b.sha256 WHERE b.id IN (" + marks(part.size()) + ")",
                    rs -> new Object[] {
                        rs.getLong(1),
                        new IndexRows.BinaryDetail(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7))
                    },
                    part.toArray())) {
                out.put((Long) row[0], (IndexRows.BinaryDetail) row[1]);
            }
        }
        return out;
    }

    @Override
    public Map<Long, String> binaryControls(Collection<Long> binaryIds) {
        Map<Long, String> out = new HashMap<>();
        for (List<Long> part : chunks(binaryIds, 500)) {
            for (Object[] row : query(
                    "SELECT id, control FROM binary_package WHERE id IN (" + marks(part.size()) + ")",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)},
                    part.toArray())) {
                out.put((Long) row[0], (String) row[1]);
            }
        }
        return out;
    }

    @Override
    public Map<Long, String> binarySummaries(long archiveId, String series) {
        Map<Long, String> out = new HashMap<>();
        String sql = "SELECT b.id, b.summary FROM binary_publication bp JOIN binary_package b ON b.id = bp.binary_id "
                + "WHERE bp.archive_id = ? AND bp.status = 'published'" + (series == null ? "" : " AND bp.series = ?");
        Rows<Object[]> row = rs -> new Object[] {rs.getLong(1), rs.getString(2)};
        for (Object[] r : series == null ? query(sql, row, archiveId) : query(sql, row, archiveId, series)) {
            out.put((Long) r[0], (String) r[1]);
        }
        return out;
    }

    @Override
    public List<IndexRows.Source> indexSources(long archiveId, String series) {
        return query(
                "SELECT s.id, sp.name, sp.component FROM source_publication sp JOIN source_package s ON s.id = sp.source_id "
                        + "WHERE sp.archive_id = ? AND sp.series = ? AND sp.status = 'published' AND s.dsc_sha256 IS NOT NULL "
                        + "ORDER BY sp.component, sp.name",
                rs -> new IndexRows.Source(rs.getLong(1), rs.getString(2), rs.getString(3)),
                archiveId,
                series);
    }

    @Override
    public Map<Long, IndexRows.SourceDetail> sourceDetails(Collection<Long> sourceIds) {
        Map<Long, String[]> heads = new HashMap<>();
        Map<Long, List<IndexRows.File>> files = new HashMap<>();
        for (List<Long> part : chunks(sourceIds, 500)) {
            String in = " IN (" + marks(part.size()) + ")";
            for (Object[] r : query(
                    "SELECT id, stanza, dsc_sha256 FROM source_package WHERE id" + in,
                    rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)},
                    part.toArray())) {
                heads.put((Long) r[0], new String[] {(String) r[1], (String) r[2]});
            }
            for (Object[] r : query(
                    "SELECT sf.source_id, sf.filename, f.size, f.md5, f.sha1, f.sha256 FROM source_file sf "
                            + "JOIN pool_file f ON f.sha256 = sf.sha256 WHERE sf.source_id" + in
                            + " ORDER BY sf.source_id, sf.filename",
                    rs -> new Object[] {
                        rs.getLong(1),
                        new IndexRows.File(
                                rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6))
                    },
                    part.toArray())) {
                files.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add((IndexRows.File) r[1]);
            }
        }
        Map<Long, IndexRows.SourceDetail> out = new HashMap<>();
        heads.forEach((id, h) -> {
            List<IndexRows.File> fs = files.getOrDefault(id, List.of());
            String dscName = fs.stream()
                    .filter(f -> f.sha256().equals(h[1]) && f.filename().endsWith(".dsc"))
                    .map(IndexRows.File::filename)
                    .findFirst()
                    .orElse(null);
            out.put(id, new IndexRows.SourceDetail(h[0], dscName, fs));
        });
        return out;
    }

    @Override
    public List<IndexRows.PoolEntry> sourcePoolEntries(long archiveId) {
        return new ArrayList<>(query(
                "SELECT DISTINCT sp.component, sp.name, sf.filename, sf.sha256 FROM source_publication sp "
                        + "JOIN source_file sf ON sf.source_id = sp.source_id WHERE sp.archive_id = ? AND sp.status = 'published'",
                rs -> new IndexRows.PoolEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                archiveId));
    }
}
