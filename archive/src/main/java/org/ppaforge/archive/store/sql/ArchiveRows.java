package org.ppaforge.archive.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.PublishSettings;
import org.ppaforge.common.sql.Dialect;

/** The archives themselves: their rows, their publish settings and where their publishing stands. */
abstract class ArchiveRows extends SqlTx {
    ArchiveRows(Connection c, Map<String, PreparedStatement> statements, Dialect dialect) {
        super(c, statements, dialect);
    }

    @Override
    public Archive createArchive(
            String name,
            String description,
            List<String> series,
            List<String> components,
            List<String> architectures,
            Instant now) {
        long id = insert(
                "archive",
                "INSERT INTO archive (id, name, description, series, components, architectures, created_at) "
                        + "VALUES (?,?,?,?,?,?,?)",
                name,
                description,
                String.join(",", series),
                String.join(",", components),
                String.join(",", architectures),
                now.toString());
        return new Archive(id, name, description, series, components, architectures, now);
    }

    @Override
    public Optional<Archive> archive(String name) {
        return query(
                        "SELECT id, name, description, series, components, architectures, created_at FROM archive WHERE name = ?",
                        Tx::archive,
                        name)
                .stream()
                .findFirst();
    }

    @Override
    public List<Archive> archives() {
        return query(
                "SELECT id, name, description, series, components, architectures, created_at FROM archive ORDER BY name",
                Tx::archive);
    }

    @Override
    public PublishSettings publishSettings(long archiveId) {
        return query(
                        "SELECT origin, label, not_automatic, but_automatic_upgrades, valid_for_seconds, keep_superseded_seconds, "
                                + "private FROM archive WHERE id = ?",
                        rs -> new PublishSettings(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getBoolean(3),
                                rs.getBoolean(4),
                                rs.getObject(5) == null ? null : Duration.ofSeconds(rs.getLong(5)),
                                Duration.ofSeconds(rs.getLong(6)),
                                rs.getBoolean(7)),
                        archiveId)
                .get(0);
    }

    @Override
    public long changedSeq(long archiveId) {
        return query("SELECT changed_seq FROM archive WHERE id = ?", rs -> rs.getLong(1), archiveId)
                .get(0);
    }

    @Override
    public void markPublished(long archiveId, long seq) {
        update(
                "UPDATE archive SET published_seq = CASE WHEN published_seq > ? THEN published_seq ELSE ? END WHERE id = ?",
                seq,
                seq,
                archiveId);
    }

    @Override
    public List<String> unpublishedArchives() {
        return query("SELECT name FROM archive WHERE changed_seq > published_seq ORDER BY name", rs -> rs.getString(1));
    }

    @Override
    public void setPublishSettings(long archiveId, PublishSettings p) {
        update(
                "UPDATE archive SET origin = ?, label = ?, not_automatic = ?, but_automatic_upgrades = ?, valid_for_seconds = ?, "
                        + "keep_superseded_seconds = ?, private = ? WHERE id = ?",
                p.origin(),
                p.label(),
                p.notAutomatic() ? 1 : 0,
                p.butAutomaticUpgrades() ? 1 : 0,
                p.validFor() == null ? null : p.validFor().toSeconds(),
                p.keepSuperseded().toSeconds(),
                p.privateArchive() ? 1 : 0,
                archiveId);
    }
}
