package org.ppaforge.forge;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.ppaforge.backup.Backups;
import org.ppaforge.backup.CreateBackup;
import org.ppaforge.backup.Snapshot;
import org.ppaforge.common.ForgeException;
import org.ppaforge.pipeline.Triggers;

/**
 * The server's scheduled backups: into {@code target}, {@code daily} (once a UTC day) or at a cron expression's
 * minutes (UTC), judged against the newest backup the target holds, so a restarted server neither repeats nor skips
 * one. The last outcome is kept for the dashboard.
 */
public final class BackupSchedule {
    /** The outcome of the last scheduled backup. */
    public record Outcome(String target, Instant at, boolean ok, String message) {}

    private final Path target;
    private final char[] passphrase;
    private final String schedule;
    private volatile Outcome last;

    public BackupSchedule(Path target, char[] passphrase, String schedule) {
        if (!schedule.equals("daily")) {
            try {
                Triggers.checkCron(schedule);
            } catch (IllegalArgumentException e) {
                throw ForgeException.invalid("--backup-schedule is daily or a cron expression: " + e.getMessage());
            }
        }
        if (passphrase == null || passphrase.length == 0) {
            throw ForgeException.invalid(
                    "scheduled backups need a passphrase: PPAFORGE_BACKUP_PASSPHRASE or --backup-passphrase-file");
        }
        this.target = target;
        this.passphrase = Arrays.copyOf(passphrase, passphrase.length);
        this.schedule = schedule;
    }

    public Path target() {
        return target;
    }

    public String schedule() {
        return schedule;
    }

    public Optional<Outcome> last() {
        return Optional.ofNullable(last);
    }

    /** Whether a backup is due at {@code now}, given the newest one the target holds (null: none). */
    boolean due(Instant newest, Instant now) {
        return newest == null || Triggers.dueSince(schedule, newest, now);
    }

    /** Backs up {@code dataDir} when due; returns what it did (null when nothing was due). */
    Outcome runIfDue(Path dataDir, Instant now) {
        Backups backups = Backups.at(target, passphrase);
        try {
            backups.checkPassphrase(); // a wrong one is said every time, not only when a backup is due
            if (!due(backups.newest().orElse(null), now)) {
                return null;
            }
            long t0 = System.nanoTime();
            CreateBackup.Result r = backups.create().dataDirectory(dataDir).call();
            Snapshot s = r.snapshot();
            last = new Outcome(
                    target.toString(),
                    now,
                    true,
                    String.format(
                            "backup %s: %d files, %d new blobs (%d bytes) in %.1f s",
                            s.id(), r.files(), r.objectsSent(), r.bytesSent(), (System.nanoTime() - t0) / 1e9));
        } catch (Exception e) {
            last = new Outcome(target.toString(), now, false, "backup failed: " + e.getMessage());
        }
        return last;
    }
}
