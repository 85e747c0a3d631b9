package org.ppaforge.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * One backup: what it holds and which objects hold it. Written sealed, last, under {@code snapshots/ID}: a backup exists
 * only once its snapshot does. Paths are relative to the data directory; nothing names the machine or the target.
 *
 * @param files every file, with its object (null for an empty file)
 * @param tables every table of every database, in chunks of rows, each an object
 */
public record Snapshot(String id, Instant time, String format, List<FileEntry> files, List<TableEntry> tables) {
    /**
     * The format of the snapshot and its table dumps: 2 compresses them (zlib) before they are sealed; 1's are read
     * as they are.
     */
    public static final String FORMAT = "ppaforge-backup-2";

    /** A snapshot's id: its time to the second (UTC), then 8 random hex digits, e.g. {@code 20261203T204500Z-3fa2c1d0}. */
    static final String ID_PATTERN = "[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}";

    static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The time an id names (to the second). */
    static Instant timeOf(String id) {
        return Instant.from(ID_TIME.parse(id.substring(0, 16)));
    }

    /** A file: its path in the data directory, size, permissions ({@code 0600}) and modification time. */
    public record FileEntry(String path, long size, String mode, Instant modified, String object) {}

    /** A table: its database file, its columns, its rows (in chunks of JSON lines, each an object) and their count. */
    public record TableEntry(String database, String table, List<String> columns, long rows, List<String> chunks) {}

    /** Every object the snapshot needs. */
    public List<String> objects() {
        return Stream.concat(
                        files.stream().map(FileEntry::object).filter(o -> o != null),
                        tables.stream().flatMap(t -> t.chunks().stream()))
                .distinct()
                .toList();
    }

    public long bytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }
}
